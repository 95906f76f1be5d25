"""Guardrail changes: SCP statements and Config rules added, removed or
changed per target, with control ids.

SCPs compare as the effective statements per target, before and after:
every attachment's policy content, by Sid. So statements that packing moves
from one policy to another on the same target are not a change, and a
policy created with its attachment counts once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from .attribution import Attributor, scp_statements
from .changes import Classified, Worlds
from .facts import Facts
from .masking import UNKNOWN

ATTACHMENT = "aws_organizations_policy_attachment"
CONFIG_RULE_TYPES = ("aws_config_organization_managed_rule", "aws_config_organization_custom_rule",
                     "aws_config_organization_custom_policy_rule", "aws_config_config_rule")
_REGION = re.compile(r"(?:^|[-_:.])([a-z]{2}(?:-gov)?-[a-z]+-\d)(?:$|[:/])")
UNKNOWN_TARGET = "(unknown target)"


@dataclass
class GuardrailChange:
    target: str
    control_id: str
    change: str                 # added | removed | changed
    behaviour: str              # SCP | Config rule
    tier: str
    title: str = ""
    mandatory: bool = False
    statements: list[str] = field(default_factory=list)   # Sids (SCP) or regions (Config rule)
    via: list[str] = field(default_factory=list)          # policy names or resource addresses
    stack: str = ""
    detail: str = ""

    def to_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in ("", [], None)}


def _effective(attributor: Attributor, facts: Facts) -> dict[str, dict[str, tuple[dict, str]]]:
    """Target label -> Sid -> (statement, policy name), for one world of one stack."""
    out: dict[str, dict[str, tuple[dict, str]]] = {}
    for view in attributor.views.values():
        if view.type != ATTACHMENT or view.mode != "managed":
            continue
        target = attributor.core(view.address).target or UNKNOWN_TARGET
        for policy, _ in attributor.resolve(view, "policy_id"):
            content = policy.value("content")
            if content == UNKNOWN:
                continue
            for sid, statement in scp_statements(content).items():
                out.setdefault(target, {})[sid] = (statement, str(policy.value("name") or policy.address))
    return out


def _target_order(target: str) -> tuple:
    kind = target.split(" ", 1)[0]
    return ({"root": 0, "OU": 1, "account": 2}.get(kind, 3), target)


def scp_changes(worlds: Worlds, facts: Facts) -> list[GuardrailChange]:
    before, after = _effective(worlds.before, facts), _effective(worlds.after, facts)
    rows: dict[tuple[str, str, str], GuardrailChange] = {}
    for target in sorted(set(before) | set(after), key=_target_order):
        old, new = before.get(target, {}), after.get(target, {})
        for sid in sorted(set(old) | set(new)):
            if sid in old and sid in new:
                if old[sid][0] == new[sid][0]:
                    continue
                change, (_, policy) = "changed", new[sid]
            elif sid in new:
                change, (_, policy) = "added", new[sid]
            else:
                change, (_, policy) = "removed", old[sid]
            for control_id in facts.controls_of_sid(sid, policy) or [f"(statement {sid})"]:
                info = facts.control(control_id)
                row = rows.setdefault((target, control_id, change), GuardrailChange(
                    target, control_id, change, "SCP", info.tier_label, info.title, info.tier == "mandatory",
                    stack=worlds.plan.stack))
                if sid not in row.statements:
                    row.statements.append(sid)
                if policy not in row.via:
                    row.via.append(policy)
    return list(rows.values())


def _region(*texts: Optional[str]) -> str:
    for text in texts:
        match = _REGION.search(text or "")
        if match:
            return match.group(1)
    return ""


def config_rule_changes(items: list[Classified], facts: Facts, id_names: dict[str, str]) -> list[GuardrailChange]:
    """One row per control and kind of change; regions listed."""
    rows: dict[tuple[str, str, str], GuardrailChange] = {}
    verbs = {"create": "added", "import": "added", "delete": "removed", "forget": "removed", "update": "changed", "replace": "changed"}
    for item in items:
        change = item.change
        if change.type not in CONFIG_RULE_TYPES or change.action not in verbs:
            continue
        values = change.values if isinstance(change.values, dict) else {}
        control_id = (item.attribution.guardrails or (str(values.get("name") or change.address),))[0]
        info = facts.control(control_id)
        scope = "organization" if change.type.startswith("aws_config_organization") else f"account {item.account}"
        verb = verbs[change.action]
        row = rows.setdefault((scope, control_id, verb), GuardrailChange(
            scope, control_id, verb, "Config rule", info.tier_label, info.title, info.tier == "mandatory", stack=change.stack))
        region = _region(values.get("arn"), change.address)
        if region and region not in row.statements:
            row.statements.append(region)
        row.via.append(change.address)
        if verb == "changed" and not row.detail:
            row.detail = _rule_detail(change.before or {}, change.after or {}, id_names)
    return list(rows.values())


def _rule_detail(before: dict, after: dict, id_names: dict[str, str]) -> str:
    parts = []
    old, new = set(before.get("excluded_accounts") or ()), set(after.get("excluded_accounts") or ())
    if old != new:
        name = lambda i: id_names.get(i, i)  # noqa: E731
        if new - old:
            parts.append("now excludes " + ", ".join(sorted(name(i) for i in new - old)))
        if old - new:
            parts.append("no longer excludes " + ", ".join(sorted(name(i) for i in old - new)))
    for key in ("input_parameters", "resource_types_scope", "maximum_execution_frequency", "rule_identifier"):
        if before.get(key) != after.get(key):
            parts.append(f"{key} changed")
    return "; ".join(parts)


def guardrail_changes(items: list[Classified], worlds: dict[str, Worlds], facts: Facts) -> list[GuardrailChange]:
    id_names = account_names_by_id(worlds)
    rows: list[GuardrailChange] = []
    for stack_worlds in worlds.values():
        rows.extend(scp_changes(stack_worlds, facts))
    rows.extend(config_rule_changes(items, facts, id_names))
    return rows


def account_names_by_id(worlds: dict[str, Worlds]) -> dict[str, str]:
    """Account id -> account name, from every plan's prior state."""
    out = {}
    for w in worlds.values():
        for view in w.plan.before.values():
            if view.type == "aws_organizations_account" and view.value("id"):
                out[view.value("id")] = str(view.value("name"))
            if view.type == "aws_organizations_organization" and view.value("master_account_id"):
                out.setdefault(view.value("master_account_id"), w.facts.management_account or "management account")
    return out
