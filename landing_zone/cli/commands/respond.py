"""`lz respond ENV --account NAME --runbook NAME --param K=V ... [--dry-run]`: run one runbook in one account."""

from __future__ import annotations

import json
import os
import sys

NAME = "respond"
HELP = "Run a runbook (SSM Automation) in one account as its responder, and print each step's outcome."
ORDER = 60


def add_arguments(parser) -> None:
    parser.add_argument("env_file", metavar="ENV_FILE", help="environment file, e.g. environments/example.yaml")
    parser.add_argument("--account", required=True, metavar="NAME", help="account name (or 12-digit id) to act in")
    parser.add_argument("--runbook", required=True, metavar="NAME", help="runbook name, such as LZ-IsolateEC2Instance")
    parser.add_argument(
        "--param", action="append", default=[], metavar="K=V", help="runbook parameter (repeat; lists comma-separated)"
    )
    parser.add_argument("--dry-run", action="store_true", help="print the role, document and parameters; start nothing")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for the execution (default 600)")


def _client_factory(region: str):
    import boto3

    from ...local_aws.endpoints import ENV_VAR

    endpoint = os.environ.get(ENV_VAR)

    def client(service: str, **credentials):
        return boto3.client(service, region_name=region, endpoint_url=endpoint, **credentials)

    return client


def _account_ids(env, client) -> dict[str, str]:
    ids = {a.name: a.id for a in env.accounts if getattr(a, "id", None)}
    if env.organization.management_account.id:
        ids[env.organization.management_account.name] = env.organization.management_account.id
    paginator = client("organizations").get_paginator("list_accounts")
    for page in paginator.paginate():
        for account in page["Accounts"]:
            ids.setdefault(account["Name"], account["Id"])
    return ids


def run(args) -> int:
    from ...environment import load_environment
    from ...respond.model import ResponseNames
    from ...respond.run import RespondError, RespondRequest, parse_params, plan, respond

    env = load_environment(args.env_file).env
    region = env.organization.home_region
    client = _client_factory(region)
    try:
        params = parse_params(args.param)
        try:
            ids = _account_ids(env, client)
        except Exception as exc:  # no credentials, not the management account: a message, not a traceback
            raise RespondError(f"cannot list the organization's accounts ({type(exc).__name__}: {exc})") from None
        account = args.account if args.account.isdigit() else ids.get(args.account)
        audit = ids.get(env.core.audit_account)
        if account is None or audit is None:
            raise RespondError(
                f"account {args.account if account is None else env.core.audit_account!r} is not in the organization "
                f"(known: {', '.join(sorted(ids))})"
            )
        request = RespondRequest(account, audit, region, args.runbook, params)
        names = ResponseNames.of(env)
        if args.dry_run:
            print(json.dumps(plan(names, request), indent=2))
            return 0
        execution = respond(
            names, request, client, progress=lambda m: print(m, file=sys.stderr, flush=True), timeout=args.timeout
        )
    except RespondError as exc:
        print(f"lz respond: {exc}", file=sys.stderr)
        return 2
    status = execution["AutomationExecutionStatus"]
    print(f"{args.runbook} in {args.account}: {status}")
    if execution.get("FailureMessage"):
        print(execution["FailureMessage"])
    return 0 if status == "Success" else 1
