"""EventBridge patterns of the security notifications (pure Python)."""

from __future__ import annotations

import json

import pytest

from landing_zone.constructs.security.events import (
    GUARDDUTY_MIN_SEVERITY,
    SEVERITY_LABELS,
    guardduty_pattern,
    security_hub_pattern,
)


@pytest.mark.parametrize("threshold,minimum", [("LOW", 1), ("MEDIUM", 4), ("HIGH", 7), ("CRITICAL", 9)])
def test_guardduty_findings_at_or_above_the_threshold(threshold, minimum):
    pattern = json.loads(guardduty_pattern(threshold))
    assert pattern == {
        "source": ["aws.guardduty"],
        "detail-type": ["GuardDuty Finding"],
        "detail": {"severity": [{"numeric": [">=", minimum]}]},
    }


@pytest.mark.parametrize("threshold", SEVERITY_LABELS)
def test_security_hub_findings_labelled_at_or_above_the_threshold(threshold):
    findings = json.loads(security_hub_pattern(threshold))["detail"]["findings"]
    labels = findings["Severity"]["Label"]
    assert labels[0] == threshold and labels[-1] == "CRITICAL"
    assert all(SEVERITY_LABELS.index(label) >= SEVERITY_LABELS.index(threshold) for label in labels)
    assert findings["Workflow"] == {"Status": ["NEW"]} and findings["RecordState"] == ["ACTIVE"]


def test_the_bands_rise_with_the_labels_and_unknown_labels_are_refused():
    assert [GUARDDUTY_MIN_SEVERITY[label] for label in SEVERITY_LABELS] == sorted(GUARDDUTY_MIN_SEVERITY.values())
    with pytest.raises(ValueError, match="not one of LOW, MEDIUM, HIGH, CRITICAL"):
        guardduty_pattern("SEVERE")
