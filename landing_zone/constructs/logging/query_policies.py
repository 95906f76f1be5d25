"""IAM policy documents of Athena over the log archive (`logging.athena`), as plain dicts. Pure Python, no cdktf.

Queries run in the audit account (the security tooling account, where the aggregator and Security Hub already
are) as one role, `log-query`: humans get read access to the logs there without any write or admin path
into the log archive account, which stays write-only for people. The log bucket lets that one role read,
and only through Athena (`aws:CalledVia`); the log key already lets principals of the organization decrypt
through S3 for that bucket only (policies.log_key_statements), so its policy is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

# What Athena needs of the log bucket to read a table (Athena user guide, "Access to Amazon S3").
READ_OBJECT_ACTIONS = ("s3:GetObject",)
READ_BUCKET_ACTIONS = ("s3:GetBucketLocation", "s3:ListBucket")
QUERY_ACTIONS = (
    "athena:BatchGetNamedQuery",
    "athena:BatchGetQueryExecution",
    "athena:GetNamedQuery",
    "athena:GetQueryExecution",
    "athena:GetQueryResults",
    "athena:GetWorkGroup",
    "athena:ListNamedQueries",
    "athena:ListQueryExecutions",
    "athena:StartQueryExecution",
    "athena:StopQueryExecution",
)
CATALOG_ACTIONS = (
    "glue:BatchGetPartition",
    "glue:GetDatabase",
    "glue:GetPartition",
    "glue:GetPartitions",
    "glue:GetTable",
    "glue:GetTables",
)


@dataclass(frozen=True, kw_only=True)
class LogReader:
    """The audit account's query role, the only reader of the log bucket besides its own account."""

    account_id: str
    """The audit account."""
    role_name: str
    """Name of the query role there (naming: `<org>-lz-log-query`)."""
    key_patterns: tuple[str, ...]
    """The keys the tables read (TableSpec.read_pattern): nothing else can be read."""

    @property
    def role_arn(self) -> str:
        return f"arn:aws:iam::{self.account_id}:role/{self.role_name}"


def _reader_condition(reader: LogReader) -> dict:
    return {
        "ArnEquals": {"aws:PrincipalArn": reader.role_arn},
        "ForAnyValue:StringEquals": {"aws:CalledVia": ["athena.amazonaws.com"]},
    }


def log_reader_statements(bucket_arn: str, reader: LogReader) -> list[dict]:
    """Read-only access to the tables' prefixes for the query role, through Athena only. The account is the
    principal (a role ARN in a bucket policy must exist when the policy is written: the audit stack comes
    later) and the role is the condition."""
    account = {"AWS": f"arn:aws:iam::{reader.account_id}:root"}
    return [
        {
            "Sid": "AthenaQueryList",
            "Effect": "Allow",
            "Principal": account,
            "Action": list(READ_BUCKET_ACTIONS),
            "Resource": bucket_arn,
            "Condition": _reader_condition(reader),
        },
        {
            "Sid": "AthenaQueryRead",
            "Effect": "Allow",
            "Principal": account,
            "Action": list(READ_OBJECT_ACTIONS),
            "Resource": [f"{bucket_arn}/{pattern}" for pattern in reader.key_patterns],
            "Condition": _reader_condition(reader),
        },
    ]


def query_role_trust(account_id: str, principal_arns: tuple[str, ...]) -> list[dict]:
    """Who may assume the query role: the listed principals (ARN patterns) of its own account."""
    return [
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
            "Action": "sts:AssumeRole",
            "Condition": {"ArnLike": {"aws:PrincipalArn": list(principal_arns)}},
        }
    ]


def query_role_statements(
    *,
    region: str,
    account_id: str,
    workgroup_arn: str,
    database: str,
    log_bucket_arn: str,
    log_key_arn: str,
    log_region: str,
    key_patterns: tuple[str, ...],
    results_bucket_arn: str,
    query_key_arn: str,
) -> list[dict]:
    """The query role: run queries in its workgroup, read the tables' definitions and their prefixes of the log
    bucket, write and read results; decrypt the logs through S3, encrypt results and the catalog with the
    query key."""
    catalog = f"arn:aws:glue:{region}:{account_id}"
    return [
        {"Sid": "RunQueries", "Effect": "Allow", "Action": list(QUERY_ACTIONS), "Resource": workgroup_arn},
        {
            "Sid": "ReadTables",
            "Effect": "Allow",
            "Action": list(CATALOG_ACTIONS),
            "Resource": [f"{catalog}:catalog", f"{catalog}:database/{database}", f"{catalog}:table/{database}/*"],
        },
        {"Sid": "ListLogs", "Effect": "Allow", "Action": list(READ_BUCKET_ACTIONS), "Resource": log_bucket_arn},
        {
            "Sid": "ReadLogs",
            "Effect": "Allow",
            "Action": list(READ_OBJECT_ACTIONS),
            "Resource": [f"{log_bucket_arn}/{pattern}" for pattern in key_patterns],
        },
        {
            "Sid": "DecryptLogs",
            "Effect": "Allow",
            "Action": "kms:Decrypt",
            "Resource": log_key_arn,
            "Condition": {"StringEquals": {"kms:ViaService": f"s3.{log_region}.amazonaws.com"}},
        },
        {"Sid": "ListResults", "Effect": "Allow", "Action": list(READ_BUCKET_ACTIONS), "Resource": results_bucket_arn},
        {
            "Sid": "WriteResults",
            "Effect": "Allow",
            "Action": ["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"],
            "Resource": f"{results_bucket_arn}/*",
        },
        {
            "Sid": "UseQueryKey",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
            "Resource": query_key_arn,
        },
    ]
