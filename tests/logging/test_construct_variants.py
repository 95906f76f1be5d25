"""Construct options the example does not use, on a small throwaway app synthesized once for the module."""

from __future__ import annotations

import json

import pytest
from stack_json import one, resources

HOME, OTHER = "eu-west-1", "eu-central-1"
ACCOUNT = "222222222222"


@pytest.fixture(scope="module")
def stacks(tmp_path_factory):
    from cdktf import App, TerraformStack
    from cdktf_cdktf_provider_aws.provider import AwsProvider

    from landing_zone.constructs.baseline import AccountBaseline, AccountBaselineProps, ConfigDelivery
    from landing_zone.constructs.logging import LogArchive, LogArchiveProps, LogWriters, OrganizationTrail, OrganizationTrailProps
    from landing_zone.constructs.security import (
        GuardDutyOrganization,
        GuardDutyOrganizationProps,
        SecurityHubOrganization,
        SecurityHubOrganizationProps,
        SecurityNotifications,
        SecurityNotificationsProps,
    )

    out = tmp_path_factory.mktemp("variants")
    app = App(outdir=str(out))
    writers = LogWriters(
        organization_id="o-abc123",
        trail_arn="arn:aws:cloudtrail:eu-west-1:111111111111:trail/t",
        management_account_id="111111111111",
        config_role_name="x-lz-config-recorder",
    )

    def stack(name, regions=(HOME,)):
        s = TerraformStack(app, name)
        return s, {r: AwsProvider(s, f"aws_{r}", region=r, alias=None if r == HOME else r) for r in regions}

    s, p = stack("single-region")
    SecurityHubOrganization(
        s,
        "hub",
        SecurityHubOrganizationProps(
            provider=p[HOME], home_region=HOME, linked_regions=(), root_id="r-1", policy_name="x", standards=("nist-800-53-r5",)
        ),
    )
    SecurityNotifications(
        s,
        "notify",
        SecurityNotificationsProps(
            account_id=ACCOUNT,
            home_region=HOME,
            providers=p,
            topic_name="x-lz-security",
            key_alias="alias/x-lz-n",
            rule_prefix="x-lz-",
            forwarding_role_name="x-lz-fwd",
            severity_threshold="CRITICAL",
            guardduty=False,
        ),
    )
    GuardDutyOrganization(
        s, "gd", GuardDutyOrganizationProps(providers=p, features=("S3_DATA_EVENTS",), organization_configuration=False)
    )
    AccountBaseline(
        s,
        "baseline",
        AccountBaselineProps(
            account_id=ACCOUNT,
            home_region=HOME,
            providers=p,
            password_policy=None,
            s3_public_access_block=False,
            imdsv2_required=False,
        ),
    )

    s, p = stack("plain-archive")
    LogArchive(
        s,
        "archive",
        LogArchiveProps(
            account_id=ACCOUNT,
            region=HOME,
            writers=writers,
            log_bucket_name="x-log-archive-2",
            access_log_bucket_name="x-log-archive-access-2",
            key_alias="alias/x-lz-logs",
            glacier_transition_days=None,
            object_lock_mode=None,
            prevent_destroy=False,
        ),
    )
    OrganizationTrail(
        s,
        "trail",
        OrganizationTrailProps(
            trail_name="t",
            account_id="111111111111",
            region=HOME,
            bucket_name="x-log-archive-2",
            kms_key_arn="arn:aws:kms:eu-west-1:222222222222:key/k",
            log_group_name="x-lz-cloudtrail",
            role_name="x-lz-ct",
            log_group_kms_key_arn="arn:aws:kms:eu-west-1:111111111111:key/given",
            s3_data_events="read",
            insights=("ApiErrorRateInsight", "ApiCallRateInsight"),
            prevent_destroy=False,
        ),
    )
    AccountBaseline(
        s,
        "baseline",
        AccountBaselineProps(
            account_id=ACCOUNT,
            home_region=HOME,
            providers=p,
            config=ConfigDelivery(
                bucket_name="x-log-archive-2",
                kms_key_arn="arn:aws:kms:eu-west-1:222222222222:key/k",
                recorder_name="x-config-recorder",
                delivery_channel_name="x-config-delivery",
                role_name="x-lz-config-recorder",
                service_linked_role=False,
                regions=(HOME,),
            ),
        ),
    )
    app.synth()
    return {name: json.loads((out / "stacks" / name / "cdk.tf.json").read_text()) for name in ("single-region", "plain-archive")}


def test_a_single_region_aggregates_nothing_and_forwards_nothing(stacks):
    s = stacks["single-region"]
    aggregator = one(s, "aws_securityhub_finding_aggregator", "securityhub_finding_aggregator")
    assert aggregator["linking_mode"] == "NO_REGIONS" and "specified_regions" not in aggregator
    policy = one(s, "aws_securityhub_configuration_policy", "securityhub_configuration_policy")["configuration_policy"]
    assert policy["enabled_standard_arns"] == ["arn:aws:securityhub:eu-west-1::standards/nist-800-53/v/5.0.0"]
    assert set(resources(s, "aws_cloudwatch_event_rule")) == {"securityhub_findings"}  # GuardDuty off: its rule too
    assert not [r for r in resources(s, "aws_iam_role") if "forwarding" in r]
    labels = json.loads(resources(s, "aws_cloudwatch_event_rule")["securityhub_findings"]["event_pattern"])["detail"]["findings"][
        "Severity"
    ]["Label"]
    assert labels == ["CRITICAL"]


def test_guardduty_without_organization_configuration_keeps_detector_and_features(stacks):
    s = stacks["single-region"]
    assert resources(s, "aws_guardduty_detector") and resources(s, "aws_guardduty_detector_feature")
    assert not resources(s, "aws_guardduty_organization_configuration")
    assert not resources(s, "aws_guardduty_organization_configuration_feature")


