"""Guardrail changes: SCP statements and Config rules added, removed or
changed per target, with control ids.

SCPs compare per target, before and after, over every attached policy: the
controls each policy packs (its description lists them) and its statements
by Sid. So a statement that packing moves from one policy to another on the
same target is no change, and a policy created with its attachment counts
once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from .attribution import Attributor, scp_statements
from .changes import Classified, Worlds
from .facts import ReviewFacts
from .masking import UNKNOWN

ATTACHMENT = "aws_organizations_policy_attachment"
CONFIG_RULE_TYPES = (
    "aws_config_organization_managed_rule",
    "aws_config_organization_custom_rule",
    "aws_config_organization_custom_policy_rule",
    "aws_config_config_rule",
)
_REGION = re.compile(r"(?:^|[-_:.])([a-z]{2}(?:-gov)?-[a-z]+-\d)(?:$|[:/])")
UNKNOWN_TARGET = "(unknown target)"


@dataclass
class GuardrailChange:
    target: str
    control_id: str
    change: str  # added | removed | changed
    behaviour: str  # SCP | Config rule
    tier: str
    title: str = ""
    mandatory: bool = False
    statements: list[str] = field(default_factory=list)  # Sids (SCP) or regions (Config rule)
    via: list[str] = field(default_factory=list)  # policy names or resource addresses
    stack: str = ""
    detail: str = ""

    def to_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in ("", [], None)}


_DESCRIBED = re.compile(r"\(\d+/\d+\): (?P<ids>.+)$")


def _described(policy) -> Optional[list[str]]:
    """The controls an SCP's description lists (guardrails.plan.describe); None when it had to be cut short."""
    match = _DESCRIBED.search(str(policy.value("description") or ""))
    if not match or re.search(r" and \d+ more$", match.group("ids")):
        return None
    return [i.strip() for i in match.group("ids").split(", ") if i.strip()]


@dataclass
class _Target:
    statements: dict[str, tuple[dict, str]] = field(default_factory=dict)  # Sid -> (statement, policy name)
    described: dict[str, str] = field(default_factory=dict)  # control id -> policy name
    complete: bool = True  # every description listed all its controls


def _effective(attributor: Attributor) -> dict[str, _Target]:
    """Target label -> its statements and the controls its policies describe, for one world of one stack."""
    out: dict[str, _Target] = {}
    for view in attributor.views.values():
        if view.type != ATTACHMENT or view.mode != "managed":
            continue
        target = out.setdefault(attributor.core(view.address).target or UNKNOWN_TARGET, _Target())
        for policy, _ in attributor.resolve(view, "policy_id"):
            content = policy.value("content")
            if content == UNKNOWN:
                target.complete = False
                continue
            name = str(policy.value("name") or policy.address)
            for sid, statement in scp_statements(content).items():
                target.statements[sid] = (statement, name)
            listed = _described(policy)
            if listed is None:
                target.complete = False
            for control_id in listed or ():
                target.described.setdefault(control_id, name)
    return out


def _members(target: _Target, facts: ReviewFacts, reference: _Target, use_descriptions: bool) -> dict[str, str]:
    """Control id -> policy name of the controls on a target.

    The descriptions when both sides list every control; else the statements:
    the manifest names every control merged into a statement of the planned
    policies, which also holds for an unchanged statement before the change;
    other statements give the control their Sid comes from.
    """
    if use_descriptions:
        return dict(target.described)
    out: dict[str, str] = {}
    for sid, (body, policy) in target.statements.items():
        same = reference.statements.get(sid)
        ids = facts.controls_of_sid(sid, same[1]) if same and same[0] == body else facts.controls_of_sid(sid)
        for control_id in ids:
            out.setdefault(control_id, policy)
    return out


def _target_order(target: str) -> tuple:
    kind = target.split(" ", 1)[0]
    return ({"root": 0, "OU": 1, "account": 2}.get(kind, 3), target)


def scp_changes(worlds: Worlds, facts: ReviewFacts) -> list[GuardrailChange]:
    """Controls added to or removed from each target, and statements changed in place.

    Statements that merge several controls change when one of them comes or
    goes; on such a target the changed statements are named on the added or
    removed rows instead of as changes of the controls that stayed.
    """
    before, after = _effective(worlds.before), _effective(worlds.after)
    rows: list[GuardrailChange] = []

    def row(target: str, control_id: str, change: str, sids: list[str], via: str, detail: str = "") -> GuardrailChange:
        info = facts.control(control_id)
        return GuardrailChange(
            target,
            control_id,
            change,
            "SCP",
            info.tier_label,
            info.title,
            info.tier == "mandatory",
            sids,
            [via],
            worlds.plan.stack,
            detail,
        )

    for target in sorted(set(before) | set(after), key=_target_order):
        old, new = before.get(target, _Target()), after.get(target, _Target())
        by_description = old.complete and new.complete
        was, now = _members(old, facts, new, by_description), _members(new, facts, new, by_description)
        changed = sorted(
            sid for sid in set(old.statements) & set(new.statements) if old.statements[sid][0] != new.statements[sid][0]
        )
        gone = sorted(set(old.statements) - set(new.statements))
        came = sorted(set(new.statements) - set(old.statements))
        added = [c for c in now if c not in was]
        removed = [c for c in was if c not in now]
        merged = f"merged statement(s) {', '.join(changed)} changed with it" if changed else ""
        for control_id in added:
            sids = [s for s in came if control_id in facts.controls_of_sid(s, new.statements[s][1])]
            rows.append(row(target, control_id, "added", sids, now[control_id], merged))
        for control_id in removed:
            sids = [s for s in gone if control_id in facts.controls_of_sid(s)]
            rows.append(row(target, control_id, "removed", sids, was[control_id], merged))
        if added or removed:
            continue
        # the same controls: statements changed in place (a parameter, a custom statement, ...)
        per_control: dict[str, list[str]] = {}
        for sid in changed + gone + came:
            policy = (new.statements.get(sid) or old.statements[sid])[1]
            for control_id in facts.controls_of_sid(sid, policy) or [f"(statement {sid})"]:
                per_control.setdefault(control_id, []).append(sid)
        for control_id, sids in per_control.items():
            rows.append(row(target, control_id, "changed", sids, now.get(control_id) or was.get(control_id) or ""))
    return rows


