"""The dashboard's data: one JSON-ready dict built from an environment's `Facts`.

Every view of the page reads this dict (the browser gets it as `data.js`), so
it is kept compact enough for 1,000 accounts: the controls × accounts matrix
is one list of target indexes per account, grants are index pairs into the
group and permission set tables. No cdktf, no AWS calls: a live organization
(`live/organization.py`) can be passed in to add account ids and status.
"""

from __future__ import annotations

from typing import Any, Optional

from ..config.vending import quarantined_names, request_for
from ..derived.network_report import vpc_space
from ..facts import Facts
from ..guardrails.catalog import TIER_LABEL
from ..guardrails.enabled import EnabledControl
from ..guardrails.matrix import applied_to, budget_row
from ..guardrails.targets import Target
from ..live.organization import OrganizationView
from ..respond.model import CONTROL_RUNBOOKS
from ..respond.runbooks import load_runbooks
from .compliance import ComplianceView

KINDS = ("management", "core", "vended", "adopted", "member")
"""How an account came to be: the management account, the core OU's two, vended by the factory, adopted by id, or created."""
FLAGS = ("quarantined", "suspended")


def tier_of(control: EnabledControl) -> str:
    return "custom" if control.control.custom else TIER_LABEL[control.control.tier]


def _runbook(control_id: str, env_file: str) -> Optional[dict]:
    fix = CONTROL_RUNBOOKS.get(control_id)
    if fix is None:
        return None
    book = load_runbooks()[fix.runbook]
    params = " ".join(f"--param {k}={v}" for k, v in fix.parameters(f"<{fix.resource_parameter}>").items())
    return {
        "name": book.name,
        "description": " ".join(str(book.document.get("description", "")).split()),  # whole, not its first line
        "parameters": {p.name: p.description for p in book.user_parameters().values()},
        "steps": [s["name"] for s in book.steps],
        "permissions": list(book.permissions),
        "command": f"lz respond {env_file} --account <ACCOUNT> --runbook {book.name} {params}",
    }


def _control(c: EnabledControl, env_file: str) -> dict[str, Any]:
    rule = c.config_rule
    return {
        "id": c.id,
        "title": c.control.title,
        "tier": tier_of(c),
        "behaviour": c.control.behaviour,
        "targets": [t.label for t in c.targets],
        "accounts": len(c.covered) + (1 if c.includes_management and not c.control.preventive else 0),
        "statements": list(c.statements),
        "config_rule": None
        if rule is None
        else {
            "name": rule.name,
            "source_identifier": rule.source_identifier,
            "input_parameters": dict(rule.input_parameters),
            "resource_types": list(rule.resource_types),
            "maximum_execution_frequency": rule.maximum_execution_frequency,
            "regions": list(rule.regions),
        },
        "parameters": {k: v for k, v in c.parameters.items()},
        "references": {k: v for k, v in c.control.references.items()},
        "deviations": [d.describe() for d in c.control.deviations],
        "runbook": _runbook(c.id, env_file),
    }


def _kind(facts: Facts, name: str) -> str:
    env = facts.env
    if name == env.organization.management_account.name:
        return "management"
    if name in (env.core.log_archive_account, env.core.audit_account):
        return "core"
    if request_for(env, name) is not None:
        return "vended"
    account = facts.tree.accounts_by_name.get(name)
    return "adopted" if account is not None and account.id else "member"


def _suspended_ou(facts: Facts) -> str:
    return facts.env.account_factory.suspended_ou if facts.env.account_factory else "Suspended"


