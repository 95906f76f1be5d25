"""cdktf constructs of the landing zone: `from landing_zone.constructs import Organization, ...`.

Names load on first use: importing cdktf and the AWS provider binding costs
10-20 s, so `landing_zone.constructs.ids` and friends stay cheap to import.
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "Account": "account", "AccountProps": "account",
    "AwsProviderProps": "aws_provider", "aws_provider": "aws_provider",
    "AUDIT_DELEGATED_SERVICES": "delegated_administrators",
    "DelegatedAdministrators": "delegated_administrators",
    "DelegatedAdministratorsProps": "delegated_administrators",
    "DEFAULT_SERVICE_ACCESS_PRINCIPALS": "organization",
    "Organization": "organization", "OrganizationProps": "organization",
    "OrganizationalUnits": "organizational_units", "OrganizationalUnitsProps": "organizational_units",
    "OuSpec": "organizational_units",
    "logical_id": "ids",
    "AccountBaseline": "baseline", "AccountBaselineProps": "baseline", "ConfigDelivery": "baseline",
    "PasswordPolicy": "baseline",
    "IdentityCenter": "identity_center", "IdentityCenterProps": "identity_center", "GroupSpec": "identity_center",
    "PermissionSetSpec": "identity_center", "PolicyRef": "identity_center", "AssignmentSpec": "identity_center",
    "AccountExtras": "account_extras", "AccountExtrasProps": "account_extras",
    "ServiceControlPolicies": "guardrails", "ServiceControlPoliciesProps": "guardrails",
    "OrganizationConfigRules": "guardrails", "OrganizationConfigRulesProps": "guardrails",
    "LogArchive": "logging.log_archive", "LogArchiveProps": "logging.log_archive",
    "OrganizationTrail": "logging.organization_trail", "OrganizationTrailProps": "logging.organization_trail",
    "ConfigRecording": "logging.config_recording", "ConfigRecordingProps": "logging.config_recording",
    "ConfigAggregator": "logging.config_aggregator", "ConfigAggregatorProps": "logging.config_aggregator",
    "SecureBucket": "logging.secure_bucket", "SecureBucketProps": "logging.secure_bucket",
    "GuardDutyOrganization": "security.guardduty", "GuardDutyOrganizationProps": "security.guardduty",
    "SecurityHubOrganization": "security.security_hub", "SecurityHubOrganizationProps": "security.security_hub",
    "OrganizationAccessAnalyzer": "security.access_analyzer", "OrganizationAccessAnalyzerProps": "security.access_analyzer",
    "SecurityNotifications": "security.notifications", "SecurityNotificationsProps": "security.notifications",
    "TransitGatewayHub": "network.transit_gateway", "TransitGatewayHubProps": "network.transit_gateway",
    "SegmentWiring": "network.segment_wiring", "SegmentWiringProps": "network.segment_wiring",
    "LandingZoneVpc": "network.vpc", "VpcProps": "network.vpc", "SubnetSpec": "network.vpc",
    "EgressVpc": "network.egress", "EgressVpcProps": "network.egress",
    "VpcPeering": "network.peering", "VpcPeeringProps": "network.peering",
    "DirectConnectGateway": "network.direct_connect", "DirectConnectGatewayProps": "network.direct_connect",
    "Ipam": "network.ipam", "IpamProps": "network.ipam",
    "OrganizationShare": "network.org_share", "OrganizationShareProps": "network.org_share",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