def _region(*texts: Optional[str]) -> str:
    for text in texts:
        match = _REGION.search(text or "")
        if match:
            return match.group(1)
    return ""


def config_rule_changes(items: list[Classified], facts: ReviewFacts, worlds: dict[str, Worlds]) -> list[GuardrailChange]:
    """One row per control and kind of change; regions listed."""
    rows: dict[tuple[str, str, str], GuardrailChange] = {}
    verbs = {
        "create": "added",
        "import": "added",
        "delete": "removed",
        "forget": "removed",
        "update": "changed",
        "replace": "changed",
    }
    for item in items:
        change = item.change
        if change.type not in CONFIG_RULE_TYPES or change.action not in verbs:
            continue
        values = change.values if isinstance(change.values, dict) else {}
        control_id = (item.attribution.guardrails or (str(values.get("name") or change.address),))[0]
        info = facts.control(control_id)
        scope = "organization" if change.type.startswith("aws_config_organization") else f"account {item.account}"
        verb = verbs[change.action]
        row = rows.setdefault(
            (scope, control_id, verb),
            GuardrailChange(
                scope, control_id, verb, "Config rule", info.tier_label, info.title, info.tier == "mandatory", stack=change.stack
            ),
        )
        region = _region(values.get("arn"), change.address)
        if region and region not in row.statements:
            row.statements.append(region)
        row.via.append(change.address)
        if verb == "changed" and not row.detail:
            row.detail = _rule_detail(change, worlds[change.stack])
    return list(rows.values())


def _published_ids(attributor: Attributor) -> dict[str, str]:
    """Account id -> name, from the management stack's outputs that this stack reads
    (`terraform_remote_state`: `account_ids` and `management_account_id`)."""
    out: dict[str, str] = {}
    for view in attributor.views.values():
        outputs = view.values.get("outputs") if view.type == "terraform_remote_state" else None
        if not isinstance(outputs, dict):
            continue
        ids = outputs.get("account_ids")
        if isinstance(ids, dict):
            out.update({value: name for name, value in ids.items() if isinstance(value, str) and value != UNKNOWN})
        management = outputs.get("management_account_id")
        if isinstance(management, str) and management != UNKNOWN:
            out.setdefault(management, attributor.facts.management_account or "management account")
    return out


def _excluded(attributor: Attributor, address: str) -> set[str]:
    """Names of the accounts a Config rule excludes (through references, ids in the state, or
    ids the management stack publishes to the detective-guardrails stack)."""
    view = attributor.views.get(address)
    if view is None:
        return set()
    published = _published_ids(attributor)
    values = view.values.get("excluded_accounts")
    if published and isinstance(values, list):
        return {published.get(value, "?") if isinstance(value, str) else "?" for value in values}
    names = {
        attributor.core(target.address).account or "?"
        if attr != "master_account_id"
        else attributor.facts.management_account or "management account"
        for target, attr in attributor.resolve(view, "excluded_accounts")
    }
    return {n for n in names if n}


def _rule_detail(change, worlds: Worlds) -> str:
    before, after = change.before or {}, change.after or {}
    parts = []
    old, new = _excluded(worlds.before, change.address), _excluded(worlds.after, change.address)
    if new - old:
        parts.append("now excludes " + ", ".join(sorted(new - old)))
    if old - new:
        parts.append("no longer excludes " + ", ".join(sorted(old - new)))
    for key in ("input_parameters", "resource_types_scope", "maximum_execution_frequency", "rule_identifier"):
        if before.get(key) != after.get(key):
            parts.append(f"{key} changed")
    if not parts and UNKNOWN in (after.get("excluded_accounts"), *(after.get("excluded_accounts") or [])):
        parts.append("the same accounts excluded; an id is known after apply (an account is created or replaced)")
    return "; ".join(parts)


def guardrail_changes(items: list[Classified], worlds: dict[str, Worlds], facts: ReviewFacts) -> list[GuardrailChange]:
    rows: list[GuardrailChange] = []
    for stack_worlds in worlds.values():
        rows.extend(scp_changes(stack_worlds, facts))
    rows.extend(config_rule_changes(items, facts, worlds))
    return rows
