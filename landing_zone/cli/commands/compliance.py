"""`lz compliance ENV [--live] [--evaluate] [--record]` and `lz compliance history ENV`.

The status of every detective control in every account (the audit account's
Config aggregator and Security Hub, or the local evaluator), each
non-compliant resource with since when and the `lz respond` command that
fixes it; `--record` keeps the observations in the compliance store, and
`history` shows each violation's start, changes and fix from it.
"""

from __future__ import annotations

import os
import sys

from ...render import add_format_argument
from ...run_lock import add_wait_argument

NAME = "compliance"
HELP = (
    "Status of the detective controls per account (Config aggregator, Security Hub, local evaluator); `history` from the store."
)
ORDER = 62


def add_arguments(parser) -> None:
    parser.add_argument(
        "words", nargs="+", metavar="[history] ENV_FILE", help="environment file; `history ENV_FILE` for the history"
    )
    parser.add_argument(
        "--live", action="store_true", help="read the audit account's Config aggregator and Security Hub (the default)"
    )
    parser.add_argument("--evaluate", action="store_true", help="run the local evaluator in each account (alone unless --live)")
    parser.add_argument("--no-security-hub", action="store_true", help="with --live, read the aggregator only")
    parser.add_argument("--record", action="store_true", help="store the observations (see --store)")
    add_wait_argument(parser)
    parser.add_argument(
        "--store",
        metavar="FILE",
        help="compliance store (default $LZ_COMPLIANCE_STORE or .lz/compliance.sqlite); "
        "`log-archive`: JSON lines under compliance/ in the log archive bucket",
    )
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--account", metavar="NAME", help="one account")
    scope.add_argument("--ou", metavar="PATH", help="the accounts under one OU path")
    parser.add_argument("--control", metavar="ID", help="one control")
    parser.add_argument("--resource", metavar="ID", help="history: one resource")
    parser.add_argument("--since", metavar="AGE", help="history: violations active since 30d, 12h, 45m or an ISO date")
    parser.add_argument("--offline", action="store_true", help="history: from the store only (no Config or CloudTrail reads)")
    add_format_argument(parser)


def _access(env):
    from ...compliance.access import Access, boto3_base
    from ...local_aws.endpoints import ENV_VAR, check_local_url

    endpoint = os.environ.get(ENV_VAR)
    return Access(boto3_base(check_local_url(endpoint) if endpoint else None), env)


def run(args) -> int:
    from ...compliance.access import ComplianceError
    from ...compliance.history import HistoryError, render_history
    from ...compliance.run import StatusOptions, history_report, status_report
    from ...compliance.sink import LOG_ARCHIVE
    from ...compliance.status import render_status
    from ...compliance.store import StoreError, store_path
    from ...environment import load_environment

    history = args.words[0] == "history"
    words = args.words[1:] if history else args.words
    if len(words) != 1:
        print("lz compliance: give one environment file (or `history ENV_FILE`)", file=sys.stderr)
        return 2
    env_file = words[0]
    loaded = load_environment(env_file)
    path = store_path(args.store)
    log_archive = str(path) == LOG_ARCHIVE
    try:
        if history:
            items, since = history_report(
                env_file,
                path,
                account=args.account,
                resource=args.resource,
                since=args.since,
                access=None if args.offline else _access(loaded.env),
                facts=loaded.facts if log_archive else None,
            )
            sys.stdout.write(render_history(items, args.format, since=since).rstrip("\n") + "\n")
            return 0
        options = StatusOptions(
            env_file,
            live=args.live or not args.evaluate,
            evaluate=args.evaluate,
            security_hub=not args.no_security_hub,
            record=args.record,
            store=None if log_archive else path,
            log_archive=log_archive,
            account=args.account,
            ou=args.ou,
            control=args.control,
        )
        status, recorded = status_report(loaded.facts, _access(loaded.env), options)
    except (ComplianceError, StoreError, HistoryError) as exc:
        print(f"lz compliance: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(render_status(status, args.format).rstrip("\n") + "\n")
    if args.record:
        where = "the log archive bucket (compliance/)" if log_archive else path
        print(f"lz compliance: recorded {recorded} observation(s) in {where}", file=sys.stderr)
    return 0
