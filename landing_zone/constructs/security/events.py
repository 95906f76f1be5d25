"""EventBridge patterns for security findings. Pure Python, no cdktf."""

from __future__ import annotations

import json

SEVERITY_LABELS = ("LOW", "MEDIUM", "HIGH", "CRITICAL")
# GuardDuty's numeric bands: LOW 1.0-3.9, MEDIUM 4.0-6.9, HIGH 7.0-8.9, CRITICAL 9.0-10.0.
GUARDDUTY_MIN_SEVERITY = {"LOW": 1, "MEDIUM": 4, "HIGH": 7, "CRITICAL": 9}


def _check(threshold: str) -> None:
    if threshold not in SEVERITY_LABELS:
        raise ValueError(f"severity threshold {threshold!r} is not one of {', '.join(SEVERITY_LABELS)}")


def guardduty_pattern(threshold: str) -> str:
    """GuardDuty findings at or above the threshold."""
    _check(threshold)
    return json.dumps(
        {
            "source": ["aws.guardduty"],
            "detail-type": ["GuardDuty Finding"],
            "detail": {"severity": [{"numeric": [">=", GUARDDUTY_MIN_SEVERITY[threshold]]}]},
        },
        separators=(",", ":"),
    )


def security_hub_pattern(threshold: str) -> str:
    """New, active Security Hub findings labelled at or above the threshold."""
    _check(threshold)
    labels = list(SEVERITY_LABELS[SEVERITY_LABELS.index(threshold) :])
    return json.dumps(
        {
            "source": ["aws.securityhub"],
            "detail-type": ["Security Hub Findings - Imported"],
            "detail": {
                "findings": {
                    "Severity": {"Label": labels},
                    "Workflow": {"Status": ["NEW"]},
                    "RecordState": ["ACTIVE"],
                }
            },
        },
        separators=(",", ":"),
    )
