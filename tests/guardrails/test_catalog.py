"""Catalog integrity: ids, tiers, required fields, the controls the issue asks for,
and every control rendered, packed and linted (parliament) with zero findings."""

from __future__ import annotations

import json

from parliament import analyze_policy_string

from landing_zone.guardrails.catalog import BEHAVIOURS, FREQUENCIES, ROLE_TARGETS, by_tier, catalog
from landing_zone.guardrails.enabled import enabled_controls
from landing_zone.guardrails.templates import placeholders

# Control Tower's mandatory (23) and strongly recommended (14) controls by API id (REFERENCE.md 3.1, 3.2).
MANDATORY = {
    "AWS-GR_CT_AUDIT_BUCKET_ENCRYPTION_CHANGES_PROHIBITED",
    "AWS-GR_CT_AUDIT_BUCKET_LOGGING_CONFIGURATION_CHANGES_PROHIBITED",
    "AWS-GR_CT_AUDIT_BUCKET_POLICY_CHANGES_PROHIBITED",
    "AWS-GR_CT_AUDIT_BUCKET_LIFECYCLE_CONFIGURATION_CHANGES_PROHIBITED",
    "AWS-GR_LOG_GROUP_POLICY",
    "AWS-GR_CONFIG_AGGREGATION_AUTHORIZATION_POLICY",
    "AWS-GR_AUDIT_BUCKET_DELETION_PROHIBITED",
    "AWS-GR_AUDIT_BUCKET_PUBLIC_READ_PROHIBITED",
    "AWS-GR_AUDIT_BUCKET_PUBLIC_WRITE_PROHIBITED",
    "AWS-GR_CLOUDTRAIL_CHANGE_PROHIBITED",
    "AWS-GR_CLOUDTRAIL_CLOUDWATCH_LOGS_ENABLED",
    "AWS-GR_CLOUDTRAIL_ENABLED",
    "AWS-GR_CLOUDTRAIL_VALIDATION_ENABLED",
    "AWS-GR_CLOUDWATCH_EVENTS_CHANGE_PROHIBITED",
    "AWS-GR_CONFIG_AGGREGATION_CHANGE_PROHIBITED",
    "AWS-GR_CONFIG_CHANGE_PROHIBITED",
    "AWS-GR_CONFIG_ENABLED",
    "AWS-GR_CONFIG_RULE_CHANGE_PROHIBITED",
    "AWS-GR_IAM_ROLE_CHANGE_PROHIBITED",
    "AWS-GR_LAMBDA_CHANGE_PROHIBITED",
    "AWS-GR_SNS_CHANGE_PROHIBITED",
    "AWS-GR_SNS_SUBSCRIPTION_CHANGE_PROHIBITED",
    "AWS-GR_ENSURE_CLOUDTRAIL_ENABLED_ON_SHARED_ACCOUNTS",
}
STRONGLY_RECOMMENDED = {
    "AWS-GR_RESTRICT_ROOT_USER_ACCESS_KEYS": "preventive",
    "AWS-GR_RESTRICT_ROOT_USER": "preventive",
    "AWS-GR_ENCRYPTED_VOLUMES": "ENCRYPTED_VOLUMES",
    "AWS-GR_RESTRICTED_COMMON_PORTS": "RESTRICTED_INCOMING_TRAFFIC",
    "AWS-GR_RESTRICTED_SSH": "INCOMING_SSH_DISABLED",
    "AWS-GR_ROOT_ACCOUNT_MFA_ENABLED": "ROOT_ACCOUNT_MFA_ENABLED",
    "AWS-GR_S3_BUCKET_PUBLIC_READ_PROHIBITED": "S3_BUCKET_PUBLIC_READ_PROHIBITED",
    "AWS-GR_S3_BUCKET_PUBLIC_WRITE_PROHIBITED": "S3_BUCKET_PUBLIC_WRITE_PROHIBITED",
    "AWS-GR_EC2_VOLUME_INUSE_CHECK": "EC2_VOLUME_INUSE_CHECK",
    "AWS-GR_EBS_OPTIMIZED_INSTANCE": "EBS_OPTIMIZED_INSTANCE",
    "AWS-GR_RDS_INSTANCE_PUBLIC_ACCESS_CHECK": "RDS_INSTANCE_PUBLIC_ACCESS_CHECK",
    "AWS-GR_RDS_SNAPSHOTS_PUBLIC_PROHIBITED": "RDS_SNAPSHOTS_PUBLIC_PROHIBITED",
    "AWS-GR_RDS_STORAGE_ENCRYPTED": "RDS_STORAGE_ENCRYPTED",
    "AWS-GR_DETECT_CLOUDTRAIL_ENABLED_ON_MEMBER_ACCOUNTS": "CLOUD_TRAIL_ENABLED",
}
# The electives the issue names, each by the id that implements it.
ELECTIVES = {
    "AWS-GR_REGION_DENY",
    "LZ-ORG-DENY-LEAVE",
    "AWS-GR_AUDIT_BUCKET_POLICY_CHANGES_PROHIBITED",
    "AWS-GR_AUDIT_BUCKET_ENCRYPTION_ENABLED",
    "AWS-GR_AUDIT_BUCKET_LOGGING_ENABLED",
    "AWS-GR_AUDIT_BUCKET_RETENTION_POLICY",
    "AWS-GR_RESTRICT_S3_CROSS_REGION_REPLICATION",
    "AWS-GR_RESTRICT_S3_DELETE_WITHOUT_MFA",
    "AWS-GR_IAM_USER_MFA_ENABLED",
    "AWS-GR_MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS",
    "AWS-GR_S3_VERSIONING_ENABLED",
    "LZ-CFN-REGISTRY-CHANGES-PROHIBITED",
    "AWS-GR_DISALLOW_VPC_INTERNET_ACCESS",
    "AWS-GR_DISALLOW_VPN_CONNECTIONS",
    "AWS-GR_DISALLOW_CROSS_REGION_NETWORKING",
    "LZ-GUARDDUTY-DISABLE-PROHIBITED",
    "LZ-SECURITYHUB-DISABLE-PROHIBITED",
    "LZ-ACCESS-ANALYZER-DELETE-PROHIBITED",
    "LZ-EC2-REQUIRE-IMDSV2",
}


