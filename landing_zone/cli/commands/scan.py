"""`lz scan [DIR]`: the checkov gate on synthesized stacks (exit 1 on any failed check)."""

from __future__ import annotations

import contextlib
import sys

from ...render import add_format_argument, dumps_json, emit
from ...run_lock import add_wait_argument, run_lock

NAME = "scan"
HELP = "Run checkov (offline, with the landing-zone checks) on synthesized stacks; exit 1 on any failed check, 2 on bad input."
ORDER = 30


def add_arguments(parser) -> None:
    parser.add_argument(
        "directory", nargs="?", default="cdktf.out", metavar="DIR", help="synthesized output to scan (default cdktf.out)"
    )
    parser.add_argument("--sarif", metavar="FILE", help="also write checkov's SARIF report to FILE")
    add_format_argument(parser)
    parser.add_argument("--config", metavar="FILE", help="checkov config (default ./.checkov.yaml, else the package default)")
    parser.add_argument(
        "--env",
        metavar="ENV_FILE",
        help="take the SCP quotas (limits.scp_size, limits.scps_per_target) from this environment "
        "file instead of LZ_SCP_SIZE_LIMIT / LZ_SCPS_PER_TARGET or the package defaults",
    )
    add_wait_argument(parser)


def _limits(env_file: str | None) -> dict[str, int] | None:
    if not env_file:
        return None
    from ...environment import load_environment  # raises ConfigError (printed by the CLI, exit 2)

    limits = load_environment(env_file).env.limits
    return {"scp_size": limits.scp_size, "scps_per_target": limits.scps_per_target}


def run(args) -> int:
    from ...scan.gate import ScanInputError, scan
    from ...scan.report import scan_document

    if args.sarif:
        from ...output_paths import check_output_file

        check_output_file(args.sarif, make_parents=True, what="SARIF report")  # its own message before the lock
    try:
        # With a report: one writer of it at a time (RunLockBusy, exit 75); it is written whole or not at all.
        with run_lock(args.sarif, "scan", wait=args.wait) if args.sarif else contextlib.nullcontext():
            result = scan(args.directory, config=args.config, sarif=args.sarif, limits=_limits(args.env))
    except ScanInputError as exc:
        if args.format == "json":
            print(dumps_json({"result": "error", "errors": str(exc).splitlines()}))
        else:
            print(f"lz scan: {exc}", file=sys.stderr)
        return 2
    emit(scan_document(result), args.format, data=result.as_dict())
    return result.exit_code()
