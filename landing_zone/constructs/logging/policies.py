"""IAM policy documents of the log archive, as plain dicts. Pure Python, no cdktf.

Values may be cdktf tokens (strings); the constructs render the dicts with
`policy_json`, and cdktf resolves tokens inside the JSON text. Bucket
policies stay JSON text (not data.aws_iam_policy_document) so checkov's
checks and ours (CKV_LZ_6) can read the principals.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Optional


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
    config_role_name: Optional[str] = None
    """Name of the Config recorder role in every account when the baseline uses a role of its own (default
    none: Config records with its service-linked role and delivers as config.amazonaws.com)."""


# Actions that would destroy or rewrite a locked log version, or unlock the bucket: denied to everyone
# (S3 lifecycle expiry is done by S3 itself and is not subject to the bucket policy).
LOG_TAMPERING_ACTIONS = (
    "s3:BypassGovernanceRetention",
    "s3:DeleteObjectVersion",
    "s3:PutBucketObjectLockConfiguration",
    "s3:PutObjectLegalHold",
    "s3:PutObjectRetention",
)

# Actions that would crypto-shred the logs or open the key to other principals: only the role that deploys
# the log archive may call them.
KEY_TAMPERING_ACTIONS = (
    "kms:CreateGrant",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
)


def log_bucket_statements(bucket_arn: str, writers: LogWriters, key_arn: str | None = None) -> list[dict]:
    """The central log bucket: TLS only; nobody deletes a version, bypasses or changes the lock; only
    CloudTrail, Config and VPC flow logs (delivery.logs) of this organization deliver, each under its own prefix.

    Sources of the service statements: CloudTrail user guide, "Amazon S3 bucket policy for CloudTrail"
    (organization trail); AWS Config developer guide, "Permissions for the Amazon S3 bucket for the AWS Config
    delivery channel"; Amazon VPC user guide, "Flow logs to Amazon S3: permissions" (AWSLogDeliveryWrite,
    AWSLogDeliveryAclCheck), with aws:SourceOrgID in place of one account.
    """
    org = writers.organization_id
    trail_source = {"aws:SourceArn": writers.trail_arn}
    org_source = {"aws:SourceOrgID": org}
    objects = f"{bucket_arn}/*"
    out = [
        deny_insecure_transport(bucket_arn),
        {
            "Sid": "DenyLogTampering",
            "Effect": "Deny",
            "Principal": {"AWS": "*"},
            "Action": list(LOG_TAMPERING_ACTIONS),
            "Resource": [bucket_arn, objects],
        },
    ]
    if key_arn is not None:
        # Objects are encrypted with the log key: a write that asks for another key or another kind of
        # encryption is refused (a write without headers gets the bucket's default, the log key).
        out += [
            {
                "Sid": "DenyOtherKeys",
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": "s3:PutObject",
                "Resource": objects,
                "Condition": {"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption-aws-kms-key-id": key_arn}},
            },
            {
                "Sid": "DenyOtherEncryption",
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": "s3:PutObject",
                "Resource": objects,
                "Condition": {"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption": "aws:kms"}},
            },
        ]
    out += [
        {
            "Sid": "CloudTrailAclCheck",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:GetBucketAcl",
            "Resource": bucket_arn,
            "Condition": {"StringEquals": trail_source},
        },
        {
            "Sid": "CloudTrailWrite",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:PutObject",
            # An organization trail writes the management account's events under its
            # account id and every member's under the organization id.
            "Resource": [f"{bucket_arn}/AWSLogs/{writers.management_account_id}/*", f"{bucket_arn}/AWSLogs/{org}/*"],
            "Condition": {"StringEquals": {**trail_source, "s3:x-amz-acl": "bucket-owner-full-control"}},
        },
        {
            "Sid": "ConfigBucketCheck",
            "Effect": "Allow",
            "Principal": {"Service": "config.amazonaws.com"},
            "Action": ["s3:GetBucketAcl", "s3:ListBucket"],
            "Resource": bucket_arn,
            "Condition": {"StringEquals": org_source},
        },
        # The service writes under the account it records (AWSLogs/<account>/Config/).
        {
            "Sid": "ConfigWrite",
            "Effect": "Allow",
            "Principal": {"Service": "config.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": f"{bucket_arn}/AWSLogs/*/Config/*",
            "Condition": {"StringEquals": {**org_source, "s3:x-amz-acl": "bucket-owner-full-control"}},
        },
        *(_config_role_statements(bucket_arn, org, writers.config_role_name) if writers.config_role_name else []),
        # VPC flow logs of every account of the organization (delivered by the log delivery service).
        *log_delivery_statements(
            bucket_arn, ["s3:GetBucketAcl", "s3:ListBucket"], f"{bucket_arn}/AWSLogs/*/vpcflowlogs/*", org_source
        ),
    ]
    return out


def log_delivery_statements(bucket_arn: str, acl_actions: str | list[str], objects: str | list[str], source: dict) -> list[dict]:
    """The log delivery service (delivery.logs) may check the bucket's ACL (`acl_actions`) and write `objects`
    with bucket-owner-full-control, for the sources `source` (StringEquals condition keys) names."""
    return [
        {
            "Sid": "AWSLogDeliveryAclCheck",
            "Effect": "Allow",
            "Principal": {"Service": "delivery.logs.amazonaws.com"},
            "Action": acl_actions,
            "Resource": bucket_arn,
            "Condition": {"StringEquals": source},
        },
        {
            "Sid": "AWSLogDeliveryWrite",
            "Effect": "Allow",
            "Principal": {"Service": "delivery.logs.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": objects,
            "Condition": {"StringEquals": {**source, "s3:x-amz-acl": "bucket-owner-full-control"}},
        },
    ]


def access_log_bucket_statements(bucket_arn: str, source_bucket_arn: str | list[str], account_id: str) -> list[dict]:
    """The access-log bucket: TLS only; S3 server access logging of the log bucket (or of each listed bucket) may
    write."""
    return [
        deny_insecure_transport(bucket_arn),
        {
            "Sid": "S3ServerAccessLogs",
            "Effect": "Allow",
            "Principal": {"Service": "logging.s3.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": f"{bucket_arn}/*",
            "Condition": {"ArnLike": {"aws:SourceArn": source_bucket_arn}, "StringEquals": {"aws:SourceAccount": account_id}},
        },
    ]


def key_administration(account_id: str, guardian_arns: tuple[str, ...] = ()) -> list[dict]:
    """A landing-zone key's first statements: its account administers it, and, with guardians, nobody else
    may delete, disable or re-policy it (KEY_TAMPERING_ACTIONS)."""
    out: list[dict] = [
        {
            "Sid": "KeyAdministration",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
            "Action": "kms:*",
            "Resource": "*",
        },
    ]
    if guardian_arns:
        out.append(
            {
                "Sid": "DenyKeyTampering",
                "Effect": "Deny",
                "Principal": {"AWS": "*"},
                "Action": list(KEY_TAMPERING_ACTIONS),
                "Resource": "*",
                "Condition": {"ArnNotLike": {"aws:PrincipalArn": list(guardian_arns)}},
            }
        )
    return out


def log_key_statements(
    account_id: str, region: str, writers: LogWriters, bucket_arn: str, guardian_arns: tuple[str, ...] = ()
) -> list[dict]:
    """The log archive key: administered by its account; used by this organization's CloudTrail, Config,
    flow-log delivery and principals, for the log bucket only.

    `guardian_arns`: principals (ARN patterns) that alone may delete, disable, re-policy or grant the key (the
    role that deploys the log archive); given, everyone else is denied those actions, whatever their IAM
    policies say (an account admin could otherwise crypto-shred ten years of logs).

    Sources: CloudTrail user guide, "Configure AWS KMS key policies for CloudTrail" (encrypt with
    aws:SourceArn and the cloudtrail encryption context; a separate DescribeKey statement; kms:Decrypt when the
    bucket uses an S3 Bucket Key); Amazon VPC user guide, "Flow logs to Amazon S3: SSE-KMS" (delivery.logs);
    AWS Config developer guide, "Permissions for the KMS key"; Amazon S3 user guide, "Encryption context"
    (aws:s3:arn is the bucket's ARN with a bucket key, the object's without).
    """
    org = writers.organization_id
    trail_source = {"aws:SourceArn": writers.trail_arn}
    this_bucket = {"kms:EncryptionContext:aws:s3:arn": [bucket_arn, f"{bucket_arn}/*"]}
    out = key_administration(account_id, guardian_arns)
    out += [
        {
            "Sid": "CloudTrailEncrypt",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "kms:GenerateDataKey*",
            "Resource": "*",
            "Condition": {
                "StringEquals": trail_source,
                "StringLike": {
                    "kms:EncryptionContext:aws:cloudtrail:arn": f"arn:aws:cloudtrail:*:{writers.management_account_id}:trail/*"
                },
            },
        },
        {
            "Sid": "CloudTrailDescribeKey",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "kms:DescribeKey",
            "Resource": "*",
            "Condition": {"StringEquals": trail_source},
        },
        # The log bucket uses an S3 Bucket Key: creating or updating the trail needs kms:Decrypt.
        {
            "Sid": "CloudTrailDecryptForBucketKey",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "kms:Decrypt",
            "Resource": "*",
            "Condition": {"StringEquals": trail_source},
        },
        {
            "Sid": "ConfigEncrypt",
            "Effect": "Allow",
            "Principal": {"Service": "config.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceOrgID": org}},
        },
        {
            "Sid": "LogDeliveryEncrypt",
            "Effect": "Allow",
            "Principal": {"Service": "delivery.logs.amazonaws.com"},
            "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceOrgID": org}},
        },
        # Principals of the organization (Config recorder roles, log readers) may use the key only through
        # S3 in the key's region, and only for the log bucket.
        {
            "Sid": "OrganizationUseThroughS3",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:PrincipalOrgID": org, "kms:ViaService": f"s3.{region}.amazonaws.com"},
                "StringLike": this_bucket,
            },
        },
    ]
    return out


def log_group_key_statements(account_id: str, region: str, log_group_name: str) -> list[dict]:
    """The trail log group's key: administered by its account, used by CloudWatch Logs for that group only."""
    return [
        *key_administration(account_id),
        # AWS's sample policy also lists kms:Describe* here, but DescribeKey requests carry no encryption
        # context, so under this condition that grant never applies (policy validator, issue 27): left out.
        {
            "Sid": "CloudWatchLogsEncrypt",
            "Effect": "Allow",
            "Principal": {"Service": f"logs.{region}.amazonaws.com"},
            "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
            "Resource": "*",
            "Condition": {
                "ArnEquals": {
                    "kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{region}:{account_id}:log-group:{log_group_name}"
                }
            },
        },
    ]


