"""Synth assertions for incident response in the example: the central bus and its rules, forwarding from
every account, the shared runbook documents, remediation as account rules, and the two roles per account."""

from __future__ import annotations

import json

import pytest

from landing_zone.respond.runbooks import load_runbooks

MEMBER_STACKS = [
    "log-archive",
    "audit",
    "network",
    "account-payments-nonprod",
    "account-payments-prod",
    "account-shared-services",
    "account-web-nonprod",
    "account-web-prod",
    "account-sandbox-dev1",
    "account-policy-staging",
]
AUDIT_ID = "cross-stack-output-aws_organizations_accountaccount_auditid"
ORG_ID = "cross-stack-output-aws_organizations_organizationorganizationid"


def _resources(stack: dict, rtype: str) -> dict:
    return stack.get("resource", {}).get(rtype, {})


def _policy(text: str) -> list[dict]:
    return json.loads(text)["Statement"]


def test_the_central_bus_admits_only_this_organization(synth_out):
    audit = synth_out.stacks["audit"]
    (bus,) = _resources(audit, "aws_cloudwatch_event_bus").values()
    assert bus["name"] == "acme-lz-security-events"
    (policy,) = _resources(audit, "aws_cloudwatch_event_bus_policy").values()
    (statement,) = _policy(policy["policy"])
    assert statement["Action"] == "events:PutEvents" and statement["Principal"] == "*"
    assert statement["Resource"] == "${aws_cloudwatch_event_bus.security_events_bus.arn}"
    assert ORG_ID in statement["Condition"]["StringEquals"]["aws:PrincipalOrgID"]


def test_central_rules_route_violations_and_responders_to_the_topic(synth_out):
    audit = synth_out.stacks["audit"]
    rules = _resources(audit, "aws_cloudwatch_event_rule")
    on_bus = {k: r for k, r in rules.items() if r.get("event_bus_name") == "${aws_cloudwatch_event_bus.security_events_bus.name}"}
    assert sorted(on_bus) == ["security_events_rule_config-violations", "security_events_rule_responder-open-admin-ports"]
    ssh = json.loads(on_bus["security_events_rule_responder-open-admin-ports"]["event_pattern"])
    assert ssh["detail"]["configRuleName"] == [
        "acme-lz-aws-gr-restricted-ssh",
        {"prefix": "OrgConfigRule-acme-lz-aws-gr-restricted-ssh-"},
    ]
    brute = json.loads(rules["security_events_rule_responder-ssh-brute-force"]["event_pattern"])
    assert "event_bus_name" not in rules["security_events_rule_responder-ssh-brute-force"]  # the default bus
    assert brute["detail"]["type"] == ["UnauthorizedAccess:EC2/SSHBruteForce"]
    assert brute["detail"]["severity"] == [{"numeric": [">=", 4]}]
    assert "web-nonprod" in json.dumps(brute["account"])  # excluded by id (a reference to the management stack's output)
    targets = _resources(audit, "aws_cloudwatch_event_target")
    responder_targets = {k: t for k, t in targets.items() if k.startswith("security_events_target_")}
    assert len(responder_targets) == 5  # violations + 4 responders
    assert {t["arn"] for t in responder_targets.values()} == {"${aws_sns_topic.security_notifications_topic.arn}"}
    notice = responder_targets["security_events_target_responder-open-admin-ports"]["input_transformer"]
    assert "--runbook LZ-RevokeOpenAdminIngress" in notice["input_template"]
    # the existing notifications keep working
    assert {"guardduty_findings", "securityhub_findings"} <= set(rules)


def test_custom_actions_route_to_their_responder(synth_out):
    audit = synth_out.stacks["audit"]
    actions = _resources(audit, "aws_securityhub_action_target")
    assert {a["name"] for a in actions.values()} == {"Isolate instance", "Quarantine principal"}
    assert all(a["depends_on"] == ["aws_securityhub_account.securityhub_account"] for a in actions.values())
    rule = _resources(audit, "aws_cloudwatch_event_rule")["security_events_rule_responder-isolate-instance"]
    pattern = json.loads(rule["event_pattern"])
    assert pattern["detail-type"] == ["Security Hub Findings - Custom Action"]
    assert pattern["resources"] == ["${aws_securityhub_action_target.security_hub_action_isolate-instance.arn}"]


