"""IAM policy documents of the log archive, as plain dicts. Pure Python, no cdktf.

Values may be cdktf tokens (strings); the constructs render the dicts with
`policy_json`, and cdktf resolves tokens inside the JSON text. Bucket
policies stay JSON text (not data.aws_iam_policy_document) so checkov's
checks and ours (CKV_LZ_6) can read the principals.
"""
from __future__ import annotations

import json
from dataclasses import dataclass


def policy_json(statements: list[dict]) -> str:
    """A policy document as compact, stable JSON text."""
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, separators=(",", ":"))


def deny_insecure_transport(bucket_arn: str) -> dict:
    """CIS 2.1.1: refuse every request that does not use TLS."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": "s3:*",
        "Resource": [bucket_arn, f"{bucket_arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


@dataclass(frozen=True, kw_only=True)
class LogWriters:
    """Who may write to the central log bucket and encrypt with the log key."""

    organization_id: str
    """The organization (o-...): only its CloudTrail and Config deliveries are accepted."""
    trail_arn: str
    """ARN of the organization trail (it is created after the bucket, so it is spelled out)."""
    management_account_id: str
    """The management account, which owns the organization trail."""
    config_role_name: str
    """Name of the Config recorder role in every account (the baseline's)."""


def log_bucket_statements(bucket_arn: str, writers: LogWriters) -> list[dict]:
    """The central log bucket: TLS only; CloudTrail and Config of this organization may deliver."""
    org = writers.organization_id
    trail_source = {"aws:SourceArn": writers.trail_arn}
    org_source = {"aws:SourceOrgID": org}
    return [
        deny_insecure_transport(bucket_arn),
        {"Sid": "CloudTrailAclCheck", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": "s3:GetBucketAcl", "Resource": bucket_arn, "Condition": {"StringEquals": trail_source}},
        {"Sid": "CloudTrailWrite", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": "s3:PutObject",
         # An organization trail writes the management account's events under its
         # account id and every member's under the organization id.
         "Resource": [f"{bucket_arn}/AWSLogs/{writers.management_account_id}/*", f"{bucket_arn}/AWSLogs/{org}/*"],
         "Condition": {"StringEquals": {**trail_source, "s3:x-amz-acl": "bucket-owner-full-control"}}},
        {"Sid": "ConfigBucketCheck", "Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"},
         "Action": ["s3:GetBucketAcl", "s3:ListBucket"], "Resource": bucket_arn,
         "Condition": {"StringEquals": org_source}},
        {"Sid": "ConfigWrite", "Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"},
         "Action": "s3:PutObject", "Resource": f"{bucket_arn}/AWSLogs/*/Config/*",
         "Condition": {"StringEquals": {**org_source, "s3:x-amz-acl": "bucket-owner-full-control"}}},
        # Config may also deliver with the recorder's own role; only the landing
        # zone's recorder role in an account of this organization qualifies.
        {"Sid": "ConfigRoleWrite", "Effect": "Allow", "Principal": {"AWS": "*"},
         "Action": ["s3:GetBucketAcl", "s3:ListBucket", "s3:PutObject"],
         "Resource": [bucket_arn, f"{bucket_arn}/AWSLogs/*/Config/*"],
         "Condition": {"StringEquals": {"aws:PrincipalOrgID": org},
                       "StringLike": {"aws:PrincipalArn": f"arn:*:iam::*:role/{writers.config_role_name}"}}},
    ]


def access_log_bucket_statements(bucket_arn: str, source_bucket_arn: str, account_id: str) -> list[dict]:
    """The access-log bucket: TLS only; S3 server access logging of the log bucket may write."""
    return [
        deny_insecure_transport(bucket_arn),
        {"Sid": "S3ServerAccessLogs", "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
         "Action": "s3:PutObject", "Resource": f"{bucket_arn}/*",
         "Condition": {"ArnLike": {"aws:SourceArn": source_bucket_arn},
                       "StringEquals": {"aws:SourceAccount": account_id}}},
    ]


def log_key_statements(account_id: str, region: str, writers: LogWriters) -> list[dict]:
    """The log archive key: administered by its account; used by this organization's CloudTrail, Config and principals only."""
    org = writers.organization_id
    return [
        {"Sid": "KeyAdministration", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
         "Action": "kms:*", "Resource": "*"},
        {"Sid": "CloudTrailEncrypt", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": ["kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*",
         "Condition": {"StringEquals": {"aws:SourceArn": writers.trail_arn},
                       "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn":
                                      f"arn:aws:cloudtrail:*:{writers.management_account_id}:trail/*"}}},
        {"Sid": "ConfigEncrypt", "Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"},
         "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*",
         "Condition": {"StringEquals": {"aws:SourceOrgID": org}}},
        # Principals of the organization (Config recorder roles, log readers)
        # may use the key only through S3 in the key's region.
        {"Sid": "OrganizationUseThroughS3", "Effect": "Allow", "Principal": {"AWS": "*"},
         "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*",
         "Condition": {"StringEquals": {"aws:PrincipalOrgID": org, "kms:ViaService": f"s3.{region}.amazonaws.com"}}},
    ]


def log_group_key_statements(account_id: str, region: str, log_group_name: str) -> list[dict]:
    """The trail log group's key: administered by its account, used by CloudWatch Logs for that group only."""
    return [
        {"Sid": "KeyAdministration", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
         "Action": "kms:*", "Resource": "*"},
        {"Sid": "CloudWatchLogsEncrypt", "Effect": "Allow", "Principal": {"Service": f"logs.{region}.amazonaws.com"},
         "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
         "Resource": "*",
         "Condition": {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn":
                                     f"arn:aws:logs:{region}:{account_id}:log-group:{log_group_name}"}}},
    ]


def trust_policy(service: str, account_id: str) -> str:
    """A role trust policy for one AWS service, acting for `account_id` only (confused deputy)."""
    return policy_json([{
        "Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
    }])
