"""Providers of every stack: assumed role per account, default tags, deploy order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from landing_zone.constructs.ids import logical_id
from landing_zone.derived.stack_layout import AUDIT, LOG_ARCHIVE, MANAGEMENT, stack_plans
from landing_zone.naming import MANAGED_TAG_KEY, MANAGED_TAG_VALUE

pytestmark = pytest.mark.synth

REMOTE_OUTPUT = re.compile(r"^\$\{data\.terraform_remote_state\.(?P<data>[^.]+)\.outputs\.(?P<output>[^}]+)\}$")


def providers(stack: dict) -> list[dict]:
    return stack["provider"]["aws"]


def member_plans(env):
    return [p for p in stack_plans(env) if p.assumes_role]


def test_the_app_has_the_planned_stacks(synth_out):
    env = synth_out.loaded.env
    assert set(synth_out.stacks) == {p.name for p in stack_plans(env)}
    assert [s.name for s in synth_out.result.stacks] == [p.name for p in stack_plans(env)]


def test_manifest_dependencies_follow_the_layout(synth_out):
    env = synth_out.loaded.env
    manifest = synth_out.manifest["stacks"]
    for plan in stack_plans(env):
        assert sorted(manifest[plan.name]["dependencies"]) == sorted(plan.depends_on), plan.name


def test_management_provider_uses_the_callers_credentials(synth_out):
    for provider in providers(synth_out.stacks[MANAGEMENT]):
        assert "assume_role" not in provider


def test_each_stack_has_one_default_provider_in_the_home_region(synth_out):
    env = synth_out.loaded.env
    for name, stack in synth_out.stacks.items():
        default = [p for p in providers(stack) if "alias" not in p]
        assert [p["region"] for p in default] == [env.organization.home_region], name
        aliases = [p["alias"] for p in providers(stack) if "alias" in p]
        assert len(aliases) == len(set(aliases)), name
        # us-east-1 only where tamper alerts catch global services' events (they arrive there)
        assert all(p["region"] in env.organization.governed_regions or p.get("alias") == "us-east-1" for p in providers(stack)), (
            name
        )


def test_every_provider_has_the_organization_tags(synth_out):
    expected = {**synth_out.loaded.env.organization.tags, MANAGED_TAG_KEY: MANAGED_TAG_VALUE}
    for name, stack in synth_out.stacks.items():
        for provider in providers(stack):
            assert provider["default_tags"] == [{"tags": expected}], name


def test_no_provider_talks_to_a_local_api_by_default(synth_out):
    for name, stack in synth_out.stacks.items():
        for provider in providers(stack):
            assert "endpoints" not in provider and "skip_credentials_validation" not in provider, name


def resolve_remote_output(synth_out, stack: dict, expression: str) -> str:
    """The management-stack expression a `${data.terraform_remote_state...}` reference reads."""
    match = REMOTE_OUTPUT.match(expression)
    assert match, expression
    remote = stack["data"]["terraform_remote_state"][match["data"]]
    mgmt_backend = synth_out.stacks[MANAGEMENT]["terraform"]["backend"]
    assert remote["backend"] in mgmt_backend  # reads the management stack's own backend
    assert remote["config"] == mgmt_backend[remote["backend"]]
    return synth_out.stacks[MANAGEMENT]["output"][match["output"]]["value"]


ROLE_ARN = re.compile(r"^arn:aws:iam::(?P<account>.+):role/(?P<role>[\w+=,.@-]+)$")


def role_account(arn: str, role: str | None = None) -> str:
    """The account part of a role ARN (a literal id or a `${...}` reference); checks the role name when given."""
    match = ROLE_ARN.match(arn)
    assert match and (role is None or match["role"] == role), arn
    return match["account"]


def test_member_stacks_assume_the_access_role_in_their_own_account(synth_out):
    env = synth_out.loaded.env
    for plan in member_plans(env):
        stack = synth_out.stacks[plan.name]
        account_ref = "${aws_organizations_account." + logical_id("account", plan.account) + ".id}"
        (default,) = [p for p in providers(stack) if "alias" not in p]
        (assume,) = default["assume_role"]
        account_id = role_account(assume["role_arn"])
        # The id is read from the applied management stack (known at plan
        # time), and it is the id of this stack's own account.
        assert resolve_remote_output(synth_out, stack, account_id) == account_ref, plan.name
        assert default["allowed_account_ids"] == [account_id]


def test_core_account_stacks_never_run_with_management_credentials(synth_out):
    role = synth_out.loaded.env.organization.access_role_name  # the example's core accounts use the default role
    for name in (LOG_ARCHIVE, AUDIT):
        for provider in providers(synth_out.stacks[name]):
            (assume,) = provider["assume_role"]
            assert provider["allowed_account_ids"] == [role_account(assume["role_arn"], role)], name


def test_every_role_assuming_provider_is_pinned_to_the_account_it_assumes_into(synth_out):
    for name, stack in synth_out.stacks.items():
        for provider in providers(stack):
            for assume in provider.get("assume_role", []):
                assert provider["allowed_account_ids"] == [role_account(assume["role_arn"])], name


def test_member_stacks_report_the_account_they_run_in(synth_out):
    for plan in member_plans(synth_out.loaded.env):
        stack = synth_out.stacks[plan.name]
        assert "caller" in stack["data"]["aws_caller_identity"]
        assert stack["output"]["account_id"]["value"] == "${data.aws_caller_identity.caller.account_id}"


def test_local_state_is_one_file_per_environment_and_stack_outside_the_output(synth_out):
    env_name = synth_out.loaded.name
    directory = synth_out.loaded.env.state.directory
    project = Path(__file__).resolve().parents[2]
    for name, stack in synth_out.stacks.items():
        path = stack["terraform"]["backend"]["local"]["path"]
        assert not Path(path).is_absolute()
        resolved = (synth_out.stack_dir(name) / path).resolve()
        assert resolved == project / directory / env_name / f"{name}.tfstate"
