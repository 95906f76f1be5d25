"""The log archive's policy documents (pure Python): who may write, and nothing else."""

from __future__ import annotations

import json

import pytest

from landing_zone.constructs.logging.policies import (
    LogWriters,
    access_log_bucket_statements,
    log_bucket_statements,
    log_group_key_statements,
    log_key_statements,
    policy_json,
    trust_policy,
)

WRITERS = LogWriters(
    organization_id="o-abc123",
    trail_arn="arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-organization-trail",
    management_account_id="111111111111",
    config_role_name="acme-lz-config-recorder",
)
BUCKET = "arn:aws:s3:::acme-log-archive-222222222222"


def by_sid(statements):
    return {s["Sid"]: s for s in statements}


def test_the_log_bucket_refuses_plain_http_for_everyone():
    deny = by_sid(log_bucket_statements(BUCKET, WRITERS))["DenyInsecureTransport"]
    assert deny["Effect"] == "Deny" and deny["Principal"] == {"AWS": "*"} and deny["Action"] == "s3:*"
    assert deny["Resource"] == [BUCKET, f"{BUCKET}/*"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_cloudtrail_writes_only_for_the_organization_trail_under_its_prefixes():
    s = by_sid(log_bucket_statements(BUCKET, WRITERS))
    write = s["CloudTrailWrite"]
    assert write["Principal"] == {"Service": "cloudtrail.amazonaws.com"} and write["Action"] == "s3:PutObject"
    assert write["Resource"] == [f"{BUCKET}/AWSLogs/111111111111/*", f"{BUCKET}/AWSLogs/o-abc123/*"]
    assert write["Condition"]["StringEquals"]["aws:SourceArn"] == WRITERS.trail_arn
    assert s["CloudTrailAclCheck"]["Condition"] == {"StringEquals": {"aws:SourceArn": WRITERS.trail_arn}}


def test_config_delivers_only_from_this_organization():
    s = by_sid(log_bucket_statements(BUCKET, WRITERS))
    for sid in ("ConfigBucketCheck", "ConfigWrite"):
        assert s[sid]["Principal"] == {"Service": "config.amazonaws.com"}
        assert s[sid]["Condition"]["StringEquals"]["aws:SourceOrgID"] == "o-abc123"
    role = s["ConfigRoleWrite"]
    assert role["Condition"] == {
        "StringEquals": {"aws:PrincipalOrgID": "o-abc123", "s3:x-amz-acl": "bucket-owner-full-control"},
        "StringLike": {"aws:PrincipalArn": "arn:*:iam::*:role/acme-lz-config-recorder"},
    }
    # Only under the writer's own account (issue 24.7: no forged history for another account).
    assert role["Resource"] == f"{BUCKET}/AWSLogs/$${{aws:PrincipalAccount}}/Config/*"
    assert s["ConfigRoleBucketCheck"]["Resource"] == BUCKET and s["ConfigRoleBucketCheck"]["Action"] == "s3:GetBucketAcl"


def test_every_allow_with_a_wildcard_principal_is_conditioned_on_the_organization():
    statements = log_bucket_statements(BUCKET, WRITERS) + log_key_statements("222222222222", "eu-west-1", WRITERS, BUCKET)
    for s in statements:
        if s["Effect"] == "Allow" and s["Principal"] in ("*", {"AWS": "*"}):
            assert s["Condition"]["StringEquals"]["aws:PrincipalOrgID"] == "o-abc123", s["Sid"]


def test_the_log_key_serves_cloudtrail_config_flow_logs_and_the_organization_through_s3_only():
    s = by_sid(log_key_statements("222222222222", "eu-west-1", WRITERS, BUCKET))
    assert set(s) == {
        "KeyAdministration",
        "CloudTrailEncrypt",
        "CloudTrailDescribeKey",
        "CloudTrailDecryptForBucketKey",
        "ConfigEncrypt",
        "LogDeliveryEncrypt",
        "OrganizationUseThroughS3",
    }
    assert s["KeyAdministration"]["Principal"] == {"AWS": "arn:aws:iam::222222222222:root"}
    assert s["CloudTrailEncrypt"]["Condition"]["StringEquals"] == {"aws:SourceArn": WRITERS.trail_arn}
    use = s["OrganizationUseThroughS3"]["Condition"]
    assert use["StringEquals"]["kms:ViaService"] == "s3.eu-west-1.amazonaws.com"
    assert use["StringLike"] == {"kms:EncryptionContext:aws:s3:arn": [BUCKET, f"{BUCKET}/*"]}  # this bucket only
    assert "kms:*" not in json.dumps([v for k, v in s.items() if k != "KeyAdministration"])


def test_guardians_alone_may_delete_disable_repolicy_or_grant_the_key():
    guardian = "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"
    s = by_sid(log_key_statements("222222222222", "eu-west-1", WRITERS, BUCKET, (guardian,)))
    deny = s["DenyKeyTampering"]
    assert deny["Effect"] == "Deny" and deny["Principal"] == {"AWS": "*"} and deny["Resource"] == "*"
    assert set(deny["Action"]) == {
        "kms:CreateGrant",
        "kms:DisableKey",
        "kms:DisableKeyRotation",
        "kms:PutKeyPolicy",
        "kms:ScheduleKeyDeletion",
    }
    assert deny["Condition"] == {"ArnNotLike": {"aws:PrincipalArn": [guardian]}}


# AWS's documented statements, by the page that documents them, with what it requires of each; the
# landing zone's statement may add conditions (organization, source ARN) but must carry these.
# - CloudTrail user guide, "Configure AWS KMS key policies for CloudTrail" (create-kms-key-policy-for-cloudtrail):
#   encrypt (kms:GenerateDataKey* with the aws:cloudtrail:arn encryption context), describe (kms:DescribeKey with
#   no encryption-context condition: DescribeKey calls carry none), and kms:Decrypt when the bucket has an S3
#   Bucket Key; aws:SourceArn recommended on each.
# - Amazon VPC user guide, "Flow log files: Amazon S3 bucket permissions" and "Required key policy for use with
#   SSE-KMS": AWSLogDeliveryWrite (s3:PutObject, s3:x-amz-acl bucket-owner-full-control), AWSLogDeliveryAclCheck
#   (s3:GetBucketAcl, s3:ListBucket), and kms:Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*, DescribeKey for
#   delivery.logs.amazonaws.com.
# - AWS Config developer guide, "Permissions for the Amazon S3 bucket for the AWS Config delivery channel":
#   AWSConfigBucketPermissionsCheck (s3:GetBucketAcl), AWSConfigBucketExistenceCheck (s3:ListBucket),
#   AWSConfigBucketDelivery (s3:PutObject on AWSLogs/<account>/Config/*, s3:x-amz-acl bucket-owner-full-control).
# - CloudTrail user guide, "Amazon S3 bucket policy for CloudTrail" (organization trail): AWSCloudTrailAclCheck
#   (s3:GetBucketAcl), AWSCloudTrailWrite (s3:PutObject on AWSLogs/<management id>/* and AWSLogs/<org id>/*,
#   s3:x-amz-acl bucket-owner-full-control).
DOCUMENTED = [
    # (policy, sid, principal service, actions, condition keys that must be present, keys that must be absent)
    (
        "key",
        "CloudTrailEncrypt",
        "cloudtrail.amazonaws.com",
        {"kms:GenerateDataKey*"},
        {"kms:EncryptionContext:aws:cloudtrail:arn", "aws:SourceArn"},
        set(),
    ),
    (
        "key",
        "CloudTrailDescribeKey",
        "cloudtrail.amazonaws.com",
        {"kms:DescribeKey"},
        {"aws:SourceArn"},
        {"kms:EncryptionContext:aws:cloudtrail:arn"},
    ),
    ("key", "CloudTrailDecryptForBucketKey", "cloudtrail.amazonaws.com", {"kms:Decrypt"}, {"aws:SourceArn"}, set()),
    (
        "key",
        "LogDeliveryEncrypt",
        "delivery.logs.amazonaws.com",
        {"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"},
        {"aws:SourceOrgID"},
        set(),
    ),
    (
        "bucket",
        "AWSLogDeliveryWrite",
        "delivery.logs.amazonaws.com",
        {"s3:PutObject"},
        {"s3:x-amz-acl", "aws:SourceOrgID"},
        set(),
    ),
    (
        "bucket",
        "AWSLogDeliveryAclCheck",
        "delivery.logs.amazonaws.com",
        {"s3:GetBucketAcl", "s3:ListBucket"},
        {"aws:SourceOrgID"},
        set(),
    ),
    ("bucket", "ConfigBucketCheck", "config.amazonaws.com", {"s3:GetBucketAcl", "s3:ListBucket"}, {"aws:SourceOrgID"}, set()),
    ("bucket", "ConfigWrite", "config.amazonaws.com", {"s3:PutObject"}, {"s3:x-amz-acl", "aws:SourceOrgID"}, set()),
    ("bucket", "CloudTrailAclCheck", "cloudtrail.amazonaws.com", {"s3:GetBucketAcl"}, {"aws:SourceArn"}, set()),
    ("bucket", "CloudTrailWrite", "cloudtrail.amazonaws.com", {"s3:PutObject"}, {"s3:x-amz-acl", "aws:SourceArn"}, set()),
]


def condition_keys(statement) -> set[str]:
    return {key for block in statement.get("Condition", {}).values() for key in block}


@pytest.mark.parametrize("policy, sid, service, actions, required, forbidden", DOCUMENTED, ids=[d[1] for d in DOCUMENTED])
def test_service_statements_are_the_ones_aws_documents(policy, sid, service, actions, required, forbidden):
    docs = {
        "key": by_sid(log_key_statements("222222222222", "eu-west-1", WRITERS, BUCKET)),
        "bucket": by_sid(log_bucket_statements(BUCKET, WRITERS, "arn:aws:kms:eu-west-1:222222222222:key/k")),
    }
    s = docs[policy][sid]
    assert s["Effect"] == "Allow" and s["Principal"] == {"Service": service}
    got = {s["Action"]} if isinstance(s["Action"], str) else set(s["Action"])
    assert got == actions
    assert required <= condition_keys(s) and not forbidden & condition_keys(s)
    if "s3:x-amz-acl" in required:
        assert s["Condition"]["StringEquals"]["s3:x-amz-acl"] == "bucket-owner-full-control"


def test_the_access_log_bucket_accepts_only_s3_logging_of_the_log_bucket():
    s = by_sid(access_log_bucket_statements("arn:aws:s3:::acme-log-archive-access-2", BUCKET, "222222222222"))
    logs = s["S3ServerAccessLogs"]
    assert logs["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert logs["Condition"] == {"ArnLike": {"aws:SourceArn": BUCKET}, "StringEquals": {"aws:SourceAccount": "222222222222"}}


def test_the_log_group_key_is_bound_to_its_log_group():
    s = by_sid(log_group_key_statements("111111111111", "eu-west-1", "acme-lz-cloudtrail"))
    assert s["CloudWatchLogsEncrypt"]["Principal"] == {"Service": "logs.eu-west-1.amazonaws.com"}
    assert s["CloudWatchLogsEncrypt"]["Condition"]["ArnEquals"] == {
        "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:111111111111:log-group:acme-lz-cloudtrail"
    }


def test_trust_policies_name_one_service_and_one_account():
    doc = json.loads(trust_policy("config.amazonaws.com", "333333333333"))
    assert doc == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "config.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": "333333333333"}},
            }
        ],
    }
    assert json.loads(policy_json([]))["Statement"] == []
