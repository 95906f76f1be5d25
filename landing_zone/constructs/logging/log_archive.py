"""The log archive: KMS key, central log bucket and its access-log bucket, and the optional WAF log bucket."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

from cdktf import TerraformProvider, TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from constructs import Construct

from .log_replica import LogReplica, LogReplicaProps
from .policies import (
    LogWriters,
    access_log_bucket_statements,
    log_bucket_statements,
    log_key_statements,
    policy_json,
    waf_log_bucket_statements,
)
from .query_policies import LogReader, log_reader_statements
from .secure_bucket import SecureBucket, SecureBucketProps, access_logged_bucket, access_logging


@dataclass(frozen=True, kw_only=True)
class WafLogBucketProps:
    """The bucket the web ACLs of the organization log to (`incident_response.waf`)."""

    bucket_name: str
    """Starts with `aws-waf-logs-`, or AWS WAF refuses it (respond.waf.WafNames.log_bucket)."""
    source_account_ids: tuple[str, ...]
    """The accounts whose web ACLs log here: the only ones the log delivery service may write for."""
    retention_days: int = 365
    """Days the logs are kept, and locked when the log bucket is (default 365)."""


@dataclass(frozen=True, kw_only=True)
class LogArchiveProps:
    """Where the organization's logs are kept; defaults follow CIS and Control Tower."""

    account_id: str
    """The log archive account."""
    region: str
    """Home region, where the buckets and the key live."""
    writers: LogWriters
    """The organization, its trail and its Config recorder role: the only writers."""
    log_bucket_name: str
    """Name of the central log bucket (naming.LandingZoneNames.log_bucket)."""
    access_log_bucket_name: str
    """Name of its access-log bucket (naming.LandingZoneNames.access_log_bucket)."""
    key_alias: str
    """Alias of the log key, `alias/...`."""
    retention_days: int = 3650
    """Days log objects are kept (default 3650)."""
    glacier_transition_days: Optional[int] = 365
    """Days after which log objects move to Glacier (default 365; None: never)."""
    noncurrent_retention_days: Optional[int] = None
    """Days replaced or deleted versions are kept (default: retention_days; never shorter, or a tampered
    version would vanish before the log it replaced)."""
    access_log_retention_days: int = 365
    """Days access logs are kept (default 365)."""
    object_lock_mode: Optional[str] = "COMPLIANCE"
    """COMPLIANCE (nobody, not even root, can shorten it) or GOVERNANCE Object Lock on the log bucket; None: no lock
    (default COMPLIANCE)."""
    object_lock_days: Optional[int] = None
    """Default Object Lock retention (default: retention_days)."""
    key_guardian_arns: tuple[str, ...] = ()
    """Principals (ARN patterns) that alone may delete, disable, re-policy or grant the log key, normally the role
    that deploys the log archive (default none: the key policy adds no such deny)."""
    key_deletion_window_days: int = 30
    """Waiting period before a deleted key is gone (default 30)."""
    prevent_destroy: bool = True
    """Refuse to destroy the buckets and the key (default true)."""
    force_destroy: bool = False
    """Delete the buckets' objects with them (default false; for test runs against a local API, whose
    server access logging fills the access-log bucket)."""
    provider: Optional[TerraformProvider] = None
    """Provider of the home region (default: the stack's default provider)."""
    replica: Optional[LogReplicaProps] = None
    """A locked replica of the log bucket in a second region (default none)."""
    reader: Optional[LogReader] = None
    """The audit account's Athena query role, which may read the tables' prefixes through Athena (default none)."""
    waf_logs: Optional[WafLogBucketProps] = None
    """A bucket for the web ACLs' logs, hardened like the log bucket (default none)."""
    lifecycles_elsewhere: bool = False
    """Leave the home-region buckets' lifecycle configurations to another stack of the account (`lifecycle_buckets`,
    SecureBucket.add_lifecycle_in; default false: built here)."""