def test_tiers_hold_exactly_control_towers_mandatory_and_strongly_recommended_controls():
    assert {c.id for c in by_tier("mandatory")} == MANDATORY
    assert {c.id for c in by_tier("strongly_recommended")} == set(STRONGLY_RECOMMENDED)
    assert ELECTIVES <= {c.id for c in by_tier("elective")}


def test_strongly_recommended_mechanisms_match_control_tower():
    for cid, mechanism in STRONGLY_RECOMMENDED.items():
        control = catalog()[cid]
        got = "preventive" if control.preventive else control.config_rule.source_identifier
        assert got == mechanism, cid


def test_every_entry_is_complete():
    for control in catalog().values():
        assert control.title and control.behaviour in BEHAVIOURS and control.default_targets, control.id
        assert set(control.default_targets) <= set(ROLE_TARGETS), control.id
        if control.preventive:
            assert control.statements and all(s["Effect"] == "Deny" and "Sid" not in s for s in control.statements), control.id
        else:
            rule = control.config_rule
            assert rule.source_identifier.isupper() and not control.statements, control.id
            assert rule.maximum_execution_frequency in (None, *FREQUENCIES), control.id
        for name in placeholders(control.statements) | placeholders(
            dict(control.config_rule.input_parameters) if control.config_rule else {}
        ):
            assert name in control.parameters or name in (
                "exempt_principal_arns",
                "log_bucket_arns",
                "trail_arns",
                "role_arns",
                "log_group_arns",
                "event_rule_arns",
                "function_arns",
                "topic_arns",
                "security_topic_arns",
                "managed_tag_key",
                "managed_tag_value",
                "region_deny_exemptions",
            ), (control.id, name)


