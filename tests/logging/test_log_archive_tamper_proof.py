"""Issue 24: the example's log archive cannot be destroyed or rewritten, and every delivery the landing zone
sets up is admitted by both the bucket policy and the key policy (synth_out, the session's example)."""

from __future__ import annotations

import pytest
from stack_json import one, resources, statements

TAMPERING = {
    "s3:BypassGovernanceRetention",
    "s3:DeleteObjectVersion",
    "s3:PutBucketObjectLockConfiguration",
    "s3:PutObjectLegalHold",
    "s3:PutObjectRetention",
}


@pytest.fixture(scope="module")
def log_archive(synth_out):
    return synth_out.stacks["log-archive"]


@pytest.fixture(scope="module")
def bucket_policy(log_archive):
    return statements(one(log_archive, "aws_s3_bucket_policy", "log_bucket_policy"))


@pytest.fixture(scope="module")
def key_policy(log_archive):
    return statements(one(log_archive, "aws_kms_key", "log_archive_key"))


def test_compliance_lock_for_the_whole_retention_and_versions_kept_as_long(log_archive, synth_out, env):
    bucket = env.logging.log_bucket
    lock = one(log_archive, "aws_s3_bucket_object_lock_configuration", "log_bucket_object_lock")["rule"]["default_retention"]
    assert lock["mode"] == "COMPLIANCE" and lock["days"] >= bucket.retention_days
    life = one(synth_out.stacks["log-archive-lifecycle"], "aws_s3_bucket_lifecycle_configuration", "log_bucket_lifecycle")[
        "rule"
    ][0]
    assert life["noncurrent_version_expiration"][0]["noncurrent_days"] >= bucket.retention_days


def test_nobody_deletes_a_version_bypasses_or_changes_the_lock(bucket_policy, log_archive):
    deny = bucket_policy["DenyLogTampering"]
    assert deny["Effect"] == "Deny" and deny["Principal"] == {"AWS": "*"} and "Condition" not in deny  # everyone
    assert set(deny["Action"]) == TAMPERING
    assert deny["Resource"] == ["${aws_s3_bucket.log_bucket.arn}", "${aws_s3_bucket.log_bucket.arn}/*"]
    # The lock is configured before the policy that forbids changing it.
    assert (
        "aws_s3_bucket_object_lock_configuration.log_bucket_object_lock"
        in one(log_archive, "aws_s3_bucket_policy", "log_bucket_policy")["depends_on"]
    )


def test_writes_with_another_key_or_encryption_are_refused(bucket_policy):
    keys = bucket_policy["DenyOtherKeys"]
    assert keys["Effect"] == "Deny" and keys["Action"] == "s3:PutObject"
    assert keys["Condition"] == {
        "StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "${aws_kms_key.log_archive_key.arn}"}
    }
    assert bucket_policy["DenyOtherEncryption"]["Condition"] == {
        "StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption": "aws:kms"}
    }


def test_only_the_deploying_role_may_delete_disable_or_repolicy_the_log_key(key_policy, synth_out, env):
    deny = key_policy["DenyKeyTampering"]
    assert deny["Effect"] == "Deny" and deny["Principal"] == {"AWS": "*"}
    assert {"kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy", "kms:CreateGrant"} <= set(deny["Action"])
    (guardian,) = deny["Condition"]["ArnNotLike"]["aws:PrincipalArn"]
    assert guardian.endswith(f":role/{env.organization.access_role_name}")
    # ... the role the log-archive stack's provider assumes, in the log archive account.
    (provider,) = synth_out.stacks["log-archive"]["provider"]["aws"][:1]
    assert provider["assume_role"][0]["role_arn"] == guardian


def test_the_log_key_serves_s3_for_the_log_bucket_only(key_policy, env):
    use = key_policy["OrganizationUseThroughS3"]
    bucket = "arn:aws:s3:::" + one_bucket_name(env, use)
    assert use["Condition"]["StringLike"] == {"kms:EncryptionContext:aws:s3:arn": [bucket, f"{bucket}/*"]}


def one_bucket_name(env, statement) -> str:
    (arn, _) = statement["Condition"]["StringLike"]["kms:EncryptionContext:aws:s3:arn"]
    name = arn.removeprefix("arn:aws:s3:::")
    from landing_zone.naming import LandingZoneNames

    assert name.startswith(LandingZoneNames.of(env).log_bucket_prefix)
    return name


def test_flow_logs_of_the_organization_are_admitted_by_bucket_and_key(bucket_policy, key_policy, synth_out):
    org = key_policy["LogDeliveryEncrypt"]["Condition"]["StringEquals"]["aws:SourceOrgID"]
    for sid in ("AWSLogDeliveryAclCheck", "AWSLogDeliveryWrite"):
        assert bucket_policy[sid]["Principal"] == {"Service": "delivery.logs.amazonaws.com"}
        assert bucket_policy[sid]["Condition"]["StringEquals"]["aws:SourceOrgID"] == org
    assert bucket_policy["AWSLogDeliveryWrite"]["Resource"].endswith("/AWSLogs/*/vpcflowlogs/*")
    assert key_policy["LogDeliveryEncrypt"]["Principal"] == {"Service": "delivery.logs.amazonaws.com"}
    # Every VPC the landing zone creates logs to this bucket, without a prefix (the statement's resource).
    for name, stack in synth_out.stacks.items():
        for flow in stack.get("resource", {}).get("aws_flow_log", {}).values():
            assert flow["log_destination_type"] == "s3" and flow["log_destination"].startswith("arn:aws:s3:::"), name
            assert "/" not in flow["log_destination"].removeprefix("arn:aws:s3:::"), name


def test_config_records_with_its_service_linked_role_and_no_role_may_write(bucket_policy, synth_out):
    # Config delivers as its service principal (ConfigWrite, this organization only); no IAM role of any
    # account is admitted to the bucket for Config any more (issue 28: AWSServiceRoleForConfig).
    assert not {"ConfigRoleWrite", "ConfigRoleBucketCheck"} & set(bucket_policy)
    assert bucket_policy["ConfigWrite"]["Principal"] == {"Service": "config.amazonaws.com"}
    for name in ("audit", "log-archive", "management-baseline"):
        stack = synth_out.stacks[name]
        (slr,) = resources(stack, "aws_iam_service_linked_role").values()
        assert slr["aws_service_name"] == "config.amazonaws.com"
        assert not [k for k in resources(stack, "aws_iam_role") if k.startswith("config_recorder")]
        for recorder in resources(stack, "aws_config_configuration_recorder").values():
            assert recorder["role_arn"] == "${aws_iam_service_linked_role.config_service_linked_role.arn}"
            assert recorder["depends_on"] == ["aws_iam_service_linked_role.config_service_linked_role"]
