"""Each planned change with what it is about, counted per account and stack,
and the organization-level events a reviewer looks for first (accounts and
OUs created, moved, replaced or removed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Optional

from .attribution import Attribution, Attributor
from .facts import ReviewFacts
from .manifest import Manifest
from .plans import ResourceChange, StackPlan
from .views import index_views

COUNTED = ("create", "update", "replace", "delete", "import", "forget")
ACCOUNT = "aws_organizations_account"
OU = "aws_organizations_organizational_unit"
ORGANIZATION = "aws_organizations_organization"


@dataclass
class Worlds:
    """The before (prior state) and after (planned) attributors of one stack plan."""

    plan: StackPlan
    facts: ReviewFacts

    @cached_property
    def before(self) -> Attributor:
        return Attributor(self.plan.before, self.facts, index=index_views(self.plan.before.values()))

    @cached_property
    def after(self) -> Attributor:
        return Attributor(self.plan.after, self.facts, index=index_views(self.plan.after.values()))

    def world(self, change: ResourceChange) -> Attributor:
        return self.before if change.action in ("delete", "forget") else self.after


@dataclass
class Classified:
    change: ResourceChange
    attribution: Attribution
    construct_path: Optional[str] = None
    before: Optional[Attribution] = None
    """Attribution in the prior state (updates and replacements: where it was)."""

    @property
    def stack(self) -> str:
        return self.change.stack

    @property
    def account(self) -> str:
        return self.attribution.account or f"(stack {self.change.stack})"

    @property
    def ou(self) -> str:
        return self.attribution.ou or ""


def classify(
    plans: list[StackPlan], facts: ReviewFacts, manifest: Optional[Manifest]
) -> tuple[list[Classified], dict[str, Worlds]]:
    worlds = {plan.stack: Worlds(plan, facts) for plan in plans}
    items = []
    for plan in plans:
        w = worlds[plan.stack]
        for change in plan.changed:
            entry = manifest.entry(plan.stack, change.address) if manifest is not None else None
            world = w.world(change)
            attribution = world.attribute(change.address)
            if entry is not None and change.action not in ("delete", "forget"):
                attribution = _prefer(entry.attribution, attribution)
            before = w.before.attribute(change.address) if change.address in plan.before else None
            items.append(Classified(change, attribution, entry.construct_path if entry else None, before))
    return items, worlds


def _prefer(primary: Attribution, fallback: Attribution) -> Attribution:
    """The manifest's attribution, with gaps filled from the plan's."""
    values = {}
    for key in ("permission_set", "group", "segment", "target", "label"):
        values[key] = getattr(primary, key) or getattr(fallback, key)
    # an account and its OU come as a pair from one source, never mixed
    pair = primary if primary.account else fallback
    values.update(account=pair.account, ou=pair.ou)
    return Attribution(
        kind=primary.kind if primary.kind != "other" else fallback.kind,
        guardrails=primary.guardrails or fallback.guardrails,
        **values,
    )


@dataclass
class AccountRow:
    account: str
    ou: str
    stack: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTED, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def account_rows(items: list[Classified], facts: ReviewFacts) -> list[AccountRow]:
    # The OU column is the account's own OU (a change may be about another OU, such as an SCP target).
    placed = {i.attribution.account: i.attribution.ou for i in items if i.change.type == ACCOUNT and i.attribution.ou}
    rows: dict[tuple[str, str], AccountRow] = {}
    for item in items:
        key = (item.account, item.stack)
        ou = facts.ou_of(item.account) or placed.get(item.account) or ""
        row = rows.setdefault(key, AccountRow(item.account, ou, item.stack))
        if item.change.action in row.counts:
            row.counts[item.change.action] += 1
    order = list(facts.accounts)
    return sorted(rows.values(), key=lambda r: (order.index(r.account) if r.account in order else len(order), r.account, r.stack))


@dataclass(frozen=True)
class Event:
    """An account, OU or the organization itself created, moved, renamed, replaced or removed."""

    kind: str  # account | ou | organization
    name: str
    what: str  # created | moved | renamed | replaced | removed | updated | imported
    detail: str
    stack: str
    address: str


def organization_events(items: list[Classified]) -> list[Event]:
    out = []
    for item in items:
        change, kind = item.change, item.change.type
        if kind not in (ACCOUNT, OU, ORGANIZATION):
            continue
        label = {ACCOUNT: "account", OU: "ou", ORGANIZATION: "organization"}[kind]
        values = change.values if isinstance(change.values, dict) else {}
        name = (
            (item.attribution.account if kind == ACCOUNT else item.attribution.ou if kind == OU else "organization")
            or values.get("name")
            or change.address
        )
        what, detail = _describe(item)
        out.append(Event(label, str(name), what, detail, change.stack, change.address))
    return out


def _describe(item: Classified) -> tuple[str, str]:
    change = item.change
    where = item.attribution.ou or "the root"
    before = change.before if isinstance(change.before, dict) else {}
    after = change.after if isinstance(change.after, dict) else {}
    if change.action == "create":
        return "created", f"in {where}" if change.type == ACCOUNT else ""
    if change.action == "import":
        return "imported", f"in {where}" if change.type == ACCOUNT else ""
    if change.action in ("delete", "forget"):
        return ("removed" if change.action == "delete" else "forgotten"), (f"was in {where}" if change.type == ACCOUNT else "")
    if change.action == "replace":
        forced = ", ".join(".".join(str(p) for p in path) for path in change.replace_paths) or "a forced replacement"
        return "replaced", f"{forced} cannot change in place"
    # update
    parts = []
    old_ou = item.before.ou if item.before else None
    if change.type == ACCOUNT and before.get("parent_id") != after.get("parent_id"):
        parts.append(f"moved from {old_ou or 'the root'} to {item.attribution.ou or 'the root'}")
        what = "moved"
    else:
        what = "updated"
    if before.get("name") != after.get("name") and after.get("name") is not None:
        parts.append(f"renamed from {before.get('name')} to {after.get('name')}")
        what = "renamed" if what == "updated" else what
    rest = sorted(
        k for k in set(before) | set(after) if k not in ("parent_id", "name", "tags_all") and before.get(k) != after.get(k)
    )
    if rest:
        parts.append("changed " + ", ".join(rest))
    return what, "; ".join(parts)
