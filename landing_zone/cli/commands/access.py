"""`lz access ENV_FILE [--account NAME | --group NAME]`: the Identity Center access matrix."""

from __future__ import annotations

import difflib
import sys

from ...environment import load_environment
from ...render import add_format_argument, emit

NAME = "access"
HELP = "Show who (group) has what (permission set) in which account, and through which assignment."
ORDER = 30


def add_arguments(parser) -> None:
    parser.add_argument("env_file", metavar="ENV_FILE", help="environment file, e.g. environments/example.yaml")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--account", metavar="NAME", help="only this account")
    which.add_argument("--group", metavar="NAME", help="only this group")
    add_format_argument(parser)


def _unknown(kind: str, name: str, known: list[str]) -> int:
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    print(f"lz access: unknown {kind} {name!r}{hint}; known: {', '.join(known)}", file=sys.stderr)
    return 2


def run(args) -> int:
    from ...identity.access import access_data, access_document, access_rows, management_statement

    loaded = load_environment(args.env_file)
    plan = loaded.facts.identity_plan
    if not plan.enabled:
        print(
            f"{loaded.file}: no identity: section, so the landing zone does not manage IAM Identity Center access",
            file=sys.stderr,
        )
        return 1
    if args.account and args.account not in plan.accounts:
        return _unknown("account", args.account, list(plan.accounts))
    groups = [g.name for g in plan.groups]
    if args.group and args.group not in groups:
        return _unknown("group", args.group, groups)
    rows = access_rows(loaded.env, plan, account=args.account, group=args.group)
    management = loaded.env.organization.management_account.name
    scope = f"account {args.account}" if args.account else f"group {args.group}" if args.group else "all accounts"
    emit(
        access_document(
            rows,
            f"Identity Center access in {loaded.name}: {scope}",
            management_statement(loaded.env, plan) if args.account in (None, management) and not args.group else "",
        ),
        args.format,
        data=access_data(rows, loaded.file, plan, loaded.env),
    )
    return 0
