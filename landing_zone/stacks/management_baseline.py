"""The management-baseline stack: the organization trail and the management account's baseline.

Runs with the management account's own credentials, like the management
stack, but after the log-archive stack: CloudTrail and AWS Config refuse a
destination bucket that does not exist yet, and the log archive account is
itself created by the management stack, so the two cannot share a stack.
"""

from __future__ import annotations

from constructs import Construct

from ..constructs.logging.organization_trail import OrganizationTrail, OrganizationTrailProps
from ..derived.stack_layout import MANAGEMENT_BASELINE
from .base import LandingZoneStack
from .logging_services import add_account_baseline, log_destination_of, management_account_id, names
from .settings import StackSettings


class ManagementBaselineStack(LandingZoneStack):
    """Attributes: `trail` (OrganizationTrail), `baseline` (AccountBaseline)."""

    def __init__(
        self, scope: Construct, settings: StackSettings, *, management, log_archive, name: str = MANAGEMENT_BASELINE
    ) -> None:
        env = settings.env
        org = env.organization
        allowed = (org.management_account.id,) if org.management_account.id else ()
        super().__init__(scope, name, settings, allowed_account_ids=allowed)
        self.management = management
        self.add_dependency(management)
        self.add_dependency(log_archive)
        n = names(settings)
        account_id = management_account_id(management)
        destination = log_destination_of(log_archive)
        trail = env.logging.organization_trail
        self.trail = OrganizationTrail(
            self,
            "organization_trail",
            OrganizationTrailProps(
                trail_name=n.trail,
                account_id=account_id,
                region=org.home_region,
                bucket_name=destination.bucket_name,
                kms_key_arn=destination.kms_key_arn,
                log_group_name=n.trail_log_group,
                role_name=n.role("cloudtrail-logs"),
                log_group_retention_days=trail.cloudwatch_logs_retention_days,
                log_group_kms_key_arn=trail.cloudwatch_logs_kms_key_arn,
                log_group_key_alias=n.kms_key_alias("cloudtrail-logs"),
                s3_data_events=trail.s3_data_events,
                key_deletion_window_days=env.logging.kms_deletion_window_days,
                prevent_destroy=not settings.allow_destroy,
            ),
        )
        self.baseline = add_account_baseline(self, account_id, destination)
