"""Tamper alerts (issue 24.5) and the CIS 4.x alarms (issue 16.7).

- `AlertTopic`: an `EncryptedTopic` (topic.py) that EventBridge rules and
  CloudWatch alarms of its own account may publish to (the management
  account's notifications topic; the audit account has SecurityNotifications').
- `AlertRules`: EventBridge rules (landing_zone.guardrails.alerts) sending to a
  topic in the home region; from us-east-1, where global services' events
  arrive, the same rules forward to the home region's default bus.
- `TrailAlarms`: one metric filter and alarm per CIS 4.x recommendation
  (landing_zone.guardrails.monitoring) on the organization trail's log group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from cdktf import TerraformProvider
from cdktf_cdktf_provider_aws.cloudwatch_event_rule import CloudwatchEventRule
from cdktf_cdktf_provider_aws.cloudwatch_event_target import CloudwatchEventTarget
from cdktf_cdktf_provider_aws.cloudwatch_log_metric_filter import (
    CloudwatchLogMetricFilter,
    CloudwatchLogMetricFilterMetricTransformation,
)
from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import CloudwatchMetricAlarm
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from constructs import Construct

from ...guardrails.alerts import Alert
from ...guardrails.monitoring import NAMESPACE, MetricFilter
from ..logging.policies import policy_json, trust_policy
from .topic import EncryptedTopic, EncryptedTopicProps, TopicPublisher


@dataclass(frozen=True, kw_only=True)
class AlertTopicProps:
    account_id: str
    """Account of the topic."""
    region: str
    """Region of the topic."""
    topic_name: str
    """Topic name (naming.LandingZoneNames.security_topic)."""
    key_alias: str
    """Alias of the topic's key."""
    name_prefix: str
    """Rules and alarms named with this prefix may publish (naming.LandingZoneNames.prefix)."""
    emails: tuple[str, ...] = ()
    """Addresses subscribed (default none)."""
    provider: Optional[TerraformProvider] = None
    """Provider of the topic's account and region (default: the stack's)."""


class AlertTopic(EncryptedTopic):
    """The management account's alerts topic: EventBridge rules and CloudWatch alarms named with the
    landing zone's prefix publish. Attributes: `key`, `topic`, `topic_arn`."""

    def __init__(self, scope: Construct, id: str, props: AlertTopicProps) -> None:
        account, region, prefix = props.account_id, props.region, props.name_prefix
        super().__init__(
            scope,
            id,
            EncryptedTopicProps(
                account_id=account,
                topic_name=props.topic_name,
                key_alias=props.key_alias,
                key_description="Encrypts the alerts topic",
                publishers=(
                    TopicPublisher(
                        sid="EventBridgePublish",
                        service="events.amazonaws.com",
                        source_arn=f"arn:aws:events:{region}:{account}:rule/{prefix}*",
                    ),
                    TopicPublisher(
                        sid="CloudWatchAlarmsPublish",
                        service="cloudwatch.amazonaws.com",
                        source_arn=f"arn:aws:cloudwatch:{region}:{account}:alarm:{prefix}*",
                    ),
                ),
                key_publish_sid="AlarmsAndRulesPublish",
                logical_prefix="alerts_topic",
                topic_logical_id="alerts_topic",
                emails=props.emails,
                provider=props.provider,
            ),
        )


@dataclass(frozen=True, kw_only=True)
class AlertRulesProps:
    account_id: str
    """Account of the rules."""
    home_region: str
    """Region of the topic, where the rules publish."""
    topic_arn: str
    """The notifications topic (home region); its policy must admit rules named `rule_prefix`*."""
    rule_prefix: str
    """Prefix of the rules' names (naming.LandingZoneNames.prefix)."""
    alerts: tuple[Alert, ...]
    """What to alert on (landing_zone.guardrails.alerts.alerts)."""
    home_provider: Optional[TerraformProvider] = None
    """Provider of the home region (default: the stack's)."""
    global_provider: Optional[TerraformProvider] = None
    """Provider of us-east-1 when it is not the home region: the rules there forward to the home region."""
    forwarding_role_name: str = ""
    """Role EventBridge uses to forward from us-east-1 (required with `global_provider`)."""


