"""The example's log archive, organization trail and account baselines, as synthesized (synth_out)."""

from __future__ import annotations

import pytest
from stack_json import one, reads_from, resources, statements

from landing_zone.naming import LandingZoneNames

ACCOUNT_STACKS = ("log-archive", "audit", "management-baseline")


@pytest.fixture(scope="module")
def log_archive(synth_out):
    return synth_out.stacks["log-archive"]


@pytest.fixture(scope="module")
def log_lifecycles(synth_out):
    """The log archive buckets' lifecycle configurations: in a stack of their own (issue 23 B.3)."""
    return synth_out.stacks["log-archive-lifecycle"]


@pytest.fixture(scope="module")
def trail_stack(synth_out):
    return synth_out.stacks["management-baseline"]


def test_stacks_and_their_order(synth_out):
    deps = {name: set(entry["dependencies"]) for name, entry in synth_out.manifest["stacks"].items()}
    # The trail and every Config channel write to the log archive: it comes first.
    assert {"management", "log-archive"} <= deps["management-baseline"]
    assert {"management", "log-archive"} <= deps["audit"]
    assert deps["log-archive"] == {"management"}
    # management-baseline runs with the management account's own credentials.
    assert all("assume_role" not in p for p in synth_out.stacks["management-baseline"]["provider"]["aws"])


def test_log_key_rotates_and_is_protected(log_archive, env):
    key = one(log_archive, "aws_kms_key", "log_archive_key")
    assert key["enable_key_rotation"] is True and key["deletion_window_in_days"] == env.logging.kms_deletion_window_days
    assert key["lifecycle"]["prevent_destroy"] is True
    sids = set(statements(key))
    assert sids == {
        "KeyAdministration",
        "DenyKeyTampering",
        "CloudTrailEncrypt",
        "CloudTrailDescribeKey",
        "CloudTrailDecryptForBucketKey",
        "ConfigEncrypt",
        "LogDeliveryEncrypt",
        "OrganizationUseThroughS3",
    }
    alias = one(log_archive, "aws_kms_alias", "log_archive_key_alias")
    assert alias["name"] == LandingZoneNames.of(env).kms_alias


