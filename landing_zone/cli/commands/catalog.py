"""`lz catalog ENV_FILE [--account NAME]`: what a team in an account can launch from the self-service catalog."""

from __future__ import annotations

import difflib
import sys

from ...environment import load_environment

NAME = "catalog"
HELP = "Show what each account can launch from the self-service catalog: products, versions, launch role, permission sets."
ORDER = 31


def add_arguments(parser) -> None:
    parser.add_argument("env_file", metavar="ENV_FILE", help="environment file, e.g. environments/example.yaml")
    parser.add_argument("--account", metavar="NAME", help="only this account")


def run(args) -> int:
    from ...self_service.launch import launchable, launchable_lines

    loaded = load_environment(args.env_file)
    if loaded.env.self_service is None:
        print(f"{loaded.file}: no self_service: section, so there is no catalog", file=sys.stderr)
        return 1
    known = [loaded.env.organization.management_account.name] + [a.name for a in loaded.env.accounts]
    if args.account and args.account not in known:
        close = difflib.get_close_matches(args.account, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        print(f"lz catalog: unknown account {args.account!r}{hint}; known: {', '.join(known)}", file=sys.stderr)
        return 2
    rows = launchable(loaded.env, loaded.facts.tree, account=args.account)
    if not rows:
        print(f"{args.account or 'no account'}: the catalog's portfolios do not reach it")
        return 0
    print("\n".join(launchable_lines(rows)))
    return 0
