"""Issue 24: the example's log archive cannot be destroyed or rewritten, and every delivery the landing zone
sets up is admitted by both the bucket policy and the key policy (synth_out, the session's example)."""

from __future__ import annotations

import pytest
from stack_json import one, statements

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


def test_compliance_lock_for_the_whole_retention_and_versions_kept_as_long(log_archive, env):
    bucket = env.logging.log_bucket
    lock = one(log_archive, "aws_s3_bucket_object_lock_configuration", "log_bucket_object_lock")["rule"]["default_retention"]
    assert lock["mode"] == "COMPLIANCE" and lock["days"] >= bucket.retention_days
    life = one(log_archive, "aws_s3_bucket_lifecycle_configuration", "log_bucket_lifecycle")["rule"][0]
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


def test_the_config_role_writes_only_under_its_own_account(bucket_policy, synth_out):
    write = bucket_policy["ConfigRoleWrite"]
    # `$${` is terraform's escape: AWS receives the policy variable ${aws:PrincipalAccount}.
    assert write["Resource"] == "${aws_s3_bucket.log_bucket.arn}/AWSLogs/$${aws:PrincipalAccount}/Config/*"
    assert write["Action"] == "s3:PutObject"
    assert write["Condition"]["StringEquals"]["s3:x-amz-acl"] == "bucket-owner-full-control"
    assert bucket_policy["ConfigRoleBucketCheck"]["Action"] == "s3:GetBucketAcl"  # no ListBucket on the whole bucket
    recorder = statements(one(synth_out.stacks["audit"], "aws_iam_role_policy", "config_recorder_role_delivery_policy"))
    assert all("s3:ListBucket" not in s["Action"] for s in recorder.values())