@pytest.mark.parametrize("bucket", ["log_bucket", "access_log_bucket"])
def test_both_buckets_are_private_versioned_encrypted_and_owner_enforced(log_archive, bucket):
    assert one(log_archive, "aws_s3_bucket", bucket)["lifecycle"]["prevent_destroy"] is True
    pab = one(log_archive, "aws_s3_bucket_public_access_block", f"{bucket}_public_access_block")
    assert all(
        pab[flag] is True
        for flag in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
    )
    assert one(log_archive, "aws_s3_bucket_versioning", f"{bucket}_versioning")["versioning_configuration"]["status"] == "Enabled"
    assert (
        one(log_archive, "aws_s3_bucket_ownership_controls", f"{bucket}_ownership")["rule"]["object_ownership"]
        == "BucketOwnerEnforced"
    )
    deny = statements(one(log_archive, "aws_s3_bucket_policy", f"{bucket}_policy"))["DenyInsecureTransport"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_log_bucket_uses_the_key_with_a_bucket_key_and_the_configured_lifecycle(log_archive, log_lifecycles, env):
    rule = one(log_archive, "aws_s3_bucket_server_side_encryption_configuration", "log_bucket_encryption")["rule"][0]
    assert rule["apply_server_side_encryption_by_default"] == {
        "sse_algorithm": "aws:kms",
        "kms_master_key_id": "${aws_kms_key.log_archive_key.arn}",
    }
    assert rule["bucket_key_enabled"] is True
    life = one(log_lifecycles, "aws_s3_bucket_lifecycle_configuration", "log_bucket_lifecycle")["rule"][0]
    bucket = env.logging.log_bucket
    assert life["expiration"] == [{"days": bucket.retention_days}]
    assert life["transition"] == [{"days": bucket.glacier_transition_days, "storage_class": "GLACIER"}]
    assert life["noncurrent_version_expiration"] == [{"noncurrent_days": bucket.noncurrent_days}]
    assert life["abort_incomplete_multipart_upload"] == [{"days_after_initiation": 7}]
    lock = one(log_archive, "aws_s3_bucket_object_lock_configuration", "log_bucket_object_lock")["rule"]["default_retention"]
    assert lock == {"mode": bucket.object_lock.mode, "days": bucket.lock_days}
    assert one(log_archive, "aws_s3_bucket", "log_bucket")["object_lock_enabled"] is True


def test_access_log_bucket_is_sse_s3_with_its_own_retention_and_receives_the_log_buckets_logs(log_archive, log_lifecycles, env):
    rule = one(log_archive, "aws_s3_bucket_server_side_encryption_configuration", "access_log_bucket_encryption")["rule"][0]
    assert rule["apply_server_side_encryption_by_default"] == {"sse_algorithm": "AES256"}
    life = one(log_lifecycles, "aws_s3_bucket_lifecycle_configuration", "access_log_bucket_lifecycle")["rule"][0]
    assert life["expiration"] == [{"days": env.logging.access_log_bucket.retention_days}]
    logging = one(log_archive, "aws_s3_bucket_logging", "log_bucket_access_logging")
    assert (
        logging["bucket"] == "${aws_s3_bucket.log_bucket.id}"
        and logging["target_bucket"] == "${aws_s3_bucket.access_log_bucket.id}"
    )
    assert "aws_s3_bucket_policy.access_log_bucket_policy" in logging["depends_on"]


def test_log_bucket_policy_admits_only_this_organizations_trail_and_config(log_archive, env):
    s = statements(one(log_archive, "aws_s3_bucket_policy", "log_bucket_policy"))
    trail_arn = s["CloudTrailWrite"]["Condition"]["StringEquals"]["aws:SourceArn"]
    names = LandingZoneNames.of(env)
    assert trail_arn.startswith(f"arn:aws:cloudtrail:{env.organization.home_region}:") and trail_arn.endswith(
        f":trail/{names.trail}"
    )
    assert reads_from(trail_arn, "management")  # the management account's id
    assert reads_from(s["ConfigWrite"]["Condition"]["StringEquals"]["aws:SourceOrgID"], "management")
    # Config records with its service-linked role and delivers as config.amazonaws.com: no role is admitted
    assert "ConfigRoleWrite" not in s and "ConfigRoleBucketCheck" not in s


def test_organization_trail(trail_stack, env):
    trail = one(trail_stack, "aws_cloudtrail", "organization_trail")
    expected = {
        "is_organization_trail": True,
        "is_multi_region_trail": True,
        "include_global_service_events": True,
        "enable_log_file_validation": True,
        "enable_logging": True,
        "name": LandingZoneNames.of(env).trail,
    }
    assert {k: trail[k] for k in expected} == expected
    assert reads_from(trail["s3_bucket_name"], "log-archive") and reads_from(trail["kms_key_id"], "log-archive")
    assert trail["cloud_watch_logs_group_arn"] == "${aws_cloudwatch_log_group.trail_log_group.arn}:*"
    assert trail["cloud_watch_logs_role_arn"] == "${aws_iam_role.trail_cloudwatch_role.arn}"
    assert trail["lifecycle"]["prevent_destroy"] is True
    # Management events read and write (CIS 3.1: Get*, List*, Describe* too); the example's S3 object writes
    # (CIS 3.8) in a selector of their own, which records no management events twice.
    assert trail["event_selector"] == [
        {"read_write_type": "All", "include_management_events": True},
        {
            "read_write_type": "WriteOnly",
            "include_management_events": False,
            "data_resource": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}],
        },
    ]


