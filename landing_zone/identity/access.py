"""The access matrix: who (group) has what (permission set) in which account, and why.

Rows come from `IdentityPlan.grants`; `access_document` is the report the
renderer prints as text or markdown, `access_data` its JSON.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config.models import Environment
from ..render import Document
from .plan import IdentityPlan
from .policy import AWS_MANAGED_POLICY_PREFIX, PolicyError, grants_admin
from .preset import BROAD_POLICIES, PLATFORM_ADMINS, PRESET

HEADERS = ("Account", "OU", "Group", "Permission set", "Via")


@dataclass(frozen=True)
class AccessRow:
    account: str
    ou: str
    group: str
    permission_set: str
    via: tuple[str, ...]

    def cells(self) -> tuple[str, str, str, str, str]:
        return (self.account, self.ou, self.group, self.permission_set, ", ".join(self.via))

    def as_dict(self) -> dict:
        return {
            "account": self.account,
            "ou": self.ou,
            "group": self.group,
            "permission_set": self.permission_set,
            "via": list(self.via),
        }


def access_rows(env: Environment, plan: IdentityPlan, account: str | None = None, group: str | None = None) -> list[AccessRow]:
    """The matrix, optionally for one account or one group; the management account's OU is shown as 'root'."""
    ou_of = {a.name: a.ou for a in env.accounts}
    return [
        AccessRow(g.account, ou_of.get(g.account, "root"), g.group, g.permission_set, g.via)
        for g in plan.grants_for(account=account, group=group)
    ]


def summary(rows: list[AccessRow]) -> str:
    accounts = len({r.account for r in rows})
    groups = len({r.group for r in rows})
    sets = len({r.permission_set for r in rows})
    return f"{len(rows)} grant(s): {groups} group(s) hold {sets} permission set(s) across {accounts} account(s)"


def _broad(ps) -> str | None:
    for policy in ps.managed_policies:
        name = policy.removeprefix(AWS_MANAGED_POLICY_PREFIX).rsplit("/", 1)[-1]
        if name in BROAD_POLICIES:
            return name
    if ps.inline_policy is not None:
        try:
            return "an inline '*' on '*'" if grants_admin(ps.inline_policy) else None
        except PolicyError:
            return None
    return None


def management_broad_access(env: Environment, plan: IdentityPlan) -> list[dict]:
    """Grants of broad access (AdministratorAccess, PowerUserAccess, an inline '*' on '*') in the management
    account, where no guardrail applies and from where member accounts are reached (issue 24.1)."""
    management = env.organization.management_account.name
    sets = {p.name: p for p in plan.permission_sets}
    out = []
    for g in plan.grants_for(account=management):
        ps = sets.get(g.permission_set)
        why = _broad(ps) if ps is not None else None
        if why:
            out.append({"group": g.group, "permission_set": g.permission_set, "grants": why, "via": list(g.via)})
    return out


def management_statement(env: Environment, plan: IdentityPlan) -> str:
    """What `lz access` says about broad access in the management account."""
    management = env.organization.management_account.name
    broad = management_broad_access(env, plan)
    held = "; ".join(f"{b['group']} holds {b['permission_set']} ({b['grants']})" for b in broad) or "nobody"
    text = f"Broad access in the management account {management!r}, where no guardrail applies: {held}."
    if plan.enabled and getattr(env.identity, "preset", None) == PRESET:
        text += f" The {PRESET} preset gives it to {PLATFORM_ADMINS} only."
    if env.organization.manage_access_role:
        text += (
            f" Member accounts' access roles admit only the deployment role {env.organization.deployment_role_name!r},"
            " so broad access here does not reach them."
        )
    else:
        text += " Member accounts' access roles keep the trust they were created with (organization.manage_access_role is off)."
    return text


def access_document(rows: list[AccessRow], title: str, statement: str = "") -> Document:
    """The matrix as a report: the account and OU are shown once per account, so it reads as a list per account;
    `statement` (broad access in the management account) follows the summary."""
    doc = Document().heading(title + ":").table(HEADERS, [r.cells() for r in rows], repeat_first=2).paragraph(summary(rows) + ".")
    return doc.paragraph(statement) if statement else doc


def access_data(rows: list[AccessRow], file: str, plan: IdentityPlan, env: Environment | None = None) -> dict:
    data = {
        "environment": file,
        "identity_source": plan.source,
        "delegated_admin_account": plan.delegated_admin_account,
        "grants": [r.as_dict() for r in rows],
    }
    if env is not None:
        data["management_broad_access"] = management_broad_access(env, plan)
    return data