def trust_policy(service: str, account_id: str) -> str:
    """A role trust policy for one AWS service, acting for `account_id` only (confused deputy)."""
    return policy_json(
        [
            {
                "Effect": "Allow",
                "Principal": {"Service": service},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
            }
        ]
    )


def _config_role_statements(bucket_arn: str, org: str, config_role_name: str) -> list[dict]:
    """Delivery with the recorder's own role (`logging.config.service_linked_role: false`)."""
    return [
        # Config may also deliver with the recorder's own role; only the landing zone's recorder role in an
        # account of this organization qualifies, and only under its own account's prefix (the policy
        # variable is escaped for terraform: `$${` is a literal `${`).
        {
            "Sid": "ConfigRoleBucketCheck",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": "s3:GetBucketAcl",
            "Resource": bucket_arn,
            "Condition": {
                "StringEquals": {"aws:PrincipalOrgID": org},
                "StringLike": {"aws:PrincipalArn": f"arn:*:iam::*:role/{config_role_name}"},
            },
        },
        {
            "Sid": "ConfigRoleWrite",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": "s3:PutObject",
            "Resource": f"{bucket_arn}/AWSLogs/$${{aws:PrincipalAccount}}/Config/*",
            "Condition": {
                "StringEquals": {"aws:PrincipalOrgID": org, "s3:x-amz-acl": "bucket-owner-full-control"},
                "StringLike": {"aws:PrincipalArn": f"arn:*:iam::*:role/{config_role_name}"},
            },
        },
    ]


