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
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
