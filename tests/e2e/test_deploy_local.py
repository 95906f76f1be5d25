"""`make e2e`: the example environment applied to a local AWS API, checked, planned again, destroyed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import boto3
import pytest
from audit_checks import (  # noqa: F401 -- outside audit (issue 28), checked on this deployment
    test_default_vpcs_are_deleted_or_locked_as_configured,
    test_prowler_cis_3_0_finds_no_failure_the_landing_zone_owns,  # first: before the drill plants violations
    test_root_access_policies_contacts_config_role_and_network_acls_are_live,
)
from catalog_checks import test_a_developer_in_a_shared_ou_lists_the_catalog_and_others_see_nothing  # noqa: F401 -- self-service (19), on this deployment
from compliance_checks import (  # noqa: F401 -- the compliance drill (16, 17, 18) and the end user's drill (16), on this deployment
    test_the_drill_finds_fixes_and_remembers_a_violation,
    test_the_end_user_drill_routes_a_violation_and_a_finding_and_isolates_the_instance,
)
from conftest import EXAMPLE, ROOT
from drift_checks import check_out_of_band_changes_are_drift_and_the_plan_first_deploy_restores_them
from factory_checks import (  # noqa: F401 -- account factory, checked on this deployment
    test_one_more_account_request_changes_only_the_management_plan,
    test_vended_accounts_have_their_baseline_through_assumed_credentials,
)
from guardrail_checks import (  # noqa: F401 -- guardrails, checked on this deployment
    test_every_detective_control_is_an_organization_config_rule_in_its_regions,
    test_every_planned_scp_is_attached_to_exactly_its_target_with_its_content,
)
from identity_checks import test_identity_center_groups_and_every_assignment_exist  # noqa: F401 -- Identity Center, checked on this deployment
from logging_checks import (  # noqa: F401 -- logging and security services, checked on this deployment
    test_account_baseline_in_every_account,
    test_audit_account_aggregates_config_and_announces_findings,
    test_config_records_every_governed_region_of_every_account,
    test_log_archive_buckets_and_key,
    test_organization_trail_writes_to_the_log_archive,
)
from network_checks import test_network_hub_segments_spokes_and_peering_exist_as_planned  # noqa: F401 -- networking, checked on this deployment

from landing_zone.derived.stack_layout import stack_plans
from landing_zone.environment import load_environment
from landing_zone.live.organization import read_organization
from landing_zone.local_aws.server import DUMMY_CREDENTIALS, REGION
from landing_zone.terraform import Terraform
from landing_zone.terraform.stacks import deploy_order, load_stacks, run_stacks

pytestmark = pytest.mark.e2e

_DONE = re.compile(r"^\[(?P<stack>[^\]]+)\] terraform (?P<phase>\w+) done in (?P<seconds>[\d.]+) s", re.M)


def events(stderr: str, phase: str) -> tuple[dict, dict]:
    """Line numbers where each stack's `phase` started and finished in lz deploy's progress."""
    started, finished = {}, {}
    for number, line in enumerate(stderr.splitlines()):
        if match := re.match(rf"^\[([^\]]+)\] terraform {phase} (\.\.\.|done)", line):
            (started if match[2] == "..." else finished)[match[1]] = number
    return started, finished


def record_timings(deployment, stderr: str) -> None:
    for match in _DONE.finditer(stderr):
        deployment.timings.setdefault(match["stack"], {})[match["phase"]] = float(match["seconds"])


def state_of(stack) -> dict:
    """A stack's local state file as JSON: what `terraform show`/`output` would read, without
    starting the AWS provider for each stack (that start-up is most of a terraform run's CPU)."""
    path = Path(json.loads((stack.directory / "cdk.tf.json").read_text())["terraform"]["backend"]["local"]["path"])
    path = path if path.is_absolute() else stack.directory / path
    return json.loads(path.read_text()) if path.is_file() and path.stat().st_size else {}


def outputs_of(stack) -> dict:
    return {name: output["value"] for name, output in state_of(stack).get("outputs", {}).items()}


def client(deployment, service: str, **credentials):
    return boto3.client(
        service,
        endpoint_url=deployment.server.url,
        region_name=REGION,
        aws_access_key_id=credentials.get("AccessKeyId", DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"]),
        aws_secret_access_key=credentials.get("SecretAccessKey", DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"]),
        aws_session_token=credentials.get("SessionToken"),
    )


@pytest.fixture(scope="module")
def config():
    return load_environment(ROOT / EXAMPLE).env


@pytest.fixture(scope="module")
def org(deployment):
    return read_organization(client(deployment, "organizations"))


@pytest.fixture(scope="module")
def stacks(deployment):
    return deploy_order(load_stacks(deployment.out))


def test_every_stack_is_applied_after_the_stacks_it_depends_on(deployment, config, stacks):
    record_timings(deployment, deployment.deploy.stderr)
    assert sorted(s.name for s in stacks) == sorted(p.name for p in stack_plans(config))
    started, finished = events(deployment.deploy.stderr, "apply")
    assert sorted(finished) == sorted(s.name for s in stacks)
    for stack in stacks:
        for dependency in stack.dependencies:
            assert finished[dependency] < started[stack.name], (stack.name, dependency)


def test_the_deploy_synthesized_under_python_O(deployment):
    """`lz deploy` runs again under python -O (speed/optimized_python.py; `make setup` writes its bytecode).
    factory_checks' one-more-account test compares these stacks byte for byte with a synth that checks
    the binding's types (a plain `python -c`), so -O is seen to change nothing."""
    assert "type checks off: python -O" in deployment.deploy.stderr, deployment.deploy.stderr[:2000]


def test_the_organization_tree_is_printed(deployment, config):
    tree = deployment.deploy.stdout
    assert tree.startswith("Organization o-")
    for ou in config.organizational_units:
        assert re.search(rf"── {re.escape(ou.path)}/  ou-", tree), ou.path
    for account in config.accounts:
        assert re.search(rf"── {re.escape(account.name)}  \d{{12}}", tree), account.name


def test_every_ou_exists_at_its_path(org, config):
    assert sorted(org.ous_by_path()) == sorted(ou.path for ou in config.organizational_units)


def test_every_account_sits_in_its_ou(org, config):
    placed = org.account_paths()
    assert {a.name: placed.get(a.name) for a in config.accounts} == {a.name: a.ou for a in config.accounts}


def test_the_audit_account_is_delegated_administrator_of_what_the_stack_declares(deployment, org, config, stacks):
    management = json.loads((stacks[0].directory / "cdk.tf.json").read_text())
    resources = management["resource"]
    declared = sorted(r["service_principal"] for r in resources["aws_organizations_delegated_administrator"].values())
    assert "config.amazonaws.com" in declared and "access-analyzer.amazonaws.com" in declared
    # GuardDuty registers its administrator itself (aws_guardduty_organization_admin_account, left out
    # against the local API: LOCAL_API_GAPS), never through the generic registration as well
    assert "guardduty.amazonaws.com" not in declared
    assert "aws_guardduty_organization_admin_account" not in resources
    audit_id = next(
        a["Id"]
        for node in [org.root, *org.ous_by_path().values()]
        for a in node.accounts
        if a["Name"] == config.core.audit_account
    )
    assert org.delegated == {audit_id: declared}


def test_member_stacks_act_inside_their_own_accounts(deployment, org, config, stacks):
    """Each stack's provider assumed the access role: terraform's identity is its account, not the management one."""
    ids = {a["Name"]: a["Id"] for node in [org.root, *org.ous_by_path().values()] for a in node.accounts}
    by_name = {s.name: s for s in stacks}
    management = outputs_of(by_name["management"])
    assert management["account_ids"] == {name: ids[name] for name in management["account_ids"]}
    members = [p for p in stack_plans(config) if p.assumes_role]
    assert {p.name for p in members} >= {"log-archive", "audit"}
    sts = client(deployment, "sts")
    role = config.organization.access_role_name
    for plan in members:
        seen = outputs_of(by_name[plan.name])["account_id"]
        assert seen == ids[plan.account] != org.management_account_id, plan.name
        credentials = sts.assume_role(RoleArn=f"arn:aws:iam::{seen}:role/{role}", RoleSessionName="e2e")["Credentials"]
        assert client(deployment, "sts", **credentials).get_caller_identity()["Account"] == seen


def test_a_second_plan_of_every_stack_finds_no_changes(deployment, stacks):
    changed = {}

    def plan(stack) -> None:
        result = Terraform(stack.directory, env=deployment.env, progress=lambda m: None).plan()
        deployment.timings.setdefault(stack.name, {})["plan"] = result.seconds
        if result.returncode != 0:
            changed[stack.name] = result.output[-3000:]

    run_stacks(stacks, plan, workers=2)
    assert changed == {}


def test_out_of_band_changes_are_drift_and_the_plan_first_deploy_restores_them(deployment, config, org):
    """Issue 20 on the deployed example: `lz drift` names exactly an assignment deleted and an SCP detached
    outside terraform (exit 3), and the plan-first deploy (the path against AWS) puts both back from its
    saved, reviewed plan."""
    check_out_of_band_changes_are_drift_and_the_plan_first_deploy_restores_them(deployment, config, org)


def test_destroy_in_reverse_order_leaves_nothing(deployment, stacks):
    result = deployment.lz("deploy", EXAMPLE, "--destroy", "--no-synth", "--out", str(deployment.out), "-v")
    record_timings(deployment, result.stderr)
    assert result.returncode == 0, result.stderr[-4000:]
    started, finished = events(result.stderr, "destroy")
    assert sorted(finished) == sorted(s.name for s in stacks)
    for stack in stacks:
        for dependency in stack.dependencies:  # a stack goes before what it depends on
            assert finished[stack.name] < started[dependency], (stack.name, dependency)
    organizations = client(deployment, "organizations")
    with pytest.raises(organizations.exceptions.AWSOrganizationsNotInUseException):
        organizations.describe_organization()
    for stack in stacks:
        assert state_of(stack).get("resources", []) == [], stack.name


def test_the_server_this_run_started_is_stopped_by_its_pid(deployment):
    from landing_zone.local_aws.server import is_up

    deployment.server.stop()
    assert deployment.server.process.returncode is not None
    assert not is_up(deployment.server.url)
