"""GuardDuty in the administrator (audit) account: detector and organization configuration per region."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from cdktf import TerraformProvider
from cdktf_cdktf_provider_aws.guardduty_detector import GuarddutyDetector
from cdktf_cdktf_provider_aws.guardduty_detector_feature import GuarddutyDetectorFeature
from cdktf_cdktf_provider_aws.guardduty_organization_configuration import GuarddutyOrganizationConfiguration
from cdktf_cdktf_provider_aws.guardduty_organization_configuration_feature import GuarddutyOrganizationConfigurationFeature
from constructs import Construct

from ..ids import logical_id

DEFAULT_FEATURES = ("S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "LAMBDA_NETWORK_LOGS")


@dataclass(frozen=True, kw_only=True)
class GuardDutyOrganizationProps:
    """GuardDuty for every account; the administrator designation is made by the management account first."""

    providers: Mapping[str, TerraformProvider]
    """Administrator-account provider per governed region (region -> provider)."""
    features: tuple[str, ...] = DEFAULT_FEATURES
    """Protection plans on for the administrator and auto-enabled for every member (default: all but runtime monitoring)."""
    finding_publishing_frequency: str = "FIFTEEN_MINUTES"
    """How often updated findings are published (default FIFTEEN_MINUTES)."""
    organization_configuration: bool = True
    """Auto-enable GuardDuty and the features for every member (default true; false: the detector and its features only)."""


class GuardDutyOrganization(Construct):
    """Per region: `aws_guardduty_detector`, `aws_guardduty_organization_configuration`
    with `auto_enable_organization_members = "ALL"` (existing and new members),
    and each feature on the detector and auto-enabled for ALL members.

    Attributes: `detectors` (by region).
    """

    def __init__(self, scope: Construct, id: str, props: GuardDutyOrganizationProps) -> None:
        super().__init__(scope, id)
        self.props = props
        self.detectors: dict[str, GuarddutyDetector] = {}
        for region, provider in props.providers.items():
            detector = GuarddutyDetector(
                self,
                f"detector_{region}",
                provider=provider,
                enable=True,
                finding_publishing_frequency=props.finding_publishing_frequency,
            )
            detector.override_logical_id(logical_id("guardduty_detector", region))
            self.detectors[region] = detector
            org = None
            if props.organization_configuration:
                org = GuarddutyOrganizationConfiguration(
                    self,
                    f"organization_{region}",
                    provider=provider,
                    detector_id=detector.id,
                    auto_enable_organization_members="ALL",
                )
                org.override_logical_id(logical_id("guardduty_organization", region))
            for feature in props.features:
                key = f"{region}-{feature.lower()}"
                GuarddutyDetectorFeature(
                    self, f"feature_{key}", provider=provider, detector_id=detector.id, name=feature, status="ENABLED"
                ).override_logical_id(logical_id("guardduty_feature", key))
                if org is None:
                    continue
                GuarddutyOrganizationConfigurationFeature(
                    self,
                    f"organization_feature_{key}",
                    provider=provider,
                    detector_id=detector.id,
                    name=feature,
                    auto_enable="ALL",
                    depends_on=[org],
                ).override_logical_id(logical_id("guardduty_organization_feature", key))
