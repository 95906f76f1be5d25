"""cdktf stacks of the landing zone, one per (account role, region).

`layout` (stack names and deploy order) is pure Python; the stack classes
load on first use because they import cdktf.
"""

from __future__ import annotations

import importlib

from ..derived.stack_layout import (
    AUDIT,
    DETECTIVE_GUARDRAILS,
    LOG_ARCHIVE,
    MANAGEMENT,
    MANAGEMENT_BASELINE,
    StackPlan,
    deploy_order,
    destroy_order,
    stack_plans,
)

_LAZY = {
    "AccountStack": "account_stack",
    "AuditStack": "audit",
    "DetectiveGuardrailsStack": "detective_guardrails",
    "LandingZoneStack": "base",
    "LogArchiveStack": "log_archive",
    "ManagementStack": "management",
    "ManagementBaselineStack": "management_baseline",
    "StackSettings": "settings",
}

__all__ = [
    "AUDIT",
    "DETECTIVE_GUARDRAILS",
    "LOG_ARCHIVE",
    "MANAGEMENT",
    "MANAGEMENT_BASELINE",
    "StackPlan",
    "deploy_order",
    "destroy_order",
    "stack_plans",
    *sorted(_LAZY),
]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
