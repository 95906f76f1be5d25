"""The `logging:` section: log archive buckets, organization trail, AWS Config."""

from __future__ import annotations

from datetime import date
from typing import Literal, Optional

from pydantic import Field

from .base import StrictModel

# Values CloudWatch Logs accepts for a log group's retention (PutRetentionPolicy).
CLOUDWATCH_RETENTION_DAYS: tuple[int, ...] = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)


class ObjectLock(StrictModel):
    """S3 Object Lock on the central log bucket (write once, read many)."""

    mode: Literal["GOVERNANCE", "COMPLIANCE"] = Field(
        "COMPLIANCE",
        description="COMPLIANCE (nobody can shorten or lift it, not even root) or GOVERNANCE (principals allowed "
        "s3:BypassGovernanceRetention can; the bucket policy denies that to everyone) (default COMPLIANCE).",
    )
    days: Optional[int] = Field(
        None,
        ge=1,
        le=36500,
        description="Default retention of every new object version, in days, "
        "at least log_bucket.retention_days (default log_bucket.retention_days).",
    )


class LogBucket(StrictModel):
    """The central log bucket in the log archive account."""

    retention_days: int = Field(
        3650, ge=1, le=36500, description="Days after which log objects expire (default 3650, ten years)."
    )
    glacier_transition_days: Optional[int] = Field(
        365,
        ge=1,
        le=36500,
        description="Days after which log objects move to S3 Glacier Flexible Retrieval (default 365; null keeps them in S3 Standard).",
    )
    noncurrent_retention_days: Optional[int] = Field(
        None,
        ge=1,
        le=36500,
        description="Days a replaced or deleted object version is kept, at least retention_days, or a "
        "tampered version would vanish before the log it replaced (default retention_days).",
    )
    object_lock: Optional[ObjectLock] = Field(
        default_factory=ObjectLock,
        description="Object Lock settings (default COMPLIANCE for retention_days; null: no Object Lock; "
        "it can only be turned on when the bucket is created).",
    )

    @property
    def noncurrent_days(self) -> int:
        """Days a noncurrent version is kept, the default filled in."""
        return self.retention_days if self.noncurrent_retention_days is None else self.noncurrent_retention_days

    @property
    def lock_days(self) -> Optional[int]:
        """Default Object Lock retention, the default filled in (None without Object Lock)."""
        if self.object_lock is None:
            return None
        return self.retention_days if self.object_lock.days is None else self.object_lock.days


class AccessLogBucket(StrictModel):
    """The bucket that receives the central log bucket's server access logs."""

    retention_days: int = Field(365, ge=1, le=36500, description="Days after which access-log objects expire (default 365).")


class OrganizationTrail(StrictModel):
    """The organization's CloudTrail trail, created in the management account."""

    cloudwatch_logs_retention_days: int = Field(
        365,
        description="Retention of the trail's CloudWatch Logs group, a value CloudWatch Logs accepts, at least 365 (default 365).",
    )
    cloudwatch_logs_kms_key_arn: Optional[str] = Field(
        None,
        description="Existing KMS key (ARN, management account, home region) for the log group (default: a key the landing zone creates).",
    )
    s3_data_events: Literal["none", "write", "read", "all"] = Field(
        "none",
        description="S3 object-level events to record for all buckets: none, write (CIS 3.8), read (CIS 3.9) or all (default none: they are billed per event).",
    )
    insights: list[Literal["ApiCallRateInsight", "ApiErrorRateInsight"]] = Field(
        default_factory=list,
        description="CloudTrail Insights on the organization trail: unusual rates of write API calls "
        "(ApiCallRateInsight) or of API errors (ApiErrorRateInsight). Default none: each type is billed at "
        "USD 0.35 per 100,000 management events it analyzes, for every account of the organization "
        "(CloudTrail pricing, us-east-1).",
    )
    cis_alarms: bool = Field(
        True,
        description="Metric filters and alarms on the trail's log group for CIS 4.1-4.15, notifying the management account's KMS-encrypted alerts topic (default true).",
    )


class LogReplication(StrictModel):
    """A locked copy of the central log bucket in a second governed region."""

    region: str = Field(
        description="Governed region, other than the home region, of the replica bucket: versioned, Object Lock "
        "like the log bucket, encrypted with a KMS key of that region, the same denies."
    )


class ConfigRecording(StrictModel):
    """AWS Config in every account, delivering to the central log bucket."""

    enabled: bool = Field(True, description="Record configuration in every account (default true; Security Hub needs it).")
    regions: Optional[list[str]] = Field(
        None, description="Regions to record in, a subset of organization.governed_regions (default: every governed region)."
    )
    delivery_frequency: Literal["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"] = Field(
        "TwentyFour_Hours", description="How often Config delivers configuration snapshots (default TwentyFour_Hours)."
    )
    aggregator: bool = Field(True, description="An organization-wide Config aggregator in the audit account (default true).")
    service_linked_role: bool = Field(
        True,
        description="Record with Config's service-linked role AWSServiceRoleForConfig, as AWS recommends (default true; "
        "the landing zone creates it in each account). False: a recorder role of the landing zone's own, for "
        "accounts whose AWSServiceRoleForConfig something else already manages.",
    )


class Athena(StrictModel):
    """Athena over the log archive, for organizations past one machine: a workgroup, Glue tables and saved
    queries in the audit account, reading the log bucket (read-only) through Athena."""

    enabled: bool = Field(
        False,
        description="An Athena workgroup, Glue tables over the compliance observations (`lz compliance --record "
        "--store log-archive`), Config's history and snapshot files and the organization trail, and saved queries, "
        "in the audit account (default false: Athena bills per byte scanned).",
    )
    bytes_scanned_cutoff_gb: int = Field(
        10, ge=1, le=10240, description="A query that would scan more than this many GiB is cancelled (default 10)."
    )
    results_retention_days: int = Field(
        30, ge=1, le=3650, description="Days after which query results expire in the results bucket (default 30)."
    )
    history_since: date = Field(
        date(2024, 1, 1), description="First date (YYYY-MM-DD) the tables' date partitions cover (default 2024-01-01)."
    )


class Logging(StrictModel):
    """Centralized logging: log archive, organization trail, AWS Config everywhere."""

    log_bucket: LogBucket = Field(default_factory=LogBucket, description="The central log bucket (defaults above).")
    access_log_bucket: AccessLogBucket = Field(
        default_factory=AccessLogBucket, description="The central log bucket's access-log bucket (defaults above)."
    )
    organization_trail: OrganizationTrail = Field(
        default_factory=OrganizationTrail, description="The organization trail (defaults above)."
    )
    config: ConfigRecording = Field(default_factory=ConfigRecording, description="AWS Config recording (defaults above).")
    kms_deletion_window_days: int = Field(
        30, ge=7, le=30, description="Waiting period before a deleted log key is gone, 7-30 days (default 30)."
    )
    replication: Optional[LogReplication] = Field(
        None,
        description="Replicate every new log version to a locked bucket in a second governed region (default null: "
        "one copy, in the home region; replication is a data-residency choice and doubles storage cost).",
    )

    athena: Athena = Field(
        default_factory=Athena, description="Athena and Glue over the log archive, with saved queries (default off)."
    )

    def config_regions(self, governed: list[str]) -> list[str]:
        """Regions Config records in (none when it is off), in governed order."""
        if not self.config.enabled:
            return []
        chosen = governed if self.config.regions is None else self.config.regions
        return [r for r in governed if r in chosen]
