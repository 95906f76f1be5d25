"""Security Hub in the administrator (audit) account, with central configuration.

Central configuration enables Security Hub and the chosen standards in every
account (existing and new) and every linked region through one policy on the
organization's root; it needs cross-region aggregation into the home region.
"""

from __future__ import annotations

from dataclasses import dataclass

from cdktf import TerraformProvider
from cdktf_cdktf_provider_aws.securityhub_account import SecurityhubAccount
from cdktf_cdktf_provider_aws.securityhub_configuration_policy import (
    SecurityhubConfigurationPolicy,
    SecurityhubConfigurationPolicyConfigurationPolicy,
    SecurityhubConfigurationPolicyConfigurationPolicySecurityControlsConfiguration,
)
from cdktf_cdktf_provider_aws.securityhub_configuration_policy_association import SecurityhubConfigurationPolicyAssociation
from cdktf_cdktf_provider_aws.securityhub_finding_aggregator import SecurityhubFindingAggregator
from cdktf_cdktf_provider_aws.securityhub_organization_configuration import (
    SecurityhubOrganizationConfiguration,
    SecurityhubOrganizationConfigurationOrganizationConfiguration,
)
from constructs import Construct

# Config name -> the standard's ARN path (arn:aws:securityhub:<region>::<path>).
STANDARDS = {
    "aws-foundational-security-best-practices": "standards/aws-foundational-security-best-practices/v/1.0.0",
    "cis-aws-foundations-benchmark-v3.0.0": "standards/cis-aws-foundations-benchmark/v/3.0.0",
    "nist-800-53-r5": "standards/nist-800-53/v/5.0.0",
    "pci-dss-v3.2.1": "standards/pci-dss/v/3.2.1",
}


def standard_arn(name: str, region: str) -> str:
    try:
        return f"arn:aws:securityhub:{region}::{STANDARDS[name]}"
    except KeyError:
        raise ValueError(f"unknown Security Hub standard {name!r} (known: {', '.join(STANDARDS)})") from None


@dataclass(frozen=True, kw_only=True)
class SecurityHubOrganizationProps:
    """Security Hub everywhere, configured centrally from the home region."""

    provider: TerraformProvider
    """Administrator-account provider of the home region."""
    home_region: str
    """Aggregation (home) region."""
    linked_regions: tuple[str, ...]
    """Other governed regions whose findings are aggregated (may be empty)."""
    root_id: str
    """Organization root the configuration policy is associated with."""
    policy_name: str
    """Name of the configuration policy."""
    standards: tuple[str, ...] = ("aws-foundational-security-best-practices", "cis-aws-foundations-benchmark-v3.0.0")
    """Standards enabled in every account (default FSBP and CIS v3.0.0)."""


class SecurityHubOrganization(Construct):
    """`aws_securityhub_account` (the administrator's own hub), a finding
    aggregator, CENTRAL organization configuration, one configuration policy
    and its association with the root. Every resource depends on the hub
    (checkov CKV_LZ_8).

    Attributes: `hub`, `aggregator`, `organization_configuration`, `policy`.
    """

    def __init__(self, scope: Construct, id: str, props: SecurityHubOrganizationProps) -> None:
        super().__init__(scope, id)
        self.props = props
        provider = props.provider
        self.hub = SecurityhubAccount(
            self,
            "hub",
            provider=provider,
            enable_default_standards=False,
            control_finding_generator="SECURITY_CONTROL",
            auto_enable_controls=True,
        )
        self.hub.override_logical_id("securityhub_account")
        linked = [r for r in props.linked_regions if r != props.home_region]
        self.aggregator = SecurityhubFindingAggregator(
            self,
            "aggregator",
            provider=provider,
            linking_mode="SPECIFIED_REGIONS" if linked else "NO_REGIONS",
            specified_regions=sorted(linked) or None,
            depends_on=[self.hub],
        )
        self.aggregator.override_logical_id("securityhub_finding_aggregator")
        self.organization_configuration = SecurityhubOrganizationConfiguration(
            self,
            "organization",
            provider=provider,
            # CENTRAL: configuration policies decide, so the LOCAL auto-enable switches are off.
            auto_enable=False,
            auto_enable_standards="NONE",
            organization_configuration=SecurityhubOrganizationConfigurationOrganizationConfiguration(
                configuration_type="CENTRAL"
            ),
            depends_on=[self.hub, self.aggregator],
        )
        self.organization_configuration.override_logical_id("securityhub_organization_configuration")
        self.policy = SecurityhubConfigurationPolicy(
            self,
            "policy",
            provider=provider,
            name=props.policy_name,
            description="Security Hub on in every account and governed region, with the landing zone's standards",
            configuration_policy=SecurityhubConfigurationPolicyConfigurationPolicy(
                service_enabled=True,
                enabled_standard_arns=sorted(standard_arn(s, props.home_region) for s in props.standards),
                security_controls_configuration=SecurityhubConfigurationPolicyConfigurationPolicySecurityControlsConfiguration(
                    disabled_control_identifiers=[]
                ),
            ),
            depends_on=[self.hub, self.organization_configuration],
        )
        self.policy.override_logical_id("securityhub_configuration_policy")
        association = SecurityhubConfigurationPolicyAssociation(
            self,
            "root_association",
            provider=provider,
            policy_id=self.policy.id,
            target_id=props.root_id,
            depends_on=[self.hub],
        )
        association.override_logical_id("securityhub_policy_root_association")