def test_mandatory_controls_protect_this_landing_zone_and_exempt_only_its_access_role(example_plan):
    mandatory = [c for c in example_plan.preventive if c.control.tier == "mandatory"]
    text = json.dumps([c.statements for c in mandatory])
    assert "controltower" not in text.lower() and "AWSControlTowerExecution" not in text
    principals = set()
    for c in mandatory:
        for s in c.statements:
            # ArnNotLike, or StringNotLike where Control Tower's artifact uses it (the log group control)
            [exempt] = [keys["aws:PrincipalArn"] for op, keys in s["Condition"].items() if op in ("ArnNotLike", "StringNotLike")]
            principals.update([exempt] if isinstance(exempt, str) else exempt)
    # The access role is what every member-account stack assumes: without it the landing zone's own baseline would
    # be denied there. The deployment role runs only in the management account, where SCPs never apply: exempting
    # its name would only serve a member account's role of that name (issue 24.6).
    assert principals == {"arn:aws:iam::*:role/OrganizationAccountAccessRole"}
    resources = {
        r for c in mandatory for s in c.statements for r in ([s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"])
    }
    assert {
        "arn:aws:cloudtrail:*:*:trail/acme-organization-trail",
        "arn:aws:s3:::acme-log-archive-*",
        "arn:aws:iam::*:role/acme-lz-*",
        "arn:aws:lambda:*:*:function:acme-lz-*",
        "arn:aws:sns:*:*:acme-lz-security-notifications",
    } <= resources


def test_every_control_can_be_enabled_at_once_and_fits_the_quotas(everything_plan):
    assert {c.id for c in everything_plan.controls} >= set(catalog())
    assert not everything_plan.failures


def test_every_preventive_control_lands_in_a_packed_policy(everything_plan):
    packed = {cid for scp in everything_plan.scps for ids in scp.sid_controls.values() for cid in ids}
    assert {c.id for c in catalog().values() if c.preventive} <= packed


def test_every_detective_control_becomes_an_organization_rule(everything_plan):
    rules = {r.control_id: r for r in everything_plan.detective_rules}
    for control in catalog().values():
        if not control.preventive:
            assert rules[control.id].source_identifier == control.config_rule.source_identifier
            assert rules[control.id].regions, control.id
    ports = json.loads(rules["AWS-GR_RESTRICTED_COMMON_PORTS"].input_parameters)
    assert ports == {
        "blockedPort1": "20",
        "blockedPort2": "21",
        "blockedPort3": "3389",
        "blockedPort4": "3306",
        "blockedPort5": "4333",
    }
    assert rules["AWS-GR_ROOT_ACCOUNT_MFA_ENABLED"].regions == ("eu-west-1",)  # account-level: home region only
    assert rules["AWS-GR_RESTRICTED_SSH"].regions == ("eu-west-1", "eu-central-1")


def test_every_generated_scp_is_valid_deny_only_json_that_parliament_accepts(everything_plan, example_plan):
    scps = everything_plan.scps + example_plan.scps
    assert scps
    for scp in scps:
        document = json.loads(scp.content)
        assert document["Version"] == "2012-10-17"
        assert all(s["Effect"] == "Deny" for s in document["Statement"])
        assert scp.content == json.dumps(document, separators=(",", ":"))  # minified
        # parliament's default auditors check actions, resources and condition keys; its
        # community auditors judge what a policy *allows* (escalation, sensitive access),
        # which says nothing about deny-only SCPs and costs ~15 s per `Action: *`.
        findings = analyze_policy_string(scp.content).findings
        assert [(f.issue, f.detail) for f in findings] == [], scp.name


def test_parliament_does_find_a_typo_in_an_action():
    """The lint above is not vacuous: a misspelt action is a finding."""
    doc = '{"Version":"2012-10-17","Statement":[{"Sid":"X","Effect":"Deny","Action":"s3:PutBucketPolicyy","Resource":"*"}]}'
    assert [f.issue for f in analyze_policy_string(doc).findings] == ["UNKNOWN_ACTION"]


def test_sids_are_unique_and_derived_from_control_ids(everything_plan):
    for scp in everything_plan.scps:
        sids = [s["Sid"] for s in json.loads(scp.content)["Statement"]]
        assert len(sids) == len(set(sids)) and all(s.isalnum() for s in sids)
    control = next(c for c in enabled_controls(everything_plan.env) if c.id == "LZ-EC2-REQUIRE-IMDSV2")
    assert [s["Sid"] for s in control.statements] == ["LZEC2REQUIREIMDSV21", "LZEC2REQUIREIMDSV22"]
    control = next(c for c in enabled_controls(everything_plan.env) if c.id == "AWS-GR_LOG_GROUP_POLICY")
    assert [s["Sid"] for s in control.statements] == ["AWSGRLOGGROUPPOLICY"]
