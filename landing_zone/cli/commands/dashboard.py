"""`lz dashboard ENV_FILE [--out DIR] [--read-organization] [--live] [--evaluate] [--history DB]`: the whole landing zone as one static HTML site.

Writes DIR/index.html with its data, script and style (no server, no
network: open it from file://, keep it as a CI artifact or publish it on
GitHub Pages). The folder is replaced whole, atomically, by one run at a time
(the run lock beside it: a second run exits 75, or waits with `--wait`).
With `--read-organization` the account ids and suspended status come from the
organization as the AWS API reports it (`--endpoint` for the local API).
`--live` (the audit account's Config aggregator and Security Hub),
`--evaluate` (the local evaluator in each account) and `--history DB` (the
store `lz compliance --record` writes) add the compliance view: the controls
× accounts heatmap, each non-compliant resource with its `lz respond`
command, and each account's violations over time.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ...environment import load_environment
from ...live.endpoint import add_endpoint_argument, aws_errors
from ...run_lock import add_wait_argument, run_lock

NAME = "dashboard"
HELP = "Write a static HTML dashboard (organization, guardrails, access, network, compliance) of the environment."
ORDER = 38


def add_arguments(parser) -> None:
    parser.add_argument("env_file", metavar="ENV_FILE", help="environment file, e.g. environments/example.yaml")
    parser.add_argument("--out", metavar="DIR", default=None, help="folder to write (default cdktf.out/dashboard-<env>)")
    parser.add_argument(
        "--read-organization",
        action="store_true",
        help="add account ids and status from the organization as the AWS API reports it",
    )
    parser.add_argument(
        "--live",
        action="store_true",
        help="compliance now from the audit account's Config aggregator and Security Hub (management credentials)",
    )
    parser.add_argument(
        "--evaluate", action="store_true", help="compliance now from the local evaluator in each account (management credentials)"
    )
    parser.add_argument("--no-security-hub", action="store_true", help="with --live, read the aggregator only")
    parser.add_argument("--history", metavar="DB", help="compliance history from this store (written by lz compliance --record)")
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--account", metavar="NAME", help="with --live or --evaluate: read this account only now")
    scope.add_argument("--ou", metavar="PATH", help="with --live or --evaluate: read the accounts under this OU path only now")
    add_endpoint_argument(parser, only_with="--read-organization, --live or --evaluate")
    add_wait_argument(parser)


def run(args) -> int:
    from ...compliance.access import Access, ComplianceError, boto3_base
    from ...compliance.store import StoreError
    from ...dashboard.compliance import ComplianceSources, read_compliance
    from ...dashboard.site import build_dashboard
    from ...live.organization import organizations_client, read_organization
    from ...local_aws.endpoints import check_local_url

    loaded = load_environment(args.env_file)
    sources = ComplianceSources(
        live=args.live,
        evaluate=args.evaluate,
        security_hub=not args.no_security_hub,
        history=Path(args.history) if args.history else None,
        account=args.account,
        ou=args.ou,
    )
    if (args.account or args.ou) and not sources.now:
        print("lz dashboard: --account and --ou narrow --live and --evaluate; give one of them", file=sys.stderr)
        return 2
    if sources.history is not None and not sources.history.is_file():
        print(
            f"lz dashboard: --history {args.history}: no compliance store here; run `lz compliance ENV --record` first",
            file=sys.stderr,
        )
        return 2
    try:
        endpoint = check_local_url(args.endpoint) if args.endpoint else None
    except ValueError as exc:  # a non-local endpoint
        print(f"lz dashboard: {exc}", file=sys.stderr)
        return 2
    out = args.out or f"cdktf.out/dashboard-{loaded.name}"
    # One writer at a time (RunLockBusy: exit 75), taken before the slow reads so a second run fails at once
    # (the folder's write takes it again: the lock is reentrant).
    with run_lock(out, "dashboard", wait=args.wait):
        live = None
        if args.read_organization:
            with aws_errors(f"read the organization from {endpoint or 'AWS'}"):  # AwsReadError: lz's main, exit 2 or 1
                live = read_organization(organizations_client(endpoint))
        compliance = None
        if sources.any:
            access = Access(boto3_base(endpoint), loaded.env) if sources.now else None
            try:
                compliance = read_compliance(loaded.facts, args.env_file, sources, access)
            except (ComplianceError, StoreError) as exc:
                print(f"lz dashboard: {exc}", file=sys.stderr)
                return 2
        index, model = build_dashboard(loaded.facts, args.env_file, loaded.name, out, live=live, compliance=compliance)
    summary = f"{len(model['accounts'])} accounts, {len(model['controls'])} controls, {len(model['network']['vpcs'])} VPCs"
    if compliance is not None:
        summary += f", {len(model['compliance']['findings'])} non-compliant resources ({compliance.source})"
    print(f"lz dashboard: {summary}; open {index.resolve().as_uri()}", file=sys.stderr)
    print(index)
    return 0