def build_model(
    facts: Facts,
    env_file: str,
    name: str,
    live: Optional[OrganizationView] = None,
    compliance: Optional[ComplianceView] = None,
) -> dict[str, Any]:
    """Everything the page shows, as plain data (lists and dicts of strings and numbers)."""
    env = facts.env
    plan = facts.guardrail_plan
    management = env.organization.management_account.name
    names = [a.name for a in env.accounts] + [management]
    controls = plan.controls
    control_index = {id(c): i for i, c in enumerate(controls)}

    targets: list[Target] = []
    target_index: dict[Target, int] = {}

    def target_no(t: Target) -> int:
        if t not in target_index:
            target_index[t] = len(targets)
            targets.append(t)
        return target_index[t]

    for c in controls:
        for t in c.targets:
            target_no(t)

    stacks: dict[str, list[str]] = {}
    for stack in facts.stack_layout:
        stacks.setdefault(stack.account, []).append(stack.name)

    identity = facts.identity_plan
    groups = [g.name for g in identity.groups]
    sets = [p.name for p in identity.permission_sets]
    assignments = [a.name for a in identity.assignments]
    group_no = {g: i for i, g in enumerate(groups)}
    set_no = {p: i for i, p in enumerate(sets)}
    assignment_no = {a: i for i, a in enumerate(assignments)}

    live_accounts: dict[str, dict] = {}
    if live is not None:
        for node in [live.root, *live.ous_by_path().values()]:
            for a in node.accounts:
                live_accounts[a["Name"]] = a

    quarantined = set(quarantined_names(env))
    suspended_ou = _suspended_ou(facts)
    accounts = []
    for account_name in names:
        account = facts.tree.accounts_by_name.get(account_name)
        ou = account.ou if account is not None else ""
        flags = []
        if account_name in quarantined:
            flags.append("quarantined")
        seen = live_accounts.get(account_name, {})
        if ou == suspended_ou or ou.startswith(suspended_ou + "/") or seen.get("Status", "ACTIVE") != "ACTIVE":
            flags.append("suspended")
        matrix = [-1] * len(controls)
        for hit in applied_to(plan, account_name):
            matrix[control_index[id(hit.control)]] = target_no(hit.via)
        account_id = seen.get("Id") or (account.id if account is not None else env.organization.management_account.id)
        accounts.append(
            {
                "name": account_name,
                "ou": ou,
                "kind": _kind(facts, account_name),
                "flags": flags,
                "id": account_id or "",
                "email": account.email if account is not None else "",
                "stacks": stacks.get(account_name, []),
                "m": matrix,
                "g": [
                    [group_no[g.group], set_no[g.permission_set], [assignment_no[v] for v in g.via]]
                    for g in identity.grants_for(account=account_name)
                ],
            }
        )

    ous = [{"path": "", "name": "Root", "depth": 0, "accounts": [management]}]
    for depth, node in facts.tree.walk():
        ous.append({"path": node.path, "name": node.name, "depth": depth + 1, "accounts": [a.name for a in node.accounts]})

    network = facts.network_plan
    return {
        "environment": name,
        "file": env_file,
        "organization": env.organization.name,
        "home_region": env.organization.home_region,
        "governed_regions": list(env.organization.governed_regions),
        "management": management,
        "live": live is not None,
        "kinds": list(KINDS),
        "tiers": sorted({tier_of(c) for c in controls}, key=["mandatory", "strongly recommended", "elective", "custom"].index),
        "behaviours": ["preventive", "detective"],
        "ous": ous,
        "accounts": accounts,
        "controls": [_control(c, env_file) for c in controls],
        "targets": [{"kind": t.kind, "name": t.name, "label": t.label} for t in targets],
        "budgets": [budget_row(b) for b in plan.budgets.values()],
        "identity": {
            "enabled": identity.enabled,
            "source": identity.source,
            "groups": [{"name": g.name, "description": g.description} for g in identity.groups],
            "permission_sets": [
                {"name": p.name, "description": p.description, "session_duration": p.session_duration}
                for p in identity.permission_sets
            ],
            "assignments": assignments,
            "users": [
                {"user_name": u.user_name, "display_name": u.display_name, "groups": list(u.groups)} for u in identity.users
            ],
        },
        "network": {
            "account": network.account,
            "vpcs": [
                {
                    "name": v.name,
                    "account": v.account,
                    "region": v.region,
                    "cidr": vpc_space(network, v.name),
                    "attached": [f"{a.transit_gateway}/{a.segment}" for a in v.attachments],
                    "stack": v.stack,
                }
                for v in network.vpcs.values()
            ],
        },
        "compliance": compliance.as_dict() if compliance is not None else None,
    }
