"""The response plan of the example: which accounts hold a control as an account rule with remediation,
which runbooks each account enables, the share list, and what the guardrail matrix shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from landing_zone.environment import load_environment
from landing_zone.guardrails.matrix import applied_to
from landing_zone.guardrails.remediation import ACCOUNT_RULE, ORGANIZATION_RULE
from landing_zone.guardrails.report import matrix_report

EXAMPLE = Path(__file__).resolve().parents[2] / "environments" / "example.yaml"
MEMBERS = {
    "log-archive",
    "audit",
    "network",
    "shared-services",
    "sandbox-dev1",
    "payments-prod",
    "payments-nonprod",
    "web-prod",
    "web-nonprod",
    "policy-staging",
}


@pytest.fixture(scope="module")
def facts():
    return load_environment(str(EXAMPLE)).facts


def test_remediations_take_the_catalogs_runbook_and_the_configured_settings(facts):
    plan = facts.response_plan
    by_id = {r.control_id: r for r in plan.remediations}
    assert sorted(by_id) == ["AWS-GR_RESTRICTED_SSH", "AWS-GR_S3_BUCKET_PUBLIC_READ_PROHIBITED"]
    ssh = by_id["AWS-GR_RESTRICTED_SSH"]
    assert (ssh.runbook, ssh.resource_parameter, ssh.parameters) == ("LZ-RevokeOpenAdminIngress", "GroupId", (("Port", "22"),))
    assert (ssh.automatic, ssh.max_attempts, ssh.retry_seconds) == (True, 3, 60)
    assert set(ssh.accounts) == MEMBERS - {"network"}  # excluded; the management account keeps the organization rule
    s3 = by_id["AWS-GR_S3_BUCKET_PUBLIC_READ_PROHIBITED"]
    assert (s3.runbook, s3.resource_parameter, s3.automatic) == ("LZ-BlockS3PublicAccess", "BucketName", False)
    assert set(s3.accounts) == MEMBERS


def test_the_organization_rule_keeps_every_other_account(facts):
    rules = {r.control_id: r for r in facts.guardrail_plan.detective_rules}
    ssh = rules["AWS-GR_RESTRICTED_SSH"]
    assert set(ssh.excluded_accounts) == MEMBERS - {"network"}
    assert not ssh.exclude_management
    assert rules["AWS-GR_EBS_OPTIMIZED_INSTANCE"].excluded_accounts == ()
    assert rules["AWS-GR_EBS_OPTIMIZED_INSTANCE"].remediated_accounts == ()


def test_runbooks_enabled_per_account_and_share_list(facts):
    plan = facts.response_plan
    assert plan.runbooks_in("payments-prod") == (
        "LZ-BlockS3PublicAccess",
        "LZ-IsolateEC2Instance",
        "LZ-QuarantineIAMPrincipal",
        "LZ-RevokeOpenAdminIngress",
    )
    # the brute-force responder excludes sandbox-dev1, but the isolate custom action still reaches it
    assert "LZ-IsolateEC2Instance" in plan.runbooks_in("sandbox-dev1")
    assert set(plan.share_accounts) == MEMBERS - {"audit"}
    assert set(plan.member_accounts) == MEMBERS


def test_the_matrix_shows_which_form_reaches_each_account(facts):
    plan = facts.guardrail_plan
    web = {a.control.id: a for a in applied_to(plan, "web-prod")}
    network = {a.control.id: a for a in applied_to(plan, "network")}
    management = {a.control.id: a for a in applied_to(plan, "management")}
    assert web["AWS-GR_RESTRICTED_SSH"].form == ACCOUNT_RULE
    assert network["AWS-GR_RESTRICTED_SSH"].form == ORGANIZATION_RULE
    assert management["AWS-GR_RESTRICTED_SSH"].form == ORGANIZATION_RULE
    assert web["AWS-GR_RESTRICTED_SSH"].as_dict()["deploys_as"] == "account rule + remediation"
    assert web["AWS-GR_REGION_DENY"].as_dict()["deploys_as"] == "SCP"
    doc, data = matrix_report(plan, "example.yaml", account="network")
    assert {r["control"]: r["deploys_as"] for r in data["accounts"]["network"]}[
        "AWS-GR_S3_BUCKET_PUBLIC_READ_PROHIBITED"
    ] == ACCOUNT_RULE
    text = matrix_report(plan, "example.yaml")[0].to_text(width=400)
    ssh_row = next(line for line in text.splitlines() if line.startswith("AWS-GR_RESTRICTED_SSH "))
    assert "R+" in ssh_row and ssh_row.split().count("R") == 2  # network and the management account