def replica_bucket_statements(bucket_arn: str, key_arn: str) -> list[dict]:
    """The log archive's replica bucket: TLS only; nobody deletes a version, bypasses or changes the lock; writes
    only with the replica key. Replication writes with s3:ReplicateObject (S3 user guide, "Setting up
    permissions for live replication"), which none of these denies names; nobody else is allowed to write."""
    return log_bucket_denies(bucket_arn, key_arn)


def log_bucket_denies(bucket_arn: str, key_arn: str) -> list[dict]:
    """The central log bucket's denies (TLS only, no tampering, only its key), for other buckets that keep logs."""
    return [statement for statement in log_bucket_statements(bucket_arn, _NO_WRITERS, key_arn) if statement["Effect"] == "Deny"]


def waf_log_bucket_statements(bucket_arn: str, organization_id: str, source_account_ids: list[str], key_arn: str) -> list[dict]:
    """The log archive's WAF log bucket: the log bucket's denies; the log delivery service writes the web ACLs'
    logs of the listed accounts of this organization only, each under its own `AWSLogs/<account>/` prefix.

    Source: Amazon CloudWatch Logs user guide, "Logs sent to Amazon S3" (AWSLogDeliveryWrite and
    AWSLogDeliveryAclCheck, with aws:SourceAccount), which AWS WAF's S3 logging follows; aws:SourceOrgID as for
    the flow logs in the log bucket.
    """
    source = {"aws:SourceOrgID": organization_id, "aws:SourceAccount": list(source_account_ids)}
    objects = [f"{bucket_arn}/AWSLogs/{account}/*" for account in source_account_ids]
    return [*log_bucket_denies(bucket_arn, key_arn), *log_delivery_statements(bucket_arn, "s3:GetBucketAcl", objects, source)]