class LogArchive(Construct):
    """KMS key (rotation on) and two SecureBuckets: logs (SSE-KMS with a bucket
    key) and their server access logs (SSE-S3: access-log delivery supports
    nothing else), the first logging to the second.

    With `waf_logs`, a third SecureBucket for the web ACLs' logs (AWS WAF delivers only to a bucket named
    `aws-waf-logs-...`): the log key, the log bucket's lock, denies and lifecycle, access-logged to the same
    access-log bucket.

    Attributes: `key` (aws_kms_key), `key_arn`, `log_bucket`, `access_log_bucket`, `waf_log_bucket`
    (SecureBucket; the last None without `waf_logs`), `log_bucket_name`, `log_bucket_arn`, `replica` (LogReplica
    or None).
    """

    def __init__(self, scope: Construct, id: str, props: LogArchiveProps) -> None:
        super().__init__(scope, id)
        self.props = props
        provider = props.provider
        noncurrent = props.retention_days if props.noncurrent_retention_days is None else props.noncurrent_retention_days
        lock_days = props.retention_days if props.object_lock_days is None else props.object_lock_days
        if noncurrent < props.retention_days:
            raise ValueError(f"noncurrent_retention_days ({noncurrent}) is shorter than retention_days ({props.retention_days})")
        if props.object_lock_mode and lock_days < props.retention_days:
            raise ValueError(f"object_lock_days ({lock_days}) is shorter than retention_days ({props.retention_days})")
        self.key = KmsKey(
            self,
            "key",
            provider=provider,
            description="Encrypts the organization's CloudTrail and AWS Config logs in the log archive",
            enable_key_rotation=True,
            deletion_window_in_days=props.key_deletion_window_days,
            policy=policy_json(
                log_key_statements(
                    props.account_id, props.region, props.writers, self.log_bucket_arn_pattern, tuple(props.key_guardian_arns)
                )
            ),
            lifecycle=TerraformResourceLifecycle(prevent_destroy=props.prevent_destroy),
        )
        self.key.override_logical_id("log_archive_key")
        KmsAlias(self, "alias", name=props.key_alias, target_key_id=self.key.key_id, provider=provider).override_logical_id(
            "log_archive_key_alias"
        )

        key_arn = self.key.arn
        self.log_bucket, self.access_log_bucket = access_logged_bucket(
            self,
            "logs",
            SecureBucketProps(
                bucket_name=props.log_bucket_name,
                logical_name="log_bucket",
                policy_statements=lambda arn: (
                    log_bucket_statements(arn, props.writers, key_arn)
                    + (log_reader_statements(arn, props.reader) if props.reader else [])
                ),
                retention_days=props.retention_days,
                glacier_transition_days=props.glacier_transition_days,
                noncurrent_retention_days=noncurrent,
                kms_key_arn=key_arn,
                object_lock_mode=props.object_lock_mode,
                object_lock_days=lock_days,
                prevent_destroy=props.prevent_destroy,
                force_destroy=props.force_destroy,
                provider=provider,
                lifecycle_elsewhere=props.lifecycles_elsewhere,
            ),
            SecureBucketProps(
                bucket_name=props.access_log_bucket_name,
                logical_name="access_log_bucket",
                policy_statements=lambda arn: access_log_bucket_statements(arn, self.access_logged_arns, props.account_id),
                retention_days=props.access_log_retention_days,
                noncurrent_retention_days=min(noncurrent, props.access_log_retention_days),
                prevent_destroy=props.prevent_destroy,
                force_destroy=props.force_destroy,
                provider=provider,
                lifecycle_elsewhere=props.lifecycles_elsewhere,
            ),
            "log_bucket_access_logging",
        )
        self.waf_log_bucket = self._waf_log_bucket(props.waf_logs) if props.waf_logs else None
        self.replica = LogReplica(self, "replica", self, props.replica) if props.replica else None

    def _waf_log_bucket(self, waf: WafLogBucketProps) -> SecureBucket:
        props, key_arn = self.props, self.key.arn
        bucket = SecureBucket(
            self,
            "waf_logs",
            replace(
                self.log_bucket.props,
                bucket_name=waf.bucket_name,
                logical_name="waf_log_bucket",
                policy_statements=lambda arn: waf_log_bucket_statements(
                    arn, props.writers.organization_id, list(waf.source_account_ids), key_arn
                ),
                retention_days=waf.retention_days,
                noncurrent_retention_days=waf.retention_days,
                glacier_transition_days=None,
                object_lock_days=waf.retention_days,
            ),
        )
        access_logging(self, bucket, self.access_log_bucket, "waf_log_bucket_access_logging", id="waf_access_logging")
        return bucket

    @property
    def lifecycle_buckets(self) -> list[SecureBucket]:
        """The buckets whose lifecycle configuration another stack builds (with `lifecycles_elsewhere`)."""
        buckets = [self.log_bucket, self.access_log_bucket, self.waf_log_bucket]
        return [b for b in buckets if b is not None and b.props.lifecycle_elsewhere]

    @property
    def access_logged_arns(self) -> str | list[str]:
        """The buckets that log to the access-log bucket, spelled from their names (its policy is created first)."""
        if self.props.waf_logs is None:
            return self.log_bucket_arn_pattern
        return [self.log_bucket_arn_pattern, f"arn:aws:s3:::{self.props.waf_logs.bucket_name}"]

    @property
    def log_bucket_arn_pattern(self) -> str:
        """ARN of the log bucket, spelled from its name (the access-log bucket's policy is created first)."""
        return f"arn:aws:s3:::{self.props.log_bucket_name}"

    @property
    def key_arn(self) -> str:
        return self.key.arn

    @property
    def log_bucket_name(self) -> str:
        return self.log_bucket.bucket_name

    @property
    def log_bucket_arn(self) -> str:
        return self.log_bucket.bucket_arn
