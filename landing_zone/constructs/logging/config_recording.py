"""AWS Config in one account: recorder, delivery channel and recorder status per region."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from cdktf import TerraformProvider
from cdktf_cdktf_provider_aws.config_configuration_recorder import (
    ConfigConfigurationRecorder,
    ConfigConfigurationRecorderRecordingGroup,
)
from cdktf_cdktf_provider_aws.config_configuration_recorder_status import ConfigConfigurationRecorderStatus
from cdktf_cdktf_provider_aws.config_delivery_channel import (
    ConfigDeliveryChannel,
    ConfigDeliveryChannelSnapshotDeliveryProperties,
)
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from cdktf_cdktf_provider_aws.iam_service_linked_role import IamServiceLinkedRole
from constructs import Construct

from ..ids import logical_id
from .policies import policy_json, trust_policy

CONFIG_ROLE_POLICY = "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"


@dataclass(frozen=True, kw_only=True)
class ConfigRecordingProps:
    """Where Config records and delivers; global resource types are recorded once."""

    account_id: str
    """The account being recorded."""
    providers: Mapping[str, TerraformProvider]
    """One provider per region to record in (region -> provider); the home region's also creates the role."""
    home_region: str
    """The only region that records global resource types (IAM users, roles, policies): recording them
    everywhere would duplicate every IAM configuration item (CIS 3.3 asks for one region to)."""
    bucket_name: str
    """Central log bucket the configuration history and snapshots go to."""
    kms_key_arn: str
    """Log archive key the delivered objects are encrypted with."""
    recorder_name: str
    """Recorder name (naming.LandingZoneNames.config_recorder)."""
    delivery_channel_name: str
    """Delivery channel name (naming.LandingZoneNames.config_delivery_channel)."""
    role_name: str
    """Name of the recorder's own IAM role when `service_linked_role` is false; the log bucket's policy lets
    this name write."""
    service_linked_role: bool = True
    """Record with AWSServiceRoleForConfig, the role AWS recommends (default true; `aws_iam_service_linked_role`
    creates it, and Config delivers as its service principal, which the log bucket and key policies allow).
    False: a role of the landing zone's own with AWS_ConfigRole and a delivery policy."""
    delivery_frequency: str = "TwentyFour_Hours"
    """Snapshot delivery frequency (default TwentyFour_Hours)."""
    depends_on: tuple = ()
    """Resources that must exist before delivery starts, such as the log bucket's policy (default none)."""


class ConfigRecording(Construct):
    """The recorder's role (Config's service-linked role, or one of our own), then per region a
    recorder (all supported types), a delivery channel to the central bucket and the recorder status (on).

    Attributes: `role_arn`, `service_linked_role` or `role`, `recorders`, `channels`, `statuses` (by region).
    """

    def __init__(self, scope: Construct, id: str, props: ConfigRecordingProps) -> None:
        super().__init__(scope, id)
        self.props = props
        if props.home_region not in props.providers:
            raise ValueError(
                f"the home region {props.home_region!r} must be one of the recorded regions ({', '.join(props.providers)})"
            )
        home = props.providers[props.home_region]
        self.service_linked_role: IamServiceLinkedRole | None = None
        self.role: IamRole | None = None
        before: list = []
        if props.service_linked_role:
            self.service_linked_role = IamServiceLinkedRole(
                self, "service_linked_role", provider=home, aws_service_name="config.amazonaws.com"
            )
            self.service_linked_role.override_logical_id("config_service_linked_role")
            self.role_arn = self.service_linked_role.arn
            recorder_needs: list = [self.service_linked_role]
        else:
            recorder_needs, delivery = self._own_role(home, props)
            before = [delivery]
        self.recorders: dict[str, ConfigConfigurationRecorder] = {}
        self.channels: dict[str, ConfigDeliveryChannel] = {}
        self.statuses: dict[str, ConfigConfigurationRecorderStatus] = {}
        for region, provider in props.providers.items():
            recorder = ConfigConfigurationRecorder(
                self,
                f"recorder_{region}",
                provider=provider,
                name=props.recorder_name,
                role_arn=self.role_arn,
                recording_group=ConfigConfigurationRecorderRecordingGroup(
                    all_supported=True, include_global_resource_types=region == props.home_region
                ),
                depends_on=recorder_needs,
            )
            recorder.override_logical_id(logical_id("config_recorder", region))
            channel = ConfigDeliveryChannel(
                self,
                f"channel_{region}",
                provider=provider,
                name=props.delivery_channel_name,
                s3_bucket_name=props.bucket_name,
                s3_kms_key_arn=props.kms_key_arn,
                snapshot_delivery_properties=ConfigDeliveryChannelSnapshotDeliveryProperties(
                    delivery_frequency=props.delivery_frequency
                ),
                # A channel needs its region's recorder first.
                depends_on=[recorder, *before, *props.depends_on],
            )
            channel.override_logical_id(logical_id("config_delivery_channel", region))
            status = ConfigConfigurationRecorderStatus(
                self,
                f"status_{region}",
                provider=provider,
                name=recorder.name,
                is_enabled=True,
                depends_on=[channel],  # recording starts only once delivery is set up
            )
            status.override_logical_id(logical_id("config_recorder_status", region))
            self.recorders[region], self.channels[region], self.statuses[region] = recorder, channel, status

    def _own_role(self, home: TerraformProvider, props: ConfigRecordingProps) -> tuple[list, IamRolePolicy]:
        """A recorder role of our own: AWS_ConfigRole plus delivery to the log archive."""
        self.role = IamRole(
            self,
            "role",
            provider=home,
            name=props.role_name,
            description="Lets AWS Config record this account and deliver to the log archive",
            assume_role_policy=trust_policy("config.amazonaws.com", props.account_id),
        )
        self.role.override_logical_id("config_recorder_role")
        attachment = IamRolePolicyAttachment(
            self, "managed_policy", provider=home, role=self.role.name, policy_arn=CONFIG_ROLE_POLICY
        )
        attachment.override_logical_id("config_recorder_role_managed_policy")
        bucket_arn = f"arn:aws:s3:::{props.bucket_name}"
        delivery = IamRolePolicy(
            self,
            "delivery_policy",
            provider=home,
            name="deliver-to-log-archive",
            role=self.role.id,
            policy=policy_json(
                [
                    {"Effect": "Allow", "Action": "s3:GetBucketAcl", "Resource": bucket_arn},
                    {
                        "Effect": "Allow",
                        "Action": "s3:PutObject",
                        "Resource": f"{bucket_arn}/AWSLogs/{props.account_id}/Config/*",
                        "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
                    },
                    {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": props.kms_key_arn},
                ]
            ),
        )
        delivery.override_logical_id("config_recorder_role_delivery_policy")
        self.role_arn = self.role.arn
        return [attachment], delivery
