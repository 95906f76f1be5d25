"""Synth assertions for the baseline web ACL (`incident_response.waf`) on a variant of the example
(tests/respond/conftest.py): web-prod and payments-prod in both governed regions with a rate limit. checkov judges the affected stacks with the project's config: zero failed checks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from landing_zone.scan.gate import scan

REPO = Path(__file__).resolve().parents[2]

STACK = "account-web-prod"
WAF_CHECKS = ("CKV2_AWS_31", "CKV_AWS_192")
"""checkov's WAF checks on terraform_json: logging configured; the Log4j rule group (known bad inputs)."""


@pytest.fixture(scope="module")
def variant(waf_variant):
    return waf_variant


def _resources(stack: dict, rtype: str) -> dict:
    return stack.get("resource", {}).get(rtype, {})


def test_the_web_acl_blocks_the_list_then_rate_limits_then_runs_the_managed_groups(variant):
    stack = variant.stacks[STACK]
    acls = _resources(stack, "aws_wafv2_web_acl")
    assert sorted(acls) == ["waf_web_acl_eu-central-1", "waf_web_acl_eu-west-1"]
    acl = acls["waf_web_acl_eu-west-1"]
    assert acl["name"] == "acme-lz-baseline" and acl["scope"] == "REGIONAL"
    assert acl["default_action"] == {"allow": {}}
    assert acl["visibility_config"] == {
        "cloudwatch_metrics_enabled": True,
        "metric_name": "acme-lz-baseline",
        "sampled_requests_enabled": True,
    }
    rules = {r["name"]: r for r in acl["rule"]}
    assert [r["name"] for r in sorted(acl["rule"], key=lambda r: r["priority"])] == [
        "block-list",
        "rate-limit",
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesAmazonIpReputationList",
    ]
    assert rules["block-list"]["action"] == {"block": {}}
    assert rules["block-list"]["statement"] == {
        "ip_set_reference_statement": {"arn": "${aws_wafv2_ip_set.waf_block_list_eu-west-1.arn}"}
    }
    assert rules["rate-limit"]["statement"] == {"rate_based_statement": {"aggregate_key_type": "IP", "limit": 2000}}
    assert rules["rate-limit"]["action"] == {"block": {}}
    for name in ("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"):
        assert rules[name]["override_action"] == {"none": {}}  # the group's own actions, none overridden
        assert rules[name]["statement"] == {"managed_rule_group_statement": {"name": name, "vendor_name": "AWS"}}
        assert "rule_action_override" not in json.dumps(rules[name])
    for rule in acl["rule"]:
        assert rule["visibility_config"]["cloudwatch_metrics_enabled"] is True
        assert rule["visibility_config"]["sampled_requests_enabled"] is True
        assert rule["visibility_config"]["metric_name"] == f"acme-lz-{rule['name']}"
    # each region's ACL uses its own region's provider and IP set
    central = acls["waf_web_acl_eu-central-1"]
    assert central["provider"] != acl.get("provider")
    assert "waf_block_list_eu-central-1" in json.dumps(central["rule"])


def test_the_block_list_is_an_ipv4_set_whose_addresses_belong_to_the_responders(variant):
    ip_sets = _resources(variant.stacks[STACK], "aws_wafv2_ip_set")
    ip_set = ip_sets["waf_block_list_eu-west-1"]
    assert ip_set["name"] == "acme-lz-block-list"
    assert ip_set["scope"] == "REGIONAL" and ip_set["ip_address_version"] == "IPV4"
    assert ip_set["addresses"] == []
    assert ip_set["lifecycle"] == {"ignore_changes": ["addresses"]}  # a runbook's additions are not taken back


def test_logs_go_to_an_encrypted_aws_waf_logs_group_without_credentials(variant):
    stack = variant.stacks[STACK]
    group = _resources(stack, "aws_cloudwatch_log_group")["waf_log_group_eu-west-1"]
    assert group["name"] == "aws-waf-logs-acme-lz-baseline"  # WAF's required prefix
    assert group["retention_in_days"] == 365
    assert group["kms_key_id"] == "${aws_kms_key.waf_log_key_eu-west-1.arn}"
    key = _resources(stack, "aws_kms_key")["waf_log_key_eu-west-1"]
    assert key["enable_key_rotation"] is True
    statements = {s["Sid"]: s for s in json.loads(key["policy"])["Statement"]}
    logs = statements["CloudWatchLogsEncrypt"]
    assert logs["Principal"] == {"Service": "logs.eu-west-1.amazonaws.com"}
    assert logs["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"].endswith(
        ":log-group:aws-waf-logs-acme-lz-baseline"
    )
    logging = _resources(stack, "aws_wafv2_web_acl_logging_configuration")["waf_logging_eu-west-1"]
    assert logging["resource_arn"] == "${aws_wafv2_web_acl.waf_web_acl_eu-west-1.arn}"
    assert logging["log_destination_configs"] == ["${aws_cloudwatch_log_group.waf_log_group_eu-west-1.arn}"]
    assert logging["redacted_fields"] == [{"single_header": {"name": "authorization"}}, {"single_header": {"name": "cookie"}}]


def test_only_the_listed_accounts_get_it(variant):
    assert len(_resources(variant.stacks["account-payments-prod"], "aws_wafv2_web_acl")) == 2
    assert not _resources(variant.stacks["account-web-nonprod"], "aws_wafv2_web_acl")
    assert not _resources(variant.stacks["audit"], "aws_wafv2_web_acl")


def test_the_remediation_role_may_run_the_block_list_runbook_where_waf_is(variant):
    def actions(stack: str) -> list[str]:
        policy = _resources(variant.stacks[stack], "aws_iam_role_policy").get("remediation_role_policy")
        return json.loads(policy["policy"])["Statement"][0]["Action"] if policy else []

    assert {"wafv2:GetIPSet", "wafv2:ListIPSets", "wafv2:UpdateIPSet"} <= set(actions(STACK))
    assert not any(a.startswith("wafv2:") for a in actions("account-web-nonprod"))


def test_the_waf_stacks_have_zero_failed_checkov_checks(variant, tmp_path):
    for name in (STACK, "account-payments-prod"):
        shutil.copytree(variant.stack_dir(name), tmp_path / "stacks" / name)
    result = scan(tmp_path, config=str(REPO / ".checkov.yaml"))
    failures = [f"{f.check_id} {f.resource} (stack {f.stack}): {f.check_name} {f.details}" for f in result.failures]
    assert failures == [], "\n".join(failures)
    assert result.parsing_errors == []
    # checkov's own WAF checks judged the four web ACLs (two accounts, two regions each) and passed them
    for check in WAF_CHECKS:
        assert result.checks[check] == {"passed": 4, "failed": 0, "skipped": 0}, check


def test_the_waf_stacks_policies_pass_the_policy_validator(variant):
    from landing_zone.policy_reference.synthesized import documents, validate_stacks

    stacks = {name: variant.stacks[name] for name in (STACK, "account-payments-prod")}
    addresses = {d.address for d in documents(stacks)}
    assert {"aws_kms_key.waf_log_key_eu-west-1", "aws_iam_role_policy.remediation_role_policy"} <= addresses
    found = [f"{doc.address}: {finding}" for doc, finding in validate_stacks(stacks)]
    assert found == []
