"""Rules on accounts: names, emails, adopted ids, OU placement, tags."""

from __future__ import annotations

import re

from ..config.problems import Location, Problem
from .context import RuleContext, YamlPath

# Printable ASCII as AWS accepts for account names.
_ACCOUNT_NAME = re.compile(r"^[\x20-\x7E]+$")
# user@domain with a dotted domain; the same shape AWS's CreateAccount pattern accepts.
_EMAIL = re.compile(r"^[^\s@]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
# RFC 2606 domains that exist only for documentation: mail to them goes nowhere.
DOC_DOMAINS = ("example.com", "example.org", "example.net")


def _emails(ctx: RuleContext):
    """Every account email in the file with the path that holds it."""
    yield ("organization", "management_account", "email"), ctx.env.organization.management_account.email
    for i, account in enumerate(ctx.env.accounts):
        yield ("accounts", i, "email"), account.email


def account_names(ctx: RuleContext) -> list[Problem]:
    """Account names are 1 to N printable characters and unique, case-insensitively."""
    out: list[Problem] = []
    seen: dict[str, Location] = {}
    limit = ctx.env.limits.account_name_length
    names: list[tuple[YamlPath, str]] = [
        (("organization", "management_account", "name"), ctx.env.organization.management_account.name)
    ]
    names += [(("accounts", i, "name"), a.name) for i, a in enumerate(ctx.env.accounts)]
    for where, name in names:
        if not name or len(name) > limit or not _ACCOUNT_NAME.match(name):
            out.append(
                ctx.problem(
                    where, f"{name!r} is not a valid account name (expected 1-{limit} printable characters)", "account_names"
                )
            )
        key = name.lower()
        if key in seen:
            out.append(
                ctx.problem(
                    where,
                    f"account name {name!r} is used twice (first at line {seen[key].line}); names are unique, case-insensitively",
                    "account_names",
                )
            )
        else:
            seen[key] = ctx.location(where)
    return out


def account_emails(ctx: RuleContext) -> list[Problem]:
    """Emails are valid, within the length limits and unique, case-insensitively; documentation domains warn."""
    out: list[Problem] = []
    seen: dict[str, Location] = {}
    lo, hi = ctx.env.limits.email_min_length, ctx.env.limits.email_max_length
    for where, email in _emails(ctx):
        if not (lo <= len(email) <= hi) or not _EMAIL.match(email):
            out.append(
                ctx.problem(
                    where,
                    f"{email!r} is not a valid email address (expected user@domain, {lo}-{hi} characters)",
                    "account_emails",
                )
            )
            continue
        key = email.lower()
        if key in seen:
            out.append(
                ctx.problem(
                    where,
                    f"email {email!r} is used twice (first at line {seen[key].line}); emails are unique, case-insensitively",
                    "account_emails",
                )
            )
        else:
            seen[key] = ctx.location(where)
        domain = key.rsplit("@", 1)[1]
        if any(domain == d or domain.endswith("." + d) for d in DOC_DOMAINS):
            out.append(
                ctx.problem(
                    where,
                    f"{email!r} uses the documentation-only domain {domain!r}: mail to it is never delivered "
                    "(use a mailbox you own)",
                    "account_emails",
                    severity="warning",
                )
            )
    return out


def adopted_account_ids(ctx: RuleContext) -> list[Problem]:
    """An adopted account id belongs to one account only."""
    out: list[Problem] = []
    seen: dict[str, Location] = {}
    ids: list[tuple[YamlPath, str | None]] = [
        (("organization", "management_account", "id"), ctx.env.organization.management_account.id)
    ]
    ids += [(("accounts", i, "id"), a.id) for i, a in enumerate(ctx.env.accounts)]
    for where, account_id in ids:
        if account_id is None:
            continue
        if account_id in seen:
            out.append(
                ctx.problem(
                    where,
                    f"account id {account_id!r} is used twice (first at line {seen[account_id].line})",
                    "adopted_account_ids",
                )
            )
        else:
            seen[account_id] = ctx.location(where)
    return out


def account_ous(ctx: RuleContext) -> list[Problem]:
    """Every account sits in a defined OU; the account count fits the quota."""
    paths = [ou.path for ou in ctx.env.organizational_units]
    out = []
    for i, account in enumerate(ctx.env.accounts):
        if account.ou not in paths:
            out.append(
                ctx.problem(
                    ("accounts", i, "ou"),
                    f"OU {account.ou!r} is not defined (defined: {', '.join(paths) or 'none'})",
                    "account_ous",
                )
            )
    limit = ctx.env.limits.accounts_per_organization
    if len(ctx.env.accounts) + 1 > limit:
        out.append(
            ctx.problem(
                ("accounts",),
                f"{len(ctx.env.accounts) + 1} accounts with the management account; at most {limit} are allowed (limits.accounts_per_organization)",
                "account_ous",
            )
        )
    return out


def tag_counts(ctx: RuleContext) -> list[Problem]:
    """Accounts and OUs carry no more tags than the quota allows."""
    limit = ctx.env.limits.tags_per_resource
    items = [(("accounts", i, "tags"), a.tags) for i, a in enumerate(ctx.env.accounts)]
    items += [(("organizational_units", i, "tags"), o.tags) for i, o in enumerate(ctx.env.organizational_units)]
    return [
        ctx.problem(where, f"{len(tags)} tags; at most {limit} are allowed (limits.tags_per_resource)", "tag_counts")
        for where, tags in items
        if len(tags) > limit
    ]