def test_trail_log_group_retention_and_key(trail_stack, env):
    group = one(trail_stack, "aws_cloudwatch_log_group", "trail_log_group")
    assert group["retention_in_days"] == env.logging.organization_trail.cloudwatch_logs_retention_days
    assert group["kms_key_id"] == "${aws_kms_key.trail_log_group_key.arn}"
    key = statements(one(trail_stack, "aws_kms_key", "trail_log_group_key"))
    context = key["CloudWatchLogsEncrypt"]["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"]
    assert context.endswith(f":log-group:{group['name']}")
    role_policy = statements(one(trail_stack, "aws_iam_role_policy", "trail_cloudwatch_role_policy"))["0"]
    assert role_policy["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert role_policy["Resource"] == "${aws_cloudwatch_log_group.trail_log_group.arn}:log-stream:*"


@pytest.mark.parametrize("stack_name", ACCOUNT_STACKS)
def test_every_core_stack_applies_the_account_baseline(synth_out, env, stack_name):
    stack = synth_out.stacks[stack_name]
    governed = env.organization.governed_regions
    home = env.organization.home_region
    password = one(stack, "aws_iam_account_password_policy", "account_password_policy")
    assert password["minimum_password_length"] >= 14 and password["password_reuse_prevention"] == 24
    pab = one(stack, "aws_s3_account_public_access_block", "account_s3_public_access_block")
    assert all(
        pab[f] is True for f in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
    )
    for region in governed:
        provider = "aws" if region == home else f"aws.{region}"  # the region's own provider
        ebs = one(stack, "aws_ebs_encryption_by_default", f"ebs_encryption_by_default_{region}")
        assert ebs["enabled"] is True and ebs["provider"] == provider
        imds = one(stack, "aws_ec2_instance_metadata_defaults", f"instance_metadata_defaults_{region}")
        assert imds["http_tokens"] == "required"
        recorder = one(stack, "aws_config_configuration_recorder", f"config_recorder_{region}")
        assert recorder["provider"] == provider
        # Global resource types (IAM) only in the home region.
        assert recorder["recording_group"] == {"all_supported": True, "include_global_resource_types": region == home}
        channel = one(stack, "aws_config_delivery_channel", f"config_delivery_channel_{region}")
        assert channel["snapshot_delivery_properties"] == {"delivery_frequency": env.logging.config.delivery_frequency}
        status = one(stack, "aws_config_configuration_recorder_status", f"config_recorder_status_{region}")
        assert (
            status["is_enabled"] is True
            and f"aws_config_delivery_channel.config_delivery_channel_{region}" in status["depends_on"]
        )


def test_config_delivers_to_the_log_archive(synth_out):
    local = one(synth_out.stacks["log-archive"], "aws_config_delivery_channel", "config_delivery_channel_eu-west-1")
    assert local["s3_bucket_name"] == "${aws_s3_bucket.log_bucket.bucket}"
    assert "aws_s3_bucket_policy.log_bucket_policy" in local["depends_on"]  # delivery is checked against the policy
    for name in ("audit", "management-baseline"):
        channel = one(synth_out.stacks[name], "aws_config_delivery_channel", "config_delivery_channel_eu-west-1")
        assert reads_from(channel["s3_bucket_name"], "log-archive") and reads_from(channel["s3_kms_key_arn"], "log-archive")


def test_names_are_the_ones_the_mandatory_guardrails_protect(synth_out, env):
    names = LandingZoneNames.of(env)
    for stack_name in ACCOUNT_STACKS:
        stack = synth_out.stacks[stack_name]
        assert {r["name"] for r in resources(stack, "aws_config_configuration_recorder").values()} == {names.config_recorder}
        assert {r["name"] for r in resources(stack, "aws_config_delivery_channel").values()} == {names.config_delivery_channel}
        access_role = env.organization.access_role_name  # imported: Organizations names it (its trust is ours)
        assert all(
            r["name"].startswith(names.prefix) for r in resources(stack, "aws_iam_role").values() if r["name"] != access_role
        )
    buckets = {r["bucket"] for r in resources(synth_out.stacks["log-archive"], "aws_s3_bucket").values()}
    assert all(b.startswith((names.log_bucket_prefix, names.waf_log_bucket_prefix)) for b in buckets)
    # both prefixes are what the mandatory guardrails protect
    assert names.log_bucket_arns == [f"arn:aws:s3:::{names.log_bucket_prefix}*", f"arn:aws:s3:::{names.waf_log_bucket_prefix}*"]
    assert (
        one(synth_out.stacks["management-baseline"], "aws_cloudwatch_log_group", "trail_log_group")["name"]
        == names.trail_log_group
    )