@pytest.mark.parametrize("stack", [*MEMBER_STACKS, "management-baseline"])
def test_every_account_forwards_config_compliance_changes(synth_out, stack):
    data = synth_out.stacks[stack]
    rules = {k: r for k, r in _resources(data, "aws_cloudwatch_event_rule").items() if k.startswith("config_compliance_forward_")}
    assert sorted(rules) == ["config_compliance_forward_eu-central-1", "config_compliance_forward_eu-west-1"]
    for rule in rules.values():
        assert json.loads(rule["event_pattern"]) == {"source": ["aws.config"], "detail-type": ["Config Rules Compliance Change"]}
    role = _resources(data, "aws_iam_role")["security_events_forwarding_role"]
    (trust,) = _policy(role["assume_role_policy"])
    assert trust["Principal"] == {"Service": "events.amazonaws.com"} and "aws:SourceAccount" in trust["Condition"]["StringEquals"]
    (allow,) = _policy(_resources(data, "aws_iam_role_policy")["security_events_forwarding_policy"]["policy"])
    assert allow["Action"] == "events:PutEvents"
    assert allow["Resource"].startswith("arn:aws:events:eu-west-1:") and allow["Resource"].endswith(
        ":event-bus/acme-lz-security-events"
    )
    targets = _resources(data, "aws_cloudwatch_event_target")
    assert targets["config_compliance_forward_target_eu-central-1"]["arn"] == allow["Resource"]  # cross-region, to home


def test_runbooks_deploy_in_the_audit_account_shared_with_every_other_account(synth_out):
    documents = _resources(synth_out.stacks["audit"], "aws_ssm_document")
    assert len(documents) == 2 * len(load_runbooks())  # every governed region
    for document in documents.values():
        assert document["document_type"] == "Automation" and document["document_format"] == "YAML"
        assert document["content"] == load_runbooks()[document["name"]].content
        share = document["permissions"]
        assert share["type"] == "Share"
        assert share["account_ids"].count("cross-stack-output-aws_organizations_accountaccount_") == 9
        assert AUDIT_ID not in share["account_ids"]


@pytest.mark.parametrize("stack", MEMBER_STACKS)
def test_each_account_gets_a_remediation_and_a_responder_role(synth_out, stack):
    data = synth_out.stacks[stack]
    roles = _resources(data, "aws_iam_role")
    (trust,) = _policy(roles["remediation_role"]["assume_role_policy"])
    assert roles["remediation_role"]["name"] == "acme-lz-remediation"
    assert trust["Principal"] == {"Service": "ssm.amazonaws.com"}
    assert list(trust["Condition"]["StringEquals"]) == ["aws:SourceAccount"]
    (allow,) = _policy(_resources(data, "aws_iam_role_policy")["remediation_role_policy"]["policy"])
    example = ("LZ-BlockS3PublicAccess", "LZ-IsolateEC2Instance", "LZ-QuarantineIAMPrincipal", "LZ-RevokeOpenAdminIngress")
    if stack == "account-web-prod":  # the example's web ACL: the block list's runbook too
        example += ("LZ-WAF-BlockIp",)
    enabled = sorted({a for name in example for a in load_runbooks()[name].permissions})
    assert allow["Action"] == enabled  # only the runbooks the example's remediations and responders use
    (trust,) = _policy(roles["responder_role"]["assume_role_policy"])
    assert roles["responder_role"]["name"] == "acme-lz-responder"
    assert AUDIT_ID in trust["Principal"]["AWS"] and ORG_ID in trust["Condition"]["StringEquals"]["aws:PrincipalOrgID"]
    if stack != "audit":
        assert trust["Condition"]["ArnEquals"]["aws:PrincipalArn"].endswith(":role/acme-lz-responder")
    statements = _policy(_resources(data, "aws_iam_role_policy")["responder_role_policy"]["policy"])
    deny = next(s for s in statements if s["Effect"] == "Deny")
    assert "arn:aws:iam::*:role/acme-lz-*" in deny["Resource"]
    assert "arn:aws:cloudtrail:*:*:trail/acme-organization-trail" in deny["Resource"]
    assert {"arn:aws:s3:::acme-log-archive-*", "arn:aws:s3:::aws-waf-logs-acme-*"} <= set(deny["Resource"])


