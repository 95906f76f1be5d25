"""The organization's CloudTrail trail, with its CloudWatch Logs group and delivery role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional

from cdktf import TerraformProvider, TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.cloudtrail import (
    Cloudtrail,
    CloudtrailEventSelector,
    CloudtrailEventSelectorDataResource,
    CloudtrailInsightSelector,
)
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from constructs import Construct

from .policies import log_group_key_statements, policy_json, trust_policy

# CIS 3.8 (write) and 3.9 (read): which S3 object-level events the trail records.
READ_WRITE_TYPE = {"write": "WriteOnly", "read": "ReadOnly", "all": "All"}


@dataclass(frozen=True, kw_only=True)
class OrganizationTrailProps:
    """A multi-region organization trail; every default is the CIS one."""

    trail_name: str
    """Trail name (naming.LandingZoneNames.trail)."""
    account_id: str
    """The management account, where the trail, log group and role live."""
    region: str
    """Home region of the trail."""
    bucket_name: str
    """Central log bucket in the log archive account."""
    kms_key_arn: str
    """Log archive key that encrypts the log files (CIS 3.5)."""
    log_group_name: str
    """Name of the CloudWatch Logs group the trail also delivers to."""
    role_name: str
    """Name of the role CloudTrail assumes to write to the log group."""
    log_group_retention_days: int = 365
    """Retention of the log group (default 365)."""
    log_group_kms_key_arn: Optional[str] = None
    """Existing key for the log group; omitted: one is created, with `log_group_key_alias`."""
    log_group_key_alias: Optional[str] = None
    """Alias of the created log group key (default none)."""
    s3_data_events: Literal["none", "write", "read", "all"] = "none"
    """S3 object-level events for all buckets (default none)."""
    insights: tuple[str, ...] = ()
    """CloudTrail Insights types, ApiCallRateInsight and/or ApiErrorRateInsight (default none: each is billed
    per 100,000 management events analyzed)."""
    key_deletion_window_days: int = 30
    """Waiting period of the created key (default 30)."""
    prevent_destroy: bool = True
    """Refuse to destroy the trail (default true)."""
    provider: Optional[TerraformProvider] = None
    """Provider of the home region in the management account (default: the stack's default provider)."""


class OrganizationTrail(Construct):
    """`aws_cloudtrail` with is_organization_trail, multi-region, global
    service events, log file validation, KMS and CloudWatch Logs delivery.

    Attributes: `trail`, `trail_arn`, `log_group`, `log_group_key_arn`, `role`.
    """

    def __init__(self, scope: Construct, id: str, props: OrganizationTrailProps) -> None:
        super().__init__(scope, id)
        self.props = props
        provider = props.provider
        if props.log_group_kms_key_arn:
            self.log_group_key_arn = props.log_group_kms_key_arn
        else:
            key = KmsKey(
                self,
                "log_group_key",
                provider=provider,
                description="Encrypts the organization trail's CloudWatch Logs group",
                enable_key_rotation=True,
                deletion_window_in_days=props.key_deletion_window_days,
                policy=policy_json(log_group_key_statements(props.account_id, props.region, props.log_group_name)),
            )
            key.override_logical_id("trail_log_group_key")
            if props.log_group_key_alias:
                KmsAlias(
                    self, "log_group_key_alias", name=props.log_group_key_alias, target_key_id=key.key_id, provider=provider
                ).override_logical_id("trail_log_group_key_alias")
            self.log_group_key_arn = key.arn
        self.log_group = CloudwatchLogGroup(
            self,
            "log_group",
            provider=provider,
            name=props.log_group_name,
            retention_in_days=props.log_group_retention_days,
            kms_key_id=self.log_group_key_arn,
        )
        self.log_group.override_logical_id("trail_log_group")
        self.role = IamRole(
            self,
            "role",
            provider=provider,
            name=props.role_name,
            description="Lets the organization trail deliver events to its CloudWatch Logs group",
            assume_role_policy=trust_policy("cloudtrail.amazonaws.com", props.account_id),
        )
        self.role.override_logical_id("trail_cloudwatch_role")
        # An organization trail writes one stream per account: <management id>_CloudTrail_<region> and <org id>_* .
        role_policy = IamRolePolicy(
            self,
            "role_policy",
            provider=provider,
            name="deliver-to-log-group",
            role=self.role.id,
            policy=policy_json(
                [
                    {
                        "Effect": "Allow",
                        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                        "Resource": f"{self.log_group.arn}:log-stream:*",
                    }
                ]
            ),
        )
        role_policy.override_logical_id("trail_cloudwatch_role_policy")
        self.trail = Cloudtrail(
            self,
            "trail",
            provider=provider,
            name=props.trail_name,
            s3_bucket_name=props.bucket_name,
            kms_key_id=props.kms_key_arn,
            is_organization_trail=True,
            is_multi_region_trail=True,
            include_global_service_events=True,
            enable_log_file_validation=True,
            enable_logging=True,
            cloud_watch_logs_group_arn=f"{self.log_group.arn}:*",
            cloud_watch_logs_role_arn=self.role.arn,
            event_selector=event_selectors(props.s3_data_events),
            insight_selector=[CloudtrailInsightSelector(insight_type=t) for t in sorted(set(props.insights))] or None,
            depends_on=[role_policy],
            lifecycle=TerraformResourceLifecycle(prevent_destroy=props.prevent_destroy),
        )
        self.trail.override_logical_id("organization_trail")

    @property
    def trail_arn(self) -> str:
        return self.trail.arn


def event_selectors(s3_data_events: str) -> list[CloudtrailEventSelector]:
    """Management events, read and write, always (CIS 3.1: reconnaissance is Get*, List*, Describe*); S3 object
    events in a selector of their own, so `s3_data_events` records exactly the data events it names (CIS 3.8, 3.9)."""
    selectors = [CloudtrailEventSelector(read_write_type="All", include_management_events=True)]
    if s3_data_events != "none":
        selectors.append(
            CloudtrailEventSelector(
                read_write_type=READ_WRITE_TYPE[s3_data_events],
                include_management_events=False,
                data_resource=[CloudtrailEventSelectorDataResource(type="AWS::S3::Object", values=["arn:aws:s3"])],
            )
        )
    return selectors