def test_baseline_parts_can_be_left_out(stacks):
    s = stacks["single-region"]
    for absent in (
        "aws_iam_account_password_policy",
        "aws_s3_account_public_access_block",
        "aws_ec2_instance_metadata_defaults",
        "aws_config_configuration_recorder",
    ):
        assert not resources(s, absent), absent
    assert one(s, "aws_ebs_encryption_by_default", f"ebs_encryption_by_default_{HOME}")["enabled"] is True


def test_archive_without_object_lock_or_glacier_and_unprotected(stacks):
    s = stacks["plain-archive"]
    bucket = one(s, "aws_s3_bucket", "log_bucket")
    assert "object_lock_enabled" not in bucket and bucket["lifecycle"]["prevent_destroy"] is False
    assert not resources(s, "aws_s3_bucket_object_lock_configuration")
    assert "transition" not in one(s, "aws_s3_bucket_lifecycle_configuration", "log_bucket_lifecycle")["rule"][0]


def test_trail_with_a_given_log_group_key_and_read_events(stacks):
    s = stacks["plain-archive"]
    assert not resources(s, "aws_kms_key").get("trail_log_group_key")
    assert one(s, "aws_cloudwatch_log_group", "trail_log_group")["kms_key_id"] == "arn:aws:kms:eu-west-1:111111111111:key/given"
    management, data = one(s, "aws_cloudtrail", "organization_trail")["event_selector"]
    assert management == {"read_write_type": "All", "include_management_events": True}
    assert data["read_write_type"] == "ReadOnly" and data["include_management_events"] is False


def test_config_can_record_with_a_role_of_its_own(stacks):
    s = stacks["plain-archive"]
    assert not resources(s, "aws_iam_service_linked_role")
    role = one(s, "aws_iam_role", "config_recorder_role")
    assert role["name"] == "x-lz-config-recorder"
    recorder = one(s, "aws_config_configuration_recorder", f"config_recorder_{HOME}")
    assert recorder["role_arn"] == "${aws_iam_role.config_recorder_role.arn}"
    channel = one(s, "aws_config_delivery_channel", f"config_delivery_channel_{HOME}")
    assert "aws_iam_role_policy.config_recorder_role_delivery_policy" in channel["depends_on"]
    # and the log bucket admits that role, under its own account's prefix only
    policy = json.loads(one(s, "aws_s3_bucket_policy", "log_bucket_policy")["policy"])
    sids = {st["Sid"]: st for st in policy["Statement"]}
    assert sids["ConfigRoleWrite"]["Resource"].endswith("/AWSLogs/$${aws:PrincipalAccount}/Config/*")


def test_trail_insights_when_asked(stacks):
    trail = one(stacks["plain-archive"], "aws_cloudtrail", "organization_trail")
    assert trail["insight_selector"] == [{"insight_type": "ApiCallRateInsight"}, {"insight_type": "ApiErrorRateInsight"}]


def test_an_archive_without_object_lock_still_denies_version_deletion(stacks):
    policy = json.loads(one(stacks["plain-archive"], "aws_s3_bucket_policy", "log_bucket_policy")["policy"])
    deny = {s["Sid"]: s for s in policy["Statement"]}["DenyLogTampering"]
    assert "s3:DeleteObjectVersion" in deny["Action"] and deny["Principal"] == {"AWS": "*"}
    # No guardians given: the key policy adds no deny (and never locks out its own account).
    key = json.loads(one(stacks["plain-archive"], "aws_kms_key", "log_archive_key")["policy"])
    assert "DenyKeyTampering" not in {s["Sid"] for s in key["Statement"]}


def test_a_log_archive_that_would_let_logs_go_early_is_refused():
    from cdktf import App, TerraformStack

    from landing_zone.constructs.logging import LogArchive, LogArchiveProps, LogWriters

    writers = LogWriters(
        organization_id="o-abc123",
        trail_arn="arn:aws:cloudtrail:eu-west-1:111111111111:trail/t",
        management_account_id="111111111111",
        config_role_name="x-lz-config-recorder",
    )
    common = dict(
        account_id=ACCOUNT,
        region=HOME,
        writers=writers,
        log_bucket_name="b",
        access_log_bucket_name="a",
        key_alias="alias/k",
        retention_days=1000,
    )
    with pytest.raises(ValueError, match=r"noncurrent_retention_days \(90\) is shorter than retention_days \(1000\)"):
        LogArchive(TerraformStack(App(), "s1"), "a", LogArchiveProps(**common, noncurrent_retention_days=90))
    with pytest.raises(ValueError, match=r"object_lock_days \(365\) is shorter than retention_days \(1000\)"):
        LogArchive(TerraformStack(App(), "s2"), "a", LogArchiveProps(**common, object_lock_days=365))


def test_wrong_props_are_refused_with_a_reason():
    from cdktf import App, TerraformStack
    from cdktf_cdktf_provider_aws.provider import AwsProvider

    from landing_zone.constructs.baseline import AccountBaseline, AccountBaselineProps
    from landing_zone.constructs.security.security_hub import standard_arn

    s = TerraformStack(App(), "s")
    with pytest.raises(ValueError, match="no provider for the home region 'eu-west-1'"):
        AccountBaseline(
            s,
            "b",
            AccountBaselineProps(account_id=ACCOUNT, home_region=HOME, providers={OTHER: AwsProvider(s, "aws", region=OTHER)}),
        )
    with pytest.raises(ValueError, match="unknown Security Hub standard 'cis-1.2'"):
        standard_arn("cis-1.2", HOME)
