"""Security services constructs: GuardDuty, Security Hub, Access Analyzer, notifications, the baseline web ACL.

Names load on first use (importing cdktf is slow); `events` is pure Python.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "SecurityAdministration": "administration",
    "SecurityAdministrationProps": "administration",
    "GuardDutyOrganization": "guardduty",
    "GuardDutyOrganizationProps": "guardduty",
    "SecurityHubOrganization": "security_hub",
    "SecurityHubOrganizationProps": "security_hub",
    "OrganizationAccessAnalyzer": "access_analyzer",
    "OrganizationAccessAnalyzerProps": "access_analyzer",
    "SecurityNotifications": "notifications",
    "SecurityNotificationsProps": "notifications",
    "BaselineWebAcl": "waf",
    "BaselineWebAclProps": "waf",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
