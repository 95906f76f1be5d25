"""The management-baseline stack: the organization trail and the management account's baseline.

Runs with the management account's own credentials, like the management
stack, but after the log-archive stack: CloudTrail and AWS Config refuse a
destination bucket that does not exist yet, and the log archive account is
itself created by the management stack, so the two cannot share a stack.
"""

from __future__ import annotations

from constructs import Construct

from ..constructs.logging.organization_trail import OrganizationTrail, OrganizationTrailProps
from ..constructs.security.alerts import AlertTopic, AlertTopicProps, TrailAlarms, TrailAlarmsProps
from ..derived.stack_layout import MANAGEMENT_BASELINE
from ..guardrails.monitoring import cis_metric_filters
from .base import LandingZoneStack
from .logging_services import add_account_baseline, add_alert_rules, log_destination_of, management_account_id, names
from .settings import StackSettings


class ManagementBaselineStack(LandingZoneStack):
    """Attributes: `trail` (OrganizationTrail), `baseline` (AccountBaseline), `alerts_topic` (AlertTopic or None),
    `trail_alarms` (TrailAlarms or None), `alert_rules` (AlertRules or None)."""

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
                insights=tuple(trail.insights),
                key_deletion_window_days=env.logging.kms_deletion_window_days,
                prevent_destroy=not settings.allow_destroy,
            ),
        )
        self.baseline = add_account_baseline(self, account_id, destination)
        # SCPs never apply here: alarms on the whole organization's trail (CIS 4.x) and tamper alerts (issue 24.5)
        # go to a topic of the management account's own.
        notify = env.security_services.notifications
        self.alerts_topic = self.trail_alarms = self.alert_rules = None
        if trail.cis_alarms or notify.tamper_alerts:
            self.alerts_topic = AlertTopic(
                self,
                "alerts_topic",
                AlertTopicProps(
                    account_id=account_id,
                    region=org.home_region,
                    topic_name=n.security_topic,
                    key_alias=n.kms_key_alias("security-notifications"),
                    name_prefix=n.prefix,
                    emails=tuple(notify.emails),
                ),
            )
        if trail.cis_alarms and self.alerts_topic is not None:
            self.trail_alarms = TrailAlarms(
                self,
                "cis_alarms",
                TrailAlarmsProps(
                    log_group_name=self.trail.log_group.name,
                    topic_arn=self.alerts_topic.topic_arn,
                    alarm_prefix=n.prefix,
                    filters=cis_metric_filters(),
                ),
            )
        if notify.tamper_alerts and self.alerts_topic is not None:
            self.alert_rules = add_alert_rules(self, account_id, self.alerts_topic.topic_arn)
