"""cdktf constructs of the landing zone: `from landing_zone.constructs import Organization, ...`.

Names load on first use: importing cdktf and the AWS provider binding costs
10-20 s, so `landing_zone.constructs.ids` and friends stay cheap to import.
"""

from __future__ import annotations

import importlib

# Construct -> module, for constructs whose props class is `<Construct>Props`.
_WITH_PROPS = {
    "Account": "account",
    "DelegatedAdministrators": "delegated_administrators",
    "Organization": "organization",
    "OrganizationalUnits": "organizational_units",
    "AccountBaseline": "baseline",
    "IdentityCenter": "identity_center",
    "AccountExtras": "account_extras",
    "ServiceControlPolicies": "guardrails",
    "OrganizationConfigRules": "guardrails",
    "LogArchive": "logging.log_archive",
    "OrganizationTrail": "logging.organization_trail",
    "ConfigRecording": "logging.config_recording",
    "ConfigAggregator": "logging.config_aggregator",
    "SecureBucket": "logging.secure_bucket",
    "GuardDutyOrganization": "security.guardduty",
    "SecurityHubOrganization": "security.security_hub",
    "OrganizationAccessAnalyzer": "security.access_analyzer",
    "SecurityNotifications": "security.notifications",
    "TransitGatewayHub": "network.transit_gateway",
    "SegmentWiring": "network.segment_wiring",
    "EgressVpc": "network.egress",
    "VpcPeering": "network.peering",
    "DirectConnectGateway": "network.direct_connect",
    "Ipam": "network.ipam",
    "OrganizationShare": "network.org_share",
}

_EXPORTS = {
    **{name: module for construct, module in _WITH_PROPS.items() for name in (construct, f"{construct}Props")},
    "AwsProviderProps": "aws_provider",
    "aws_provider": "aws_provider",
    "AUDIT_DELEGATED_SERVICES": "delegated_administrators",
    "DEFAULT_SERVICE_ACCESS_PRINCIPALS": "organization",
    "OuSpec": "organizational_units",
    "logical_id": "ids",
    "ConfigDelivery": "baseline",
    "PasswordPolicy": "baseline",
    "GroupSpec": "identity_center",
    "PermissionSetSpec": "identity_center",
    "PolicyRef": "identity_center",
    "AssignmentSpec": "identity_center",
    "LandingZoneVpc": "network.vpc",
    "VpcProps": "network.vpc",
    "SubnetSpec": "network.vpc",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