class AlertRules(Construct):
    """Attributes: `rules` (logical id -> rule)."""

    def __init__(self, scope: Construct, id: str, props: AlertRulesProps) -> None:
        super().__init__(scope, id)
        self.rules: dict[str, CloudwatchEventRule] = {}
        for alert in props.alerts:
            lid = f"alert_{alert.key}"
            rule = self._rule(lid, props.home_provider, f"{props.rule_prefix}alert-{alert.key.replace('_', '-')}", alert)
            CloudwatchEventTarget(
                self,
                f"{lid}_target",
                provider=props.home_provider,
                rule=rule.name,
                target_id="notifications",
                arn=props.topic_arn,
            ).override_logical_id(f"{lid}_target")
        if props.global_provider is None:
            return
        if not props.forwarding_role_name:
            raise ValueError("AlertRules: a global_provider needs a forwarding_role_name")
        home_bus = f"arn:aws:events:{props.home_region}:{props.account_id}:event-bus/default"
        role = IamRole(
            self,
            "forwarding_role",
            provider=props.home_provider,
            name=props.forwarding_role_name,
            description="Lets EventBridge forward us-east-1's tamper events to the home region",
            assume_role_policy=trust_policy("events.amazonaws.com", props.account_id),
        )
        role.override_logical_id("alert_forwarding_role")
        IamRolePolicy(
            self,
            "forwarding_policy",
            provider=props.home_provider,
            role=role.id,
            name="put-events-home-region",
            policy=policy_json([{"Effect": "Allow", "Action": "events:PutEvents", "Resource": home_bus}]),
        ).override_logical_id("alert_forwarding_policy")
        for alert in props.alerts:
            lid = f"alert_{alert.key}_forward"
            rule = self._rule(
                lid, props.global_provider, f"{props.rule_prefix}alert-{alert.key.replace('_', '-')}-forward", alert
            )
            CloudwatchEventTarget(
                self,
                f"{lid}_target",
                provider=props.global_provider,
                rule=rule.name,
                target_id="home-region",
                arn=home_bus,
                role_arn=role.arn,
            ).override_logical_id(f"{lid}_target")

    def _rule(self, lid: str, provider: Optional[TerraformProvider], name: str, alert: Alert) -> CloudwatchEventRule:
        rule = CloudwatchEventRule(
            self, lid, provider=provider, name=name, description=alert.description, event_pattern=alert.pattern_json
        )
        rule.override_logical_id(lid)
        self.rules[lid] = rule
        return rule


@dataclass(frozen=True, kw_only=True)
class TrailAlarmsProps:
    log_group_name: str
    """The organization trail's CloudWatch Logs group."""
    topic_arn: str
    """Topic the alarms notify (same account and region; its policy admits alarms named `alarm_prefix`*)."""
    alarm_prefix: str
    """Prefix of the alarms' names (naming.LandingZoneNames.prefix)."""
    filters: tuple[MetricFilter, ...]
    """The metric filters (landing_zone.guardrails.monitoring.cis_metric_filters)."""
    provider: Optional[TerraformProvider] = None
    """Provider of the log group's account and region (default: the stack's)."""
    depends_on: tuple = ()
    """Resources the filters wait for (the log group)."""


class TrailAlarms(Construct):
    """Attributes: `filters`, `alarms` (by key)."""

    def __init__(self, scope: Construct, id: str, props: TrailAlarmsProps) -> None:
        super().__init__(scope, id)
        self.filters: dict[str, CloudwatchLogMetricFilter] = {}
        self.alarms: dict[str, CloudwatchMetricAlarm] = {}
        for f in props.filters:
            metric_filter = CloudwatchLogMetricFilter(
                self,
                f"filter_{f.key}",
                provider=props.provider,
                name=f"{props.alarm_prefix}cis-{f.key.replace('_', '-')}",
                log_group_name=props.log_group_name,
                pattern=f.pattern,
                metric_transformation=CloudwatchLogMetricFilterMetricTransformation(
                    name=f.metric_name, namespace=NAMESPACE, value="1"
                ),
                depends_on=list(props.depends_on) or None,
            )
            metric_filter.override_logical_id(f"cis_filter_{f.key}")
            alarm = CloudwatchMetricAlarm(
                self,
                f"alarm_{f.key}",
                provider=props.provider,
                alarm_name=f"{props.alarm_prefix}cis-{f.key.replace('_', '-')}",
                alarm_description=f"CIS {f.cis_id}: {f.title}",
                namespace=NAMESPACE,
                metric_name=f.metric_name,
                statistic="Sum",
                period=300,
                evaluation_periods=1,
                threshold=1,
                comparison_operator="GreaterThanOrEqualToThreshold",
                treat_missing_data="notBreaching",
                actions_enabled=True,
                alarm_actions=[props.topic_arn],
                depends_on=[metric_filter],
            )
            alarm.override_logical_id(f"cis_alarm_{f.key}")
            self.filters[f.key] = metric_filter
            self.alarms[f.key] = alarm
