"""Rules on `organization.default_vpcs`: every OU and account it names exists."""

from __future__ import annotations

from ..config.problems import Problem
from .context import RuleContext

_PATH = ("organization", "default_vpcs")


def default_vpc_targets(ctx: RuleContext) -> list[Problem]:
    """The OUs and accounts of `default_vpcs` are defined (the management account counts as an account)."""
    setting = ctx.env.organization.default_vpcs
    ous = [ou.path for ou in ctx.env.organizational_units]
    accounts = [ctx.env.organization.management_account.name] + [a.name for a in ctx.env.accounts]
    out = [
        ctx.problem(
            (*_PATH, "ous", path),
            f"OU {path!r} is not defined (defined: {', '.join(ous) or 'none'})",
            "default_vpc_targets",
        )
        for path in setting.ous
        if path not in ous
    ]
    out += [
        ctx.problem(
            (*_PATH, "accounts", name),
            f"account {name!r} is not defined (defined: {', '.join(accounts)})",
            "default_vpc_targets",
        )
        for name in setting.accounts
        if name not in accounts
    ]
    return out


RULES = [default_vpc_targets]
