"""`EncryptedTopic`: a KMS-encrypted SNS topic that named AWS services of its own account publish to.

The one construct behind the audit account's security notifications topic and
the management account's alerts topic: a rotating key whose policy lets the
publishing services use it (`aws:SourceAccount`), the topic, a topic policy
that admits each publisher only from sources named with the landing zone's
prefix (`aws:SourceArn`), the account's own management statement, and email
subscriptions. Resources are created directly under this construct, so a
subclass (SecurityNotifications) keeps its resource paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from cdktf import TerraformProvider
from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.sns_topic import SnsTopic
from cdktf_cdktf_provider_aws.sns_topic_policy import SnsTopicPolicy
from cdktf_cdktf_provider_aws.sns_topic_subscription import SnsTopicSubscription
from constructs import Construct

from ..ids import logical_id
from ..logging.policies import policy_json

TOPIC_MANAGEMENT_ACTIONS = (
    "sns:GetTopicAttributes",
    "sns:SetTopicAttributes",
    "sns:AddPermission",
    "sns:RemovePermission",
    "sns:DeleteTopic",
    "sns:Subscribe",
    "sns:ListSubscriptionsByTopic",
    "sns:Publish",
)


@dataclass(frozen=True, kw_only=True)
class TopicPublisher:
    """An AWS service that may publish to the topic from sources matching `source_arn`."""

    sid: str
    """Sid of its topic-policy statement."""
    service: str
    """Service principal, such as events.amazonaws.com."""
    source_arn: str
    """`aws:SourceArn` pattern (ArnLike) of the rules or alarms allowed to publish."""


@dataclass(frozen=True, kw_only=True)
class EncryptedTopicProps:
    account_id: str
    """Account of the topic (key administrator, topic manager, `aws:SourceAccount` of publishers)."""
    topic_name: str
    """Topic name (naming.LandingZoneNames.security_topic)."""
    key_alias: str
    """Alias of the topic's key."""
    key_description: str
    """Description of the key."""
    publishers: tuple[TopicPublisher, ...]
    """Who publishes; each gets a topic-policy statement, all of them the key-policy statement."""
    key_publish_sid: str
    """Sid of the key-policy statement that lets the publishers use the key."""
    logical_prefix: str
    """Prefix of the logical ids: `<prefix>_key`, `<prefix>_key_alias`, `<prefix>_email_...`."""
    topic_logical_id: str
    """Logical id of the topic (its policy is `<topic id>_policy`)."""
    emails: tuple[str, ...] = ()
    """Addresses subscribed (default none)."""
    provider: Optional[TerraformProvider] = None
    """Provider of the topic's account and region (default: the stack's)."""


class EncryptedTopic(Construct):
    """Attributes: `key`, `topic`, `topic_arn`."""

    def __init__(self, scope: Construct, id: str, props: EncryptedTopicProps) -> None:
        super().__init__(scope, id)
        account, provider = props.account_id, props.provider
        root = f"arn:aws:iam::{account}:root"
        services = sorted({p.service for p in props.publishers})
        self.key = KmsKey(
            self,
            "key",
            provider=provider,
            enable_key_rotation=True,
            deletion_window_in_days=30,
            description=props.key_description,
            policy=policy_json(
                [
                    {
                        "Sid": "KeyAdministration",
                        "Effect": "Allow",
                        "Principal": {"AWS": root},
                        "Action": "kms:*",
                        "Resource": "*",
                    },
                    # The publishing services encrypt messages to the topic with the key.
                    {
                        "Sid": props.key_publish_sid,
                        "Effect": "Allow",
                        "Principal": {"Service": services[0] if len(services) == 1 else services},
                        "Action": ["kms:GenerateDataKey*", "kms:Decrypt"],
                        "Resource": "*",
                        "Condition": {"StringEquals": {"aws:SourceAccount": account}},
                    },
                ]
            ),
        )
        self.key.override_logical_id(f"{props.logical_prefix}_key")
        KmsAlias(self, "key_alias", provider=provider, name=props.key_alias, target_key_id=self.key.key_id).override_logical_id(
            f"{props.logical_prefix}_key_alias"
        )
        self.topic = SnsTopic(self, "topic", provider=provider, name=props.topic_name, kms_master_key_id=self.key.arn)
        self.topic.override_logical_id(props.topic_logical_id)
        statements = [
            {
                "Sid": p.sid,
                "Effect": "Allow",
                "Principal": {"Service": p.service},
                "Action": "sns:Publish",
                "Resource": self.topic.arn,
                "Condition": {"ArnLike": {"aws:SourceArn": p.source_arn}},
            }
            for p in props.publishers
        ]
        statements.append(
            {
                "Sid": "AccountManagesTopic",
                "Effect": "Allow",
                "Principal": {"AWS": root},
                "Action": list(TOPIC_MANAGEMENT_ACTIONS),
                "Resource": self.topic.arn,
            }
        )
        SnsTopicPolicy(
            self, "topic_policy", provider=provider, arn=self.topic.arn, policy=policy_json(statements)
        ).override_logical_id(f"{props.topic_logical_id}_policy")
        for email in props.emails:
            SnsTopicSubscription(
                self, f"email_{email}", provider=provider, topic_arn=self.topic.arn, protocol="email", endpoint=email
            ).override_logical_id(logical_id(f"{props.logical_prefix}_email", email))

    @property
    def topic_arn(self) -> str:
        return self.topic.arn
