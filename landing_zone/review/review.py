"""A plan review: every plan of a pull request read, classified and judged.

review = review_plans(["plans/"], manifest=read_manifest("cdktf.out/lz-manifest.json"), allow=["account-replace"])
review.blocked        # a danger rule fired and was not allowed
review.summary_line() # one line for the CI log
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional

from .access import AccessChange, PermissionSetChange, access_changes, permission_set_changes
from .changes import COUNTED, AccountRow, Classified, Event, account_rows, classify, organization_events
from .danger import Danger, StateLookup, Verdict, find_dangers
from .facts import ReviewFacts
from .guardrails import GuardrailChange, guardrail_changes
from .manifest import Manifest
from .masking import UNKNOWN, DiffRow, diff_rows
from .network import NetworkChange, network_changes
from .plans import StackPlan, load_plans

ACTION_SIGN = {"create": "+", "update": "~", "replace": "-/+", "delete": "-", "import": "<=", "forget": "x"}


@dataclass
class ResourceDetail:
    """One changed resource with its attribute diff (masked)."""

    item: Classified
    rows: list[DiffRow]

    @property
    def heading(self) -> str:
        c = self.item.change
        where = f"{self.item.account}" + (f", {self.item.ou}" if self.item.ou else "")
        return f"{ACTION_SIGN.get(c.action, c.action)} {c.action} {c.address} ({c.stack}; {where})"

    def to_json(self) -> dict:
        c, a = self.item.change, self.item.attribution
        out = {"stack": c.stack, "address": c.address, "type": c.type, "action": c.action, **a.to_json()}
        if self.item.construct_path:
            out["construct_path"] = self.item.construct_path
        if c.action_reason:
            out["action_reason"] = c.action_reason
        out["diff"] = [{k: v for k, v in row.__dict__.items() if v not in ("", False)} for row in self.rows]
        return out


@dataclass
class Review(Verdict):
    plans: list[StackPlan]
    facts: ReviewFacts
    manifest: Optional[Manifest]
    items: list[Classified]
    accounts: list[AccountRow]
    events: list[Event]
    guardrails: list[GuardrailChange]
    access: list[AccessChange]
    permission_sets: list[PermissionSetChange]
    network: list[NetworkChange]
    dangers: list[Danger]
    details: list[ResourceDetail] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        totals = dict.fromkeys(COUNTED, 0)
        for item in self.items:
            if item.change.action in totals:
                totals[item.change.action] += 1
        return totals

    def counts_text(self) -> str:
        t = self.totals
        text = f"{t['create']} to create, {t['update']} to update, {t['replace']} to replace, {t['delete']} to delete"
        extra = [f"{t[k]} to {k}" for k in ("import", "forget") if t[k]]
        return ", ".join([text] + extra)

    def summary_line(self) -> str:
        """One line for the CI log."""
        g = self.guardrails
        guard = f"guardrails +{sum(r.change == 'added' for r in g)} -{sum(r.change == 'removed' for r in g)} ~{sum(r.change == 'changed' for r in g)}"
        access = f"access +{sum(a.change == 'granted' for a in self.access)} -{sum(a.change == 'revoked' for a in self.access)}"
        line = (
            f"plan-review: {len(self.plans)} stack(s), {self.counts_text()}; {guard}; {access}; "
            f"network {len(self.network)} change(s)"
        )
        if self.blocked:
            rules = sorted({d.rule for d in self.blocking})
            return f"{line}; BLOCKED by {', '.join(rules)} (allow with {' '.join('--allow ' + r for r in rules)})"
        allowed = sorted({d.rule for d in self.dangers if d.allowed})
        return line + (f"; allowed: {', '.join(allowed)}" if allowed else "; no dangerous changes")

    def to_json(self) -> dict:
        return {
            "blocked": self.blocked,
            "summary": self.summary_line(),
            "totals": self.totals,
            "stacks": [
                {"stack": p.stack, "file": str(p.source), "changes": len(p.changed), "errored": p.errored} for p in self.plans
            ],
            "dangers": [d.to_json() for d in self.dangers],
            "accounts": [{"account": r.account, "ou": r.ou, "stack": r.stack, **r.counts} for r in self.accounts],
            "events": [e.__dict__ for e in self.events],
            "guardrails": [g.to_json() for g in self.guardrails],
            "access": [a.to_json() for a in self.access],
            "permission_sets": [p.to_json() for p in self.permission_sets],
            "network": [n.to_json() for n in self.network],
            "resources": [d.to_json() for d in self.details],
            "manifest": str(self.manifest.path) if self.manifest is not None and self.manifest.path else None,
        }


def _rows(item: Classified) -> list[DiffRow]:
    rows = diff_rows(item.change.before, item.change.after, item.change.replace_paths, item.change.sensitive_changed)
    if item.change.action in ("create", "replace"):
        # a new resource gets new ids, ARNs and timestamps: only what makes the difference is news
        rows = [r for r in rows if r.after != UNKNOWN or r.forces_replacement]
    return rows


def build_review(plans: list[StackPlan], manifest: Optional[Manifest] = None, allow: Iterable[str] = ()) -> Review:
    facts = manifest.facts if manifest is not None else ReviewFacts()
    items, worlds = classify(plans, facts, manifest)
    guardrails = guardrail_changes(items, worlds, facts)
    dangers = find_dangers(items, guardrails, StateLookup(p.before for p in plans), allow)
    details = [ResourceDetail(item, _rows(item)) for item in items]
    return Review(
        plans,
        facts,
        manifest,
        items,
        account_rows(items, facts),
        organization_events(items),
        guardrails,
        access_changes(worlds),
        permission_set_changes(items),
        network_changes(items),
        dangers,
        details,
    )


def review_plans(arguments: list[str], manifest: Optional[Manifest] = None, allow: Iterable[str] = ()) -> Review:
    return build_review(load_plans(arguments, manifest), manifest, allow)