# log_bucket_statements needs writers for its allows; the replica keeps only its denies.
_NO_WRITERS = LogWriters(organization_id="", trail_arn="", management_account_id="")


def replica_key_statements(
    account_id: str, region: str, organization_id: str, bucket_arn: str, guardian_arns: tuple[str, ...] = ()
) -> list[dict]:
    """The replica's key, in the replica's region: administered by its account (the replication role uses it
    through its IAM policy), guarded like the log key, and usable by the organization's principals only
    through S3 in that region for the replica bucket (log readers)."""
    this_bucket = {"kms:EncryptionContext:aws:s3:arn": [bucket_arn, f"{bucket_arn}/*"]}
    out = key_administration(account_id, guardian_arns)
    out.append(
        {
            "Sid": "OrganizationReadThroughS3",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": "kms:Decrypt",
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:PrincipalOrgID": organization_id, "kms:ViaService": f"s3.{region}.amazonaws.com"},
                "StringLike": this_bucket,
            },
        }
    )
    return out


def replication_role_statements(
    source_bucket_arn: str,
    source_key_arn: str,
    source_region: str,
    replica_bucket_arn: str,
    replica_key_arn: str,
    replica_region: str,
) -> list[dict]:
    """The replication role's policy, after the S3 user guide ("Setting up permissions for live replication";
    "Replicating objects created with server-side encryption (SSE-KMS)"): read the source's replication
    configuration and versions (with their Object Lock retention and legal hold), replicate them and their
    tags to the replica; decrypt with the source key and encrypt with the replica key, each only through S3 in
    its region and for its bucket (the encryption context is the bucket's ARN with an S3 Bucket Key, the
    object's without)."""

    def context(arn: str) -> dict:
        return {"kms:EncryptionContext:aws:s3:arn": [arn, f"{arn}/*"]}

    return [
        {
            "Sid": "ReadReplicationConfiguration",
            "Effect": "Allow",
            "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
            "Resource": source_bucket_arn,
        },
        {
            "Sid": "ReadSourceVersions",
            "Effect": "Allow",
            "Action": [
                "s3:GetObjectVersionForReplication",
                "s3:GetObjectVersionAcl",
                "s3:GetObjectVersionTagging",
                "s3:GetObjectRetention",
                "s3:GetObjectLegalHold",
            ],
            "Resource": f"{source_bucket_arn}/*",
        },
        {
            "Sid": "ReplicateToReplica",
            "Effect": "Allow",
            "Action": ["s3:ReplicateObject", "s3:ReplicateTags"],
            "Resource": f"{replica_bucket_arn}/*",
        },
        {
            "Sid": "DecryptSource",
            "Effect": "Allow",
            "Action": "kms:Decrypt",
            "Resource": source_key_arn,
            "Condition": {
                "StringEquals": {"kms:ViaService": f"s3.{source_region}.amazonaws.com"},
                "StringLike": context(source_bucket_arn),
            },
        },
        {
            "Sid": "EncryptReplica",
            "Effect": "Allow",
            "Action": ["kms:Encrypt", "kms:GenerateDataKey"],
            "Resource": replica_key_arn,
            "Condition": {
                "StringEquals": {"kms:ViaService": f"s3.{replica_region}.amazonaws.com"},
                "StringLike": context(replica_bucket_arn),
            },
        },
    ]
