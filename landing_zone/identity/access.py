"""The access matrix: who (group) has what (permission set) in which account, and why.

Rows come from `IdentityPlan.grants`; renderers give a plain table for
people, JSON for machines and Markdown for pull requests and wikis.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from ..config.models import Environment
from .plan import IdentityPlan

HEADERS = ("ACCOUNT", "OU", "GROUP", "PERMISSION SET", "VIA")


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
        return {"account": self.account, "ou": self.ou, "group": self.group,
                "permission_set": self.permission_set, "via": list(self.via)}


def access_rows(env: Environment, plan: IdentityPlan, account: str | None = None, group: str | None = None) -> list[AccessRow]:
    """The matrix, optionally for one account or one group; the management account's OU is shown as 'root'."""
    ou_of = {a.name: a.ou for a in env.accounts}
    return [AccessRow(g.account, ou_of.get(g.account, "root"), g.group, g.permission_set, g.via)
            for g in plan.grants_for(account=account, group=group)]


def summary(rows: list[AccessRow]) -> str:
    accounts = len({r.account for r in rows})
    groups = len({r.group for r in rows})
    sets = len({r.permission_set for r in rows})
    return f"{len(rows)} grant(s): {groups} group(s) hold {sets} permission set(s) across {accounts} account(s)"


def render_table(rows: list[AccessRow]) -> str:
    cells = [r.cells() for r in rows]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(HEADERS)]
    line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()
    out = [line(HEADERS), line(["-" * w for w in widths])]
    previous = None
    for c in cells:
        # The account and OU are printed once per account: the table reads as a list per account.
        shown = ("", "") + c[2:] if previous == c[0] else c
        out.append(line(shown))
        previous = c[0]
    out.append("")
    out.append(summary(rows))
    return "\n".join(out)


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(rows: list[AccessRow], title: str) -> str:
    out = [f"### {_md(title)}", "", "| Account | OU | Group | Permission set | Via |", "|" + "---|" * len(HEADERS)]
    out += ["| " + " | ".join(_md(c) for c in r.cells()) + " |" for r in rows]
    out += ["", summary(rows) + "."]
    return "\n".join(out)


def render_json(rows: list[AccessRow], file: str, plan: IdentityPlan) -> str:
    return json.dumps({"environment": file, "identity_source": plan.source,
                       "delegated_admin_account": plan.delegated_admin_account,
                       "grants": [r.as_dict() for r in rows]}, indent=2)
