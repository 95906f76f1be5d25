"""Rules on the core (Security) OU and its accounts."""

from __future__ import annotations

from ..config.problems import Problem
from .context import RuleContext


def core_accounts(ctx: RuleContext) -> list[Problem]:
    """The Security OU exists; the log archive and audit accounts exist, differ and sit in it."""
    core = ctx.env.core
    out = []
    paths = {ou.path for ou in ctx.env.organizational_units}
    if core.security_ou not in paths:
        out.append(
            ctx.problem(
                ("core", "security_ou"), f"core OU {core.security_ou!r} is not defined in organizational_units", "core_accounts"
            )
        )
    names = {a.name: a for a in ctx.env.accounts}
    for key in ("log_archive_account", "audit_account"):
        name = getattr(core, key)
        account = names.get(name)
        role = key.removesuffix("_account").replace("_", " ")
        if account is None:
            known = ", ".join(names) or "none"
            written = "core" in ctx.data and key in ctx.data["core"]
            # A default name was never written: point at the accounts list instead.
            where = ("core", key) if written else ("accounts",)
            default = "" if written else f" (the default of core.{key})"
            out.append(
                ctx.problem(
                    where, f"{role} account {name!r}{default} is not defined in accounts (defined: {known})", "core_accounts"
                )
            )
        elif account.ou != core.security_ou:
            i = ctx.env.accounts.index(account)
            out.append(
                ctx.problem(
                    ("accounts", i, "ou"),
                    f"the {role} account must sit in the core OU {core.security_ou!r}, not {account.ou!r}",
                    "core_accounts",
                )
            )
    if core.log_archive_account == core.audit_account:
        out.append(
            ctx.problem(
                ("core", "audit_account"),
                f"the audit and log archive accounts must differ; both are {core.audit_account!r}",
                "core_accounts",
            )
        )
    return out
