"""The effective guardrail matrix: for every account, which controls apply
and from where (the root, an OU above it, or the account itself)."""

from __future__ import annotations

from dataclasses import dataclass

from .catalog import TIER_LABEL
from .enabled import EnabledControl
from .plan import GuardrailPlan, TargetBudget
from .remediation import ACCOUNT_RULE, ORGANIZATION_RULE, Form
from .targets import ROOT, Target, chain


@dataclass(frozen=True)
class Applied:
    """One control reaching one account."""

    account: str
    control: EnabledControl
    via: Target
    form: Form | None = None
    """How a detective control reaches the account: the organization rule, or an account rule with remediation."""

    @property
    def source(self) -> str:
        if self.via.kind == "account":
            return "direct"
        return f"inherited from {self.via.label}"

    @property
    def tier(self) -> str:
        return "custom" if self.control.control.custom else TIER_LABEL[self.control.control.tier]

    def as_dict(self) -> dict:
        c = self.control.control
        return {
            "account": self.account,
            "control": c.id,
            "title": c.title,
            "tier": self.tier,
            "behaviour": c.behaviour,
            "source": self.source,
            "attached_to": self.via.label,
            "deploys_as": self.form or "SCP",
        }


def applied_to(plan: GuardrailPlan, account: str) -> list[Applied]:
    """Controls that reach a member account, or the management account (detective rules on the root only)."""
    if account == plan.env.organization.management_account.name:
        return [Applied(account, c, ROOT, ORGANIZATION_RULE) for c in plan.detective if c.includes_management]
    levels = chain(plan.tree, account)
    out = []
    for control in plan.controls:
        if control.control.preventive:
            hits = [t for t in levels if t in control.targets]
        else:
            hits = [t for t in levels if t in control.targets] if account in control.covered else []
        if hits:
            form = None
            if not control.control.preventive:
                form = ACCOUNT_RULE if account in plan.remediated_accounts(control) else ORGANIZATION_RULE
            out.append(Applied(account, control, hits[-1], form))  # the nearest attachment
    return out


def accounts_in_scope(plan: GuardrailPlan, account: str | None = None, ou: str | None = None) -> list[str]:
    """Account names to show: one, those under an OU, or all with the management account last."""
    if account:
        return [account]
    if ou:
        return [a.name for a in plan.tree.subtree_accounts(ou)]
    return [a.name for a in plan.env.accounts] + [plan.env.organization.management_account.name]


def budgets_in_scope(plan: GuardrailPlan, account: str | None = None, ou: str | None = None) -> list[TargetBudget]:
    """Budgets of the targets that reach the chosen accounts."""
    if not account and not ou:
        return list(plan.budgets.values())
    names = accounts_in_scope(plan, account, ou)
    wanted: set[Target] = set()
    for name in names:
        if name in plan.tree.accounts_by_name:
            wanted.update(chain(plan.tree, name))
    return [b for t, b in plan.budgets.items() if t in wanted]


def budget_row(budget: TargetBudget) -> dict:
    policies = budget.result.policies
    return {
        "target": budget.target.label,
        "policies": len(policies),
        "slots_free_for_guardrails": budget.slots,
        "slots_quota": budget.slots + 1,
        "characters": [p.size for p in policies],
        "character_quota": budget.capacity,
        "statements": len(budget.result.statements),
        "controls": [c.id for c in budget.controls],
        "fits": budget.fits,
    }
