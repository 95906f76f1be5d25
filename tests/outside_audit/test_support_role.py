"""Issue 28.2 (CIS 1.17) without Identity Center: every account's baseline gets an IAM role with AWSSupportAccess,
assumable by named management-account principals with MFA; the example (control_tower preset) gets none."""

from __future__ import annotations

import json

import pytest

from landing_zone.config import ConfigError
from landing_zone.environment import load_environment
from landing_zone.identity.support_role import support_role_wanted
from tests.conftest import ROOT
from tests.stack_json import policy_findings, resources

MINIMAL = ROOT / "environments" / "minimal.yaml"
SUPPORT_ACCESS = "arn:aws:iam::aws:policy/AWSSupportAccess"
BASELINE_STACKS = {"management-baseline", "log-archive", "audit"}  # every account of the minimal environment


def write(tmp_path, body: str):
    path = tmp_path / "env.yaml"
    path.write_text(f"extends: {MINIMAL}\n{body}", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def minimal_out(synth_env, tmp_path_factory):
    """minimal.yaml (no identity section) with one named support principal."""
    tmp = tmp_path_factory.mktemp("support_role")
    env_file = write(
        tmp,
        "organization:\n  support_role:\n    principals: ['arn:aws:iam::111111111111:role/support-desk']\n",
    )
    return synth_env(env_file, tmp / "out")


def support_roles(stack: dict) -> dict:
    return {name: role for name, role in resources(stack, "aws_iam_role").items() if name == "support_role"}


def test_every_account_without_identity_center_gets_the_role(minimal_out):
    env = minimal_out.loaded.env
    with_role = {name for name, stack in minimal_out.stacks.items() if support_roles(stack)}
    assert with_role == BASELINE_STACKS
    for name in BASELINE_STACKS:
        stack = minimal_out.stacks[name]
        role = support_roles(stack)["support_role"]
        assert role["name"] == "acme-lz-support"
        assert role["max_session_duration"] == 3600
        trust = json.loads(role["assume_role_policy"])
        (statement,) = trust["Statement"]
        assert statement["Action"] == "sts:AssumeRole"
        assert statement["Principal"]["AWS"].endswith(":root")  # the management account's, never a member's own
        assert statement["Condition"]["ArnLike"]["aws:PrincipalArn"] == ["arn:aws:iam::111111111111:role/support-desk"]
        assert statement["Condition"]["Bool"] == {"aws:MultiFactorAuthPresent": "true"}
        attachments = [a for a in resources(stack, "aws_iam_role_policy_attachment").values() if "support_role" in a["role"]]
        assert [a["policy_arn"] for a in attachments] == [SUPPORT_ACCESS]
    assert support_role_wanted(env)


def test_the_support_role_passes_the_policy_validator(minimal_out):
    assert policy_findings(minimal_out.stacks, minimal_out.loaded.env) == []


@pytest.mark.gate
def test_checkov_gate_zero_failed(minimal_out):
    from landing_zone.scan.gate import scan

    result = scan(minimal_out.dir, config=str(ROOT / ".checkov.yaml"), limits={"scp_size": 10240, "scps_per_target": 10})
    assert [f"{f.check_id} {f.resource} ({f.stack})" for f in result.failures] == [] and result.parsing_errors == []
    # the landing zone's trust check (CKV_LZ_41) judged the support role too
    assert result.checks["CKV_LZ_41"]["passed"] >= len(BASELINE_STACKS)


def test_the_example_uses_the_permission_set_instead(synth_out):
    env = synth_out.loaded.env
    assert env.identity is not None and env.identity.preset == "control_tower"
    assert not support_role_wanted(env)
    assert [name for name, stack in synth_out.stacks.items() if support_roles(stack)] == []


@pytest.mark.parametrize(
    ("body", "wanted"),
    [
        ("", True),  # no identity section
        ("identity:\n  preset: none\n", True),  # Identity Center without the support permission set
        ("identity:\n  source: external\n", False),  # the preset's permission set, groups from the IdP
        ("organization:\n  support_role: {create: never}\n", False),
        ("identity:\n  preset: control_tower\norganization:\n  support_role: {create: always}\n", True),
    ],
)
def test_when_the_role_is_created(tmp_path, body, wanted):
    env = load_environment(write(tmp_path, body)).env
    assert support_role_wanted(env) is wanted


def test_default_principals_are_the_break_glass_users(tmp_path):
    from landing_zone.identity.support_role import support_role_trust

    env = load_environment(write(tmp_path, "")).env
    (statement,) = support_role_trust(env, "222222222222")["Statement"]
    assert statement["Condition"]["ArnLike"]["aws:PrincipalArn"] == ["arn:aws:iam::222222222222:user/break-glass/*"]
    env = load_environment(
        write(tmp_path, "organization:\n  break_glass_principals: ['arn:aws:iam::222222222222:user/ops/*']\n")
    ).env
    (statement,) = support_role_trust(env, "222222222222")["Statement"]
    assert statement["Condition"]["ArnLike"]["aws:PrincipalArn"] == ["arn:aws:iam::222222222222:user/ops/*"]


def test_a_principal_that_is_no_iam_arn_is_refused_with_its_line(tmp_path):
    path = write(tmp_path, "organization:\n  support_role:\n    principals: ['arn:aws:iam::111111111111:root']\n")
    with pytest.raises(ConfigError) as caught:
        load_environment(path)
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{path}:4:18: organization.support_role.principals[0]: 'arn:aws:iam::111111111111:root'")
    assert "is not an IAM user or role ARN" in str(problem)


def test_the_compliance_feature_counts_the_role(tmp_path):
    from landing_zone.compliance.features import FEATURES

    assert FEATURES["support_role"](load_environment(write(tmp_path, "")).env)[0]
    env = load_environment(write(tmp_path, "organization:\n  support_role: {create: never}\n")).env
    assert not FEATURES["support_role"](env)[0]
