"""Event routing of incident response as data: the central bus's policy and the patterns of its rules.
Pure Python (the audit stack synthesizes them; tests match events against them).

- Every account forwards AWS Config's "Config Rules Compliance Change" events to the
  audit account's central bus (`ResponseNames.event_bus`).
- GuardDuty and Security Hub findings reach the audit account as their administrator
  (its default bus), as before.
- On the central bus, violations of the landing zone's rules go to the security topic;
  each responder has a rule that matches its controls (by Config rule name) or its
  findings (by type and severity).
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

from ..config.models import Responder
from ..naming import LandingZoneNames
from .model import CONFIG_COMPLIANCE_DETAIL_TYPE

GUARDDUTY_MIN_SEVERITY = {"LOW": 1, "MEDIUM": 4, "HIGH": 7, "CRITICAL": 9}
SEVERITY_LABELS = ("LOW", "MEDIUM", "HIGH", "CRITICAL")
CUSTOM_ACTION_DETAIL_TYPE = "Security Hub Findings - Custom Action"
ORG_RULE_PREFIX = "OrgConfigRule-"  # what an organization rule is called in a member account


def compact(pattern: dict) -> str:
    return json.dumps(pattern, separators=(",", ":"))


def bus_policy_statements(bus_arn: str, organization_id: str) -> list[dict]:
    """Any principal of this organization may put events on the central bus; nobody else."""
    return [
        {
            "Sid": "OrganizationPutsEvents",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "events:PutEvents",
            "Resource": bus_arn,
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": organization_id}},
        }
    ]


def config_compliance_pattern() -> dict:
    """What every account forwards: Config compliance changes (all of them; the central rules filter)."""
    return {"source": ["aws.config"], "detail-type": [CONFIG_COMPLIANCE_DETAIL_TYPE]}


def rule_name_matchers(rule_names: Iterable[str]) -> list[Any]:
    """A Config rule by name, as an account rule (exact) or as an organization rule in a member account."""
    out: list[Any] = []
    for name in sorted(set(rule_names)):
        out += [name, {"prefix": f"{ORG_RULE_PREFIX}{name}-"}]
    return out


def violations_pattern(names: LandingZoneNames) -> dict:
    """Any of the landing zone's Config rules turning NON_COMPLIANT (to the security topic)."""
    return {
        "source": ["aws.config"],
        "detail-type": [CONFIG_COMPLIANCE_DETAIL_TYPE],
        "detail": {
            "configRuleName": [{"prefix": names.prefix}, {"prefix": f"{ORG_RULE_PREFIX}{names.prefix}"}],
            "newEvaluationResult": {"complianceType": ["NON_COMPLIANT"]},
        },
    }


def responder_pattern(
    responder: Responder,
    rule_names: dict[str, str],
    excluded_account_ids: list[str],
    action_target_arn: str | None = None,
) -> dict:
    """The events a responder acts on. `rule_names`: control id -> its Config rule's name."""
    match = responder.match
    pattern: dict[str, Any]
    if responder.source == "config":
        detail: dict[str, Any] = {"newEvaluationResult": {"complianceType": ["NON_COMPLIANT"]}}
        if match.control_ids:
            detail["configRuleName"] = rule_name_matchers(rule_names[c] for c in match.control_ids)
        pattern = {"source": ["aws.config"], "detail-type": [CONFIG_COMPLIANCE_DETAIL_TYPE], "detail": detail}
        account_key: tuple[str, ...] = ("account",)
    elif responder.source == "guardduty":
        detail = {}
        if match.finding_types:
            detail["type"] = sorted(match.finding_types)
        if match.severity:
            detail["severity"] = [{"numeric": [">=", GUARDDUTY_MIN_SEVERITY[match.severity]]}]
        pattern = {"source": ["aws.guardduty"], "detail-type": ["GuardDuty Finding"]}
        if detail:
            pattern["detail"] = detail
        account_key = ("account",)
    else:
        findings: dict[str, Any] = {}
        if match.finding_types:
            findings["Types"] = [{"prefix": t} for t in sorted(match.finding_types)]
        if match.severity:
            findings["Severity"] = {"Label": list(SEVERITY_LABELS[SEVERITY_LABELS.index(match.severity) :])}
        if action_target_arn is not None:
            pattern = {
                "source": ["aws.securityhub"],
                "detail-type": [CUSTOM_ACTION_DETAIL_TYPE],
                "resources": [action_target_arn],
            }
        else:
            pattern = {"source": ["aws.securityhub"], "detail-type": ["Security Hub Findings - Imported"]}
        if responder.exclude.tags:
            findings["Resources"] = {"Tags": tags_exclusion(responder.exclude.tags)}
        if findings:
            pattern["detail"] = {"findings": findings}
        account_key = ("detail", "findings", "AwsAccountId")
    if excluded_account_ids:
        node = pattern
        for key in account_key[:-1]:
            node = node.setdefault(key, {})
        node[account_key[-1]] = [{"anything-but": sorted(excluded_account_ids)}]
    return pattern


MAX_EXCLUDED_TAGS = 3


def tags_exclusion(tags: Mapping[str, str]) -> dict:
    """A pattern on a finding resource's `Tags` map that holds unless it carries one of `tags`.

    "Not tagged k=v" is "k absent, or k anything but v"; several tags must all hold, so the `$or`
    lists every combination of the two forms (2^n branches: at most MAX_EXCLUDED_TAGS tags).
    EventBridge needs a field to exist for `anything-but`, hence the `exists: false` branch.
    """
    branches: list[dict[str, Any]] = [{}]
    for key, value in sorted(tags.items()):
        branches = [
            {**branch, key: alternative}
            for branch in branches
            for alternative in ([{"exists": False}], [{"anything-but": [value]}])
        ]
    return {"$or": branches}


def custom_action_id(responder: Responder) -> str:
    """The Security Hub action target's identifier (up to 20 letters and digits)."""
    return "".join(ch for ch in responder.name.title() if ch.isalnum())[:20]


def custom_action_name(responder: Responder) -> str:
    """The action's name in the Security Hub console (up to 20 characters)."""
    return responder.name.replace("-", " ").capitalize()[:20]
