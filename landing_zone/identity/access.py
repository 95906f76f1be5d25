"""The access matrix: who (group) has what (permission set) in which account, and why.

Rows come from `IdentityPlan.grants`; `access_document` is the report the
renderer prints as text or markdown, `access_data` its JSON.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config.models import Environment
from ..render import Document
from .plan import IdentityPlan

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


def access_document(rows: list[AccessRow], title: str) -> Document:
    """The matrix as a report: the account and OU are shown once per account, so it reads as a list per account."""
    return (
        Document().heading(title + ":").table(HEADERS, [r.cells() for r in rows], repeat_first=2).paragraph(summary(rows) + ".")
    )


def access_data(rows: list[AccessRow], file: str, plan: IdentityPlan) -> dict:
    return {
        "environment": file,
        "identity_source": plan.source,
        "delegated_admin_account": plan.delegated_admin_account,
        "grants": [r.as_dict() for r in rows],
    }
