"""The log archive's policy documents (pure Python): who may write, and nothing else."""
from __future__ import annotations

import json

from landing_zone.constructs.logging.policies import (
    LogWriters, access_log_bucket_statements, log_bucket_statements, log_group_key_statements, log_key_statements,
    policy_json, trust_policy,
)

WRITERS = LogWriters(organization_id="o-abc123", trail_arn="arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-organization-trail",
                     management_account_id="111111111111", config_role_name="acme-lz-config-recorder")
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
    assert role["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"},
                                 "StringLike": {"aws:PrincipalArn": "arn:*:iam::*:role/acme-lz-config-recorder"}}
    assert role["Resource"] == [BUCKET, f"{BUCKET}/AWSLogs/*/Config/*"]


def test_every_allow_with_a_wildcard_principal_is_conditioned_on_the_organization():
    statements = log_bucket_statements(BUCKET, WRITERS) + log_key_statements("222222222222", "eu-west-1", WRITERS)
    for s in statements:
        if s["Effect"] == "Allow" and s["Principal"] in ("*", {"AWS": "*"}):
            assert s["Condition"]["StringEquals"]["aws:PrincipalOrgID"] == "o-abc123", s["Sid"]


def test_the_log_key_serves_cloudtrail_config_and_the_organization_through_s3_only():
    s = by_sid(log_key_statements("222222222222", "eu-west-1", WRITERS))
    assert set(s) == {"KeyAdministration", "CloudTrailEncrypt", "ConfigEncrypt", "OrganizationUseThroughS3"}
    assert s["KeyAdministration"]["Principal"] == {"AWS": "arn:aws:iam::222222222222:root"}
    assert s["CloudTrailEncrypt"]["Condition"]["StringEquals"] == {"aws:SourceArn": WRITERS.trail_arn}
    assert s["OrganizationUseThroughS3"]["Condition"]["StringEquals"]["kms:ViaService"] == "s3.eu-west-1.amazonaws.com"
    assert "kms:*" not in json.dumps([v for k, v in s.items() if k != "KeyAdministration"])


def test_the_access_log_bucket_accepts_only_s3_logging_of_the_log_bucket():
    s = by_sid(access_log_bucket_statements("arn:aws:s3:::acme-log-archive-access-2", BUCKET, "222222222222"))
    logs = s["S3ServerAccessLogs"]
    assert logs["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert logs["Condition"] == {"ArnLike": {"aws:SourceArn": BUCKET}, "StringEquals": {"aws:SourceAccount": "222222222222"}}


def test_the_log_group_key_is_bound_to_its_log_group():
    s = by_sid(log_group_key_statements("111111111111", "eu-west-1", "acme-lz-cloudtrail"))
    assert s["CloudWatchLogsEncrypt"]["Principal"] == {"Service": "logs.eu-west-1.amazonaws.com"}
    assert s["CloudWatchLogsEncrypt"]["Condition"]["ArnEquals"] == {
        "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:111111111111:log-group:acme-lz-cloudtrail"}


def test_trust_policies_name_one_service_and_one_account():
    doc = json.loads(trust_policy("config.amazonaws.com", "333333333333"))
    assert doc == {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"}, "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:SourceAccount": "333333333333"}}}]}
    assert json.loads(policy_json([]))["Statement"] == []
