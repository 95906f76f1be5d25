"""Account lifecycle across a change: a base environment (before) against the new one (after).

Accounts are never replaced or destroyed by a plan. What AWS provider 5.100.0
does to `aws_organizations_account`, seen in real `terraform plan` runs
(tests/account_factory/test_force_new.py repeats them):
- `email` (even a change of case), `role_name` and `iam_user_access_to_billing`
  force replacement. The landing zone ignores later changes of the last two
  (AWS uses them only at creation), so only `email` reaches a plan; but the
  landing zone assumes the access role, so changing it for an existing
  account would lock terraform out.
- `name`, `parent_id` (moving OU), `close_on_deletion` and tags change in
  place; the account's resource address is its config name, though, so a
  renamed account would be destroyed and created again.
Removing an account is a two-step change: move it to the suspended OU with
`close: true` (apply), then remove it; closures per change stay within
AWS's quota (10 % of member accounts, at least 10, per 30 days; the 30 days
cannot be seen from two files: each change is held to the whole quota).
"""

from __future__ import annotations

from dataclasses import dataclass

from .problems import Location, Problem
from .vending import access_role, request_for

RULE = "account_lifecycle"
CLOSURES_MIN = 10
CLOSURES_PERCENT = 10


@dataclass(frozen=True)
class Replacement:
    """An account of the base that a change makes terraform destroy and create again."""

    name: str
    """The account's name in the base."""
    cause: str
    """`renamed` (its resource address is its exact name) or `email` (the email, even its case, forces replacement)."""
    new_name: str | None = None
    """The name it has after the change, when it still exists under another name."""
    old_email: str = ""
    new_email: str = ""


def account_replacements(base_env, new_env) -> list[Replacement]:
    """Every account a change replaces, for `lz diff` and `lz validate --base` alike.

    A rename, even of case only, moves the resource address (the address is the
    exact name); any email change, even of case only, forces a new account.
    """
    after = {a.name: a for a in new_env.accounts}
    added = [a for a in new_env.accounts if a.name not in {b.name for b in base_env.accounts}]
    out = []
    for old in base_env.accounts:
        current = after.get(old.name)
        if current is None:
            same = next((a for a in added if a.name.lower() == old.name.lower()), None) or next(
                (a for a in added if a.email.lower() == old.email.lower()), None
            )
            if same is not None:
                out.append(Replacement(old.name, "renamed", same.name, old.email, same.email))
            continue
        if current.email != old.email:
            out.append(Replacement(old.name, "email", old.name, old.email, current.email))
    return out


def closure_quota(member_accounts: int) -> int:
    """Accounts that may be closed in 30 days: 10 % of the member accounts, at least 10."""
    return max(CLOSURES_MIN, member_accounts * CLOSURES_PERCENT // 100)


def _where(loaded, name: str, key: str = "name") -> tuple[Location, str]:
    """Location and display path of account `name`'s `key` in a loaded environment."""
    from .paths import display_path, locate

    for i, account in enumerate(loaded.env.accounts):
        if account.name == name:
            path = ("accounts", i, key)
            return locate(loaded.data, path, loaded.file), display_path(loaded.data, path)
    return locate(loaded.data, ("accounts",), loaded.file), "accounts"


def _problem(loaded, name: str, key: str, message: str) -> Problem:
    location, path = _where(loaded, name, key)
    return Problem(location, path, message, "error", RULE)


def lifecycle_problems(base, new) -> list[Problem]:
    """Problems of the change from `base` to `new` (both LoadedEnvironment): replacements, unsafe removals, too many closures."""
    out: list[Problem] = []
    replaced = {r.name: r for r in account_replacements(base.env, new.env)}
    after = {a.name: a for a in new.env.accounts}
    suspended = base.env.account_factory.suspended_ou if base.env.account_factory else "Suspended"
    closed = []
    for old in base.env.accounts:
        replacement = replaced.get(old.name)
        if replacement is not None and replacement.cause == "renamed":
            assert replacement.new_name is not None  # a renamed account is found under its new name
            out.append(
                _problem(
                    new,
                    replacement.new_name,
                    "name",
                    f"account {old.name!r} is renamed to {replacement.new_name!r}: its resource address is its name, so the plan would "
                    f"destroy the account and create a new one; keep the name {old.name!r}",
                )
            )
            continue
        current = after.get(old.name)
        if current is None:
            request = request_for(base.env, old.name)
            closing = old.close_on_deletion or (request is not None and request.close)
            if old.id is not None and old.ou != suspended:
                pass  # an adopted account only leaves the landing zone's management; no closure
            elif old.ou != suspended or not closing:
                out.append(
                    _problem(
                        base,
                        old.name,
                        "name",
                        f"account {old.name!r} is removed in {new.file}; an account is removed in two changes: first move it to "
                        f"OU {suspended!r} (deny-all) with close: true and apply, then remove it",
                    )
                )
                continue
            if old.id is None:
                closed.append(old.name)
            continue
        if replacement is not None:  # the email changes
            out.append(
                _problem(
                    new,
                    current.name,
                    "email",
                    f"changing the email of {old.name!r} from {old.email!r} to {current.email!r} forces replacement of "
                    "aws_organizations_account (AWS provider 5.100.0): change the root email in AWS first "
                    "(`aws account start-primary-email-update` and `accept-primary-email-update`, or the console as root), "
                    "then here, so the plan shows no change",
                )
            )
        old_role, new_role = access_role(base.env, old.name), access_role(new.env, current.name)
        if old.id is None and old_role != new_role:
            out.append(
                _problem(
                    new,
                    current.name,
                    "name",
                    f"the access role of {old.name!r} changes from {old_role!r} to {new_role!r}; AWS creates that role "
                    "once, with the account: keep the old name for existing accounts (create the new role in them first "
                    "if it must change)",
                )
            )
    quota = closure_quota(len(base.env.accounts))
    if len(closed) > quota:
        # At the new file's accounts (the closed ones are gone from it), with its line and column.
        location, _ = _where(new, "", "name")
        out.append(
            Problem(
                location,
                "accounts",
                f"{len(closed)} accounts are closed in one change ({', '.join(sorted(closed))}); AWS allows {quota} per 30 days "
                f"(10 % of {len(base.env.accounts)} member accounts, at least {CLOSURES_MIN}): close them over several changes",
                "error",
                RULE,
            )
        )
    return out
