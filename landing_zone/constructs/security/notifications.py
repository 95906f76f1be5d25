"""Security notifications: one KMS-encrypted SNS topic in the audit account, fed by EventBridge.

GuardDuty findings stay in their region and an SNS target must be in the
rule's region, so other governed regions forward GuardDuty findings to the
home region's default event bus; Security Hub aggregates its findings into
the home region itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from cdktf import TerraformProvider
from cdktf_cdktf_provider_aws.cloudwatch_event_rule import CloudwatchEventRule
from cdktf_cdktf_provider_aws.cloudwatch_event_target import CloudwatchEventTarget
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from constructs import Construct

from ..ids import logical_id
from ..logging.policies import policy_json, trust_policy
from .events import guardduty_pattern, security_hub_pattern
from .topic import EncryptedTopic, EncryptedTopicProps, TopicPublisher


@dataclass(frozen=True, kw_only=True)
class SecurityNotificationsProps:
    """Where security findings are announced."""

    account_id: str
    """The audit account, which holds the topic and the rules."""
    home_region: str
    """Region of the topic."""
    providers: Mapping[str, TerraformProvider]
    """Audit-account provider per governed region (region -> provider)."""
    topic_name: str
    """Topic name (naming.LandingZoneNames.security_topic)."""
    key_alias: str
    """Alias of the topic's KMS key."""
    rule_prefix: str
    """Prefix of the event rules' names (naming.LandingZoneNames.prefix); the topic accepts only rules named so."""
    forwarding_role_name: str
    """Role EventBridge uses to forward findings to the home region."""
    emails: tuple[str, ...] = ()
    """Addresses subscribed to the topic (default none)."""
    severity_threshold: str = "HIGH"
    """Lowest severity announced (default HIGH)."""
    guardduty: bool = True
    """Announce GuardDuty findings (default true)."""
    security_hub: bool = True
    """Announce Security Hub findings (default true)."""


class SecurityNotifications(EncryptedTopic):
    """The encrypted topic (topic.EncryptedTopic: key, topic, policy, email subscriptions) and the rules.

    Attributes: `key`, `topic`, `topic_arn`, `rules` (by logical id).
    """

    def __init__(self, scope: Construct, id: str, props: SecurityNotificationsProps) -> None:
        account = props.account_id
        super().__init__(
            scope,
            id,
            EncryptedTopicProps(
                account_id=account,
                topic_name=props.topic_name,
                key_alias=props.key_alias,
                key_description="Encrypts the security notifications topic",
                publishers=(
                    TopicPublisher(
                        sid="EventBridgePublish",
                        service="events.amazonaws.com",
                        source_arn=f"arn:aws:events:{props.home_region}:{account}:rule/{props.rule_prefix}*",
                    ),
                ),
                key_publish_sid="EventBridgePublish",
                logical_prefix="security_notifications",
                topic_logical_id="security_notifications_topic",
                emails=props.emails,
                provider=props.providers[props.home_region],
            ),
        )
        self.props = props
        self.rules: dict[str, CloudwatchEventRule] = {}
        if props.guardduty:
            self._rule_to_topic(
                "guardduty_findings",
                "guardduty-findings",
                guardduty_pattern(props.severity_threshold),
                f"GuardDuty findings of severity {props.severity_threshold} or higher, from every governed region",
            )
            others = [r for r in props.providers if r != props.home_region]
            if others:
                self._forward_guardduty(others)
        if props.security_hub:
            self._rule_to_topic(
                "securityhub_findings",
                "securityhub-findings",
                security_hub_pattern(props.severity_threshold),
                f"New Security Hub findings labelled {props.severity_threshold} or higher (aggregated from every governed region)",
            )

    def _rule_to_topic(self, lid: str, purpose: str, pattern: str, description: str) -> None:
        home = self.props.providers[self.props.home_region]
        rule = CloudwatchEventRule(
            self, lid, provider=home, name=f"{self.props.rule_prefix}{purpose}", description=description, event_pattern=pattern
        )
        rule.override_logical_id(lid)
        CloudwatchEventTarget(
            self, f"{lid}_target", provider=home, rule=rule.name, target_id="security-notifications", arn=self.topic.arn
        ).override_logical_id(f"{lid}_target")
        self.rules[lid] = rule

    def _forward_guardduty(self, regions: list[str]) -> None:
        props = self.props
        home = props.providers[props.home_region]
        home_bus = f"arn:aws:events:{props.home_region}:{props.account_id}:event-bus/default"
        role = IamRole(
            self,
            "forwarding_role",
            provider=home,
            name=props.forwarding_role_name,
            description="Lets EventBridge forward GuardDuty findings to the home region",
            assume_role_policy=trust_policy("events.amazonaws.com", props.account_id),
        )
        role.override_logical_id("security_findings_forwarding_role")
        IamRolePolicy(
            self,
            "forwarding_policy",
            provider=home,
            role=role.id,
            name="put-events-home-region",
            policy=policy_json([{"Effect": "Allow", "Action": "events:PutEvents", "Resource": home_bus}]),
        ).override_logical_id("security_findings_forwarding_policy")
        for region in regions:
            provider = props.providers[region]
            lid = logical_id("guardduty_findings_forward", region)
            rule = CloudwatchEventRule(
                self,
                lid,
                provider=provider,
                name=f"{props.rule_prefix}guardduty-findings-forward",
                description=f"Forwards GuardDuty findings from {region} to {props.home_region}",
                event_pattern=guardduty_pattern(props.severity_threshold),
            )
            rule.override_logical_id(lid)
            CloudwatchEventTarget(
                self, f"{lid}_target", provider=provider, rule=rule.name, target_id="home-region", arn=home_bus, role_arn=role.arn
            ).override_logical_id(f"{lid}_target")
            self.rules[lid] = rule
