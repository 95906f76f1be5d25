"""Synth assertions for the baseline web ACL (`incident_response.waf`) on a variant of the example
(tests/respond/conftest.py): web-prod and payments-prod in both governed regions with a rate limit. checkov judges the affected stacks with the project's config: zero failed checks."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from landing_zone.checks.log_bucket_tamper_deny import is_log_bucket_policy, missing_denies
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


def test_logs_go_to_the_log_archives_waf_bucket_without_credentials(variant):
    stack = variant.stacks[STACK]
    for region in ("eu-west-1", "eu-central-1"):
        logging = _resources(stack, "aws_wafv2_web_acl_logging_configuration")[f"waf_logging_{region}"]
        assert logging["resource_arn"] == f"${{aws_wafv2_web_acl.waf_web_acl_{region}.arn}}"
        # the bucket's ARN is an output of the log-archive stack (so the log archive deploys first)
        (destination,) = logging["log_destination_configs"]
        assert re.fullmatch(
            r"\$\{data\.terraform_remote_state\.cross-stack-reference-input-log-archive\.outputs\.[^}]*waf_log_bucketarn\}",
            destination,
        )
        assert logging["redacted_fields"] == [{"single_header": {"name": "authorization"}}, {"single_header": {"name": "cookie"}}]
    # no log group or key of the account's own: one destination per web ACL, and that is the log archive
    assert not [k for k in _resources(stack, "aws_cloudwatch_log_group") if k.startswith("waf_")]
    assert not [k for k in _resources(stack, "aws_kms_key") if k.startswith("waf_")]
    outputs = variant.stacks["log-archive"]["output"]
    assert [v["value"] for k, v in outputs.items() if k.endswith("waf_log_bucketarn")] == ["${aws_s3_bucket.waf_log_bucket.arn}"]


def _account_ref(name: str) -> str:
    return f"${{data.terraform_remote_state.cross-stack-reference-input-management.outputs.cross-stack-output-aws_organizations_accountaccount_{name}id}}"


def test_the_waf_log_bucket_in_the_log_archive_is_hardened_like_the_log_bucket(variant):
    resources = variant.stacks["log-archive"]["resource"]
    bucket = resources["aws_s3_bucket"]["waf_log_bucket"]
    assert bucket["bucket"] == "aws-waf-logs-acme-" + _account_ref("log-archive")  # WAF's required prefix
    assert bucket["object_lock_enabled"] is True and bucket["lifecycle"] == {"prevent_destroy": True}
    lock = resources["aws_s3_bucket_object_lock_configuration"]["waf_log_bucket_object_lock"]
    assert lock["rule"]["default_retention"] == {"mode": "COMPLIANCE", "days": 365}  # the log bucket's mode, the WAF retention
    encryption = resources["aws_s3_bucket_server_side_encryption_configuration"]["waf_log_bucket_encryption"]
    assert encryption["rule"][0]["apply_server_side_encryption_by_default"] == {
        "sse_algorithm": "aws:kms",
        "kms_master_key_id": "${aws_kms_key.log_archive_key.arn}",
    }
    assert resources["aws_s3_bucket_versioning"]["waf_log_bucket_versioning"]["versioning_configuration"] == {"status": "Enabled"}
    assert all(
        resources["aws_s3_bucket_public_access_block"]["waf_log_bucket_public_access_block"][k] is True
        for k in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
    )
    lifecycles = variant.stacks["log-archive-lifecycle"]["resource"]["aws_s3_bucket_lifecycle_configuration"]
    lifecycle = lifecycles["waf_log_bucket_lifecycle"]["rule"][0]
    assert lifecycle["expiration"] == [{"days": 365}] and lifecycle["noncurrent_version_expiration"] == [{"noncurrent_days": 365}]
    logging = resources["aws_s3_bucket_logging"]["waf_log_bucket_access_logging"]
    assert logging["bucket"] == "${aws_s3_bucket.waf_log_bucket.id}"
    assert logging["target_bucket"] == "${aws_s3_bucket.access_log_bucket.id}"
    access_policy = json.loads(resources["aws_s3_bucket_policy"]["access_log_bucket_policy"]["policy"])["Statement"]
    sources = next(s for s in access_policy if s["Sid"] == "S3ServerAccessLogs")["Condition"]["ArnLike"]["aws:SourceArn"]
    assert sources == ["arn:aws:s3:::acme-log-archive-" + _account_ref("log-archive"), "arn:aws:s3:::" + bucket["bucket"]]


def test_only_the_organizations_waf_accounts_may_deliver_to_it_and_nobody_may_tamper(variant):
    resources = variant.stacks["log-archive"]["resource"]
    policy = {s["Sid"]: s for s in json.loads(resources["aws_s3_bucket_policy"]["waf_log_bucket_policy"]["policy"])["Statement"]}
    arn = "${aws_s3_bucket.waf_log_bucket.arn}"
    log_policy = json.loads(resources["aws_s3_bucket_policy"]["log_bucket_policy"]["policy"])["Statement"]
    # the same denies as the log bucket (TLS only, no version deletion or lock change, only the log key)
    denies = [s for s in log_policy if s["Effect"] == "Deny"]
    assert [s for s in policy.values() if s["Effect"] == "Deny"] == json.loads(
        json.dumps(denies).replace("${aws_s3_bucket.log_bucket.arn}", arn)
    )
    accounts = [_account_ref("web-prod"), _account_ref("payments-prod")]
    organization = "${data.terraform_remote_state.cross-stack-reference-input-management.outputs.cross-stack-output-aws_organizations_organizationorganizationid}"
    allows = [s for s in policy.values() if s["Effect"] == "Allow"]
    assert {s["Sid"] for s in allows} == {"AWSLogDeliveryAclCheck", "AWSLogDeliveryWrite"}
    for statement in allows:
        assert statement["Principal"] == {"Service": "delivery.logs.amazonaws.com"}
        condition = statement["Condition"]["StringEquals"]
        assert condition["aws:SourceOrgID"] == organization and condition["aws:SourceAccount"] == accounts
    write = policy["AWSLogDeliveryWrite"]
    assert write["Action"] == "s3:PutObject"
    assert write["Resource"] == [f"{arn}/AWSLogs/{a}/*" for a in accounts]  # each account under its own prefix
    assert write["Condition"]["StringEquals"]["s3:x-amz-acl"] == "bucket-owner-full-control"
    # the log key already lets the log delivery service of this organization encrypt (flow logs, WAF logs)
    key = {s["Sid"]: s for s in json.loads(resources["aws_kms_key"]["log_archive_key"]["policy"])["Statement"]}
    grant = key["LogDeliveryEncrypt"]
    assert grant["Principal"] == {"Service": "delivery.logs.amazonaws.com"} and "kms:GenerateDataKey*" in grant["Action"]
    assert grant["Condition"] == {"StringEquals": {"aws:SourceOrgID": organization}}
    document = {"Statement": list(policy.values())}
    assert is_log_bucket_policy(document) and missing_denies(document) == []  # CKV_LZ_43 holds it to the denies


def test_the_mandatory_guardrails_protect_the_waf_log_bucket_like_the_log_bucket(variant):
    scps = [p["content"] for p in variant.stacks["management"]["resource"]["aws_organizations_policy"].values()]
    for action in ("s3:PutBucketPolicy", "s3:DeleteBucket", "s3:PutLifecycleConfiguration"):
        denied = [
            set(s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]])
            for text in scps
            for s in json.loads(text).get("Statement", [])  # SCPs (other policy types have none)
            if s["Effect"] == "Deny" and action in (s.get("Action") if isinstance(s.get("Action"), list) else [s.get("Action")])
        ]
        assert any({"arn:aws:s3:::aws-waf-logs-acme-*", "arn:aws:s3:::acme-log-archive-*"} <= r for r in denied), action


def test_the_example_turns_it_on_in_web_prods_home_region_only(synth_out):
    acls = {
        name: sorted(_resources(stack, "aws_wafv2_web_acl"))
        for name, stack in synth_out.stacks.items()
        if _resources(stack, "aws_wafv2_web_acl")
    }
    assert acls == {STACK: ["waf_web_acl_eu-west-1"]}
    policy = json.loads(synth_out.stacks["log-archive"]["resource"]["aws_s3_bucket_policy"]["waf_log_bucket_policy"]["policy"])
    (write,) = [s for s in policy["Statement"] if s["Sid"] == "AWSLogDeliveryWrite"]
    assert write["Condition"]["StringEquals"]["aws:SourceAccount"] == [_account_ref("web-prod")]


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
    for name in (STACK, "account-payments-prod", "log-archive", "log-archive-lifecycle"):
        shutil.copytree(variant.stack_dir(name), tmp_path / "stacks" / name)
    result = scan(tmp_path, config=str(REPO / ".checkov.yaml"))
    failures = [f"{f.check_id} {f.resource} (stack {f.stack}): {f.check_name} {f.details}" for f in result.failures]
    assert failures == [], "\n".join(failures)
    assert result.parsing_errors == []
    # checkov's own WAF checks judged the four web ACLs (two accounts, two regions each) and passed them
    for check in WAF_CHECKS:
        assert result.checks[check] == {"passed": 4, "failed": 0, "skipped": 0}, check
    # the WAF log bucket is a log bucket to CKV_LZ_43 (the tamper denies): judged and passed with the log bucket
    assert result.checks["CKV_LZ_43"] == {"passed": 2, "failed": 0, "skipped": 0}


def test_the_waf_stacks_policies_pass_the_policy_validator(variant):
    from landing_zone.policy_reference.synthesized import documents, validate_stacks

    stacks = {name: variant.stacks[name] for name in (STACK, "account-payments-prod", "log-archive")}
    addresses = {d.address for d in documents(stacks)}
    assert {"aws_s3_bucket_policy.waf_log_bucket_policy", "aws_iam_role_policy.remediation_role_policy"} <= addresses
    found = [f"{doc.address}: {finding}" for doc, finding in validate_stacks(stacks)]
    assert found == []