def test_remediation_deploys_as_account_rules_with_the_remediation_role(synth_out):
    payments = synth_out.stacks["account-payments-prod"]
    rules = _resources(payments, "aws_config_config_rule")
    assert sorted(rules) == [
        "remediated_rule_AWS-GR_RESTRICTED_SSH_eu-central-1",
        "remediated_rule_AWS-GR_RESTRICTED_SSH_eu-west-1",
        "remediated_rule_AWS-GR_S3_BUCKET_PUBLIC_READ_PROHIBITED_eu-central-1",
        "remediated_rule_AWS-GR_S3_BUCKET_PUBLIC_READ_PROHIBITED_eu-west-1",
    ]
    ssh_rule = rules["remediated_rule_AWS-GR_RESTRICTED_SSH_eu-west-1"]
    assert ssh_rule["name"] == "acme-lz-aws-gr-restricted-ssh"
    assert ssh_rule["source"] == {"owner": "AWS", "source_identifier": "INCOMING_SSH_DISABLED"}
    assert ssh_rule["depends_on"] == ["aws_config_configuration_recorder_status.config_recorder_status_eu-west-1"]
    remediations = _resources(payments, "aws_config_remediation_configuration")
    ssh = remediations["remediation_AWS-GR_RESTRICTED_SSH_eu-west-1"]
    assert ssh["automatic"] is True and ssh["maximum_automatic_attempts"] == 3 and ssh["retry_attempt_seconds"] == 60
    assert ssh["target_type"] == "SSM_DOCUMENT"
    assert ssh["target_id"].endswith(":document/LZ-RevokeOpenAdminIngress") and AUDIT_ID in ssh["target_id"]
    params = {p["name"]: p for p in ssh["parameter"]}
    assert params["AutomationAssumeRole"]["static_value"].endswith(":role/acme-lz-remediation")
    assert params["GroupId"] == {"name": "GroupId", "resource_value": "RESOURCE_ID"}
    assert params["Port"]["static_value"] == "22"
    s3 = remediations["remediation_AWS-GR_S3_BUCKET_PUBLIC_READ_PROHIBITED_eu-central-1"]
    assert s3["automatic"] is False and "maximum_automatic_attempts" not in s3
    assert ":eu-central-1:" in s3["target_id"]  # the region's own copy of the document
    # every remediation configuration names the assume role: none is left to the default
    for name in MEMBER_STACKS:
        for config in _resources(synth_out.stacks[name], "aws_config_remediation_configuration").values():
            assert "AutomationAssumeRole" in {p["name"] for p in config["parameter"]}
    # the network account is excluded from SSH remediation: the organization rule keeps it
    assert "remediated_rule_AWS-GR_RESTRICTED_SSH_eu-west-1" not in _resources(
        synth_out.stacks["network"], "aws_config_config_rule"
    )


def test_the_organization_rule_excludes_the_accounts_that_remediate(synth_out):
    rules = _resources(synth_out.stacks["detective-guardrails"], "aws_config_organization_managed_rule")
    ssh = next(r for r in rules.values() if r["name"] == "acme-lz-aws-gr-restricted-ssh")
    excluded = " ".join(ssh["excluded_accounts"])
    assert "network" not in excluded and "payments-prod" in excluded and "audit" in excluded
    versioning = next(r for r in rules.values() if r["name"] == "acme-lz-aws-gr-s3-versioning-enabled")
    assert "payments-prod" not in " ".join(versioning.get("excluded_accounts", []))
