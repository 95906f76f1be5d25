"""The guardrail reports of `lz guardrails`: the catalog, the controls × accounts matrix
with where each control comes from, and every target's SCP budget.

Each report is a `render.Document` for text and markdown plus its JSON data.
"""

from __future__ import annotations

from typing import Optional, Sequence

from ..render import Document
from .catalog import TIER_LABEL, catalog
from .matrix import accounts_in_scope, applied_to, budget_row, budgets_in_scope
from .plan import GuardrailPlan
from .remediation import ACCOUNT_RULE

SOURCE_CODE = {"root": "R", "ou": "O", "account": "A"}


def catalog_report() -> tuple[Document, list[dict]]:
    controls = list(catalog().values())
    data = [
        {
            "id": c.id,
            "title": c.title,
            "tier": TIER_LABEL[c.tier],
            "behaviour": c.behaviour,
            "default_targets": list(c.default_targets),
            "parameters": {p.name: p.description for p in c.parameters.values()},
            "references": dict(c.references),
            "config_rule": c.config_rule.source_identifier if c.config_rule else None,
            "deviations": [d.describe() for d in c.deviations],
        }
        for c in controls
    ]
    rows = [
        (
            c.id,
            TIER_LABEL[c.tier],
            c.behaviour,
            ", ".join(c.default_targets),
            c.config_rule.source_identifier if c.config_rule else "SCP",
            c.title,
        )
        for c in controls
    ]
    doc = Document().table(("id", "tier", "behaviour", "default targets", "mechanism", "title"), rows)
    doc.heading(
        "Listed deviations from Control Tower's published controls (every other AWS-GR_* control is as AWS publishes it):"
    )
    doc.table(("id", "deviation"), [(c.id, d.describe()) for c in controls for d in c.deviations])
    return doc, data


def matrix_report(
    plan: GuardrailPlan, env_file: str, account: Optional[str] = None, ou: Optional[str] = None
) -> tuple[Document, dict]:
    """Controls per account in scope (one account in detail with `account`), then the SCP budgets."""
    accounts = accounts_in_scope(plan, account, ou)
    applied = {name: applied_to(plan, name) for name in accounts}
    budgets = budgets_in_scope(plan, account, ou)
    data = {
        "environment": env_file,
        "accounts": {n: [a.as_dict() for a in rows] for n, rows in applied.items()},
        "scp_budget": [budget_row(b) for b in budgets],
    }
    counts: dict[str, int] = {}
    for c in plan.controls:
        key = "custom" if c.control.custom else c.control.tier.replace("_", " ")
        counts[key] = counts.get(key, 0) + 1
    doc = Document().paragraph(
        f"{env_file}: {len(plan.controls)} controls on ("
        + ", ".join(f"{n} {k}" for k, n in counts.items())
        + f"); {len(plan.preventive)} preventive (SCPs), {len(plan.detective)} detective (organization Config rules)."
    )
    rows: list[Sequence[object]]
    if account:
        rows = [(a.control.id, a.tier, a.control.control.behaviour, a.source, a.form or "SCP") for a in applied[account]]
        doc.heading(f"Controls on account {account}:").table(("control", "tier", "behaviour", "from", "deploys as"), rows)
    else:
        rows = []
        for control in plan.controls:
            cells = []
            for name in accounts:
                hit = next((a for a in applied[name] if a.control is control), None)
                code = SOURCE_CODE[hit.via.kind] if hit else "."
                cells.append(code + "+" if hit and hit.form == ACCOUNT_RULE else code)
            rows.append([control.id, "P" if control.control.preventive else "D"] + cells)
        doc.heading(
            "Controls per account (R from the root, O from an OU above, A attached to the account, . not applied; "
            "+ an account Config rule with remediation instead of the organization rule; "
            "SCPs never apply to the management account):"
        )
        # Account names head the columns where they fit the width; else numbers, with a legend below.
        numbers = [str(i + 1) for i in range(len(accounts))]
        doc.table(["control", "P/D"] + accounts, rows, short_headers=["control", "P/D"] + numbers, legend_title="Accounts")
    rows = []
    for b in budgets:
        r = budget_row(b)
        chars = ", ".join(f"{c:,}" for c in r["characters"]) or "-"
        rows.append(
            (
                r["target"],
                f"{r['policies']} of {r['slots_free_for_guardrails']}",
                f"{chars} of {r['character_quota']:,} each",
                r["statements"],
                len(r["controls"]),
                "yes" if r["fits"] else "NO",
            )
        )
    doc.heading("SCP budget per target (one slot of each target holds FullAWSAccess):")
    doc.table(("target", "SCPs", "characters", "statements", "controls", "fits"), rows)
    return doc, data
