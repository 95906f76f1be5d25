"""An organization-wide AWS Config aggregator in the delegated administrator (audit) account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from cdktf import TerraformProvider
from cdktf_cdktf_provider_aws.config_configuration_aggregator import (
    ConfigConfigurationAggregator,
    ConfigConfigurationAggregatorOrganizationAggregationSource,
)
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from constructs import Construct

from .policies import trust_policy

AGGREGATOR_ROLE_POLICY = "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations"


@dataclass(frozen=True, kw_only=True)
class ConfigAggregatorProps:
    """An aggregator over every account and region of the organization."""

    account_id: str
    """The account that holds the aggregator (the Config delegated administrator)."""
    aggregator_name: str
    """Aggregator name (naming.LandingZoneNames.config_aggregator)."""
    role_name: str
    """Name of the role Config assumes to read the organization."""
    provider: Optional[TerraformProvider] = None
    """Provider of the home region (default: the stack's default provider)."""


class ConfigAggregator(Construct):
    """Role with AWSConfigRoleForOrganizations and an organization aggregator
    over all regions (checkov CKV_AWS_121). Attributes: `aggregator`, `role`."""

    def __init__(self, scope: Construct, id: str, props: ConfigAggregatorProps) -> None:
        super().__init__(scope, id)
        self.props = props
        self.role = IamRole(
            self,
            "role",
            provider=props.provider,
            name=props.role_name,
            description="Lets the AWS Config aggregator read the organization's accounts",
            assume_role_policy=trust_policy("config.amazonaws.com", props.account_id),
        )
        self.role.override_logical_id("config_aggregator_role")
        attachment = IamRolePolicyAttachment(
            self, "policy", provider=props.provider, role=self.role.name, policy_arn=AGGREGATOR_ROLE_POLICY
        )
        attachment.override_logical_id("config_aggregator_role_policy")
        self.aggregator = ConfigConfigurationAggregator(
            self,
            "aggregator",
            provider=props.provider,
            name=props.aggregator_name,
            organization_aggregation_source=ConfigConfigurationAggregatorOrganizationAggregationSource(
                all_regions=True, role_arn=self.role.arn
            ),
            depends_on=[attachment],
        )
        self.aggregator.override_logical_id("config_aggregator")
