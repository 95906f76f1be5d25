"""`lz simulate ENV --account NAME --action svc:Action ...`: would the
account's effective SCPs allow this request? Offline, from the config."""

from __future__ import annotations

from ...render import add_format_argument, emit

NAME = "simulate"
HELP = (
    "Evaluate an account's effective SCPs for one request and print ALLOWED or DENIED with the deciding "
    "statement and control (exit 0 allowed, 1 denied)."
)
ORDER = 31


def add_arguments(parser) -> None:
    parser.add_argument("env_file", metavar="ENV_FILE", help="environment file, e.g. environments/example.yaml")
    parser.add_argument("--account", required=True, metavar="NAME", help="account the request is made in")
    parser.add_argument("--action", required=True, metavar="SVC:ACTION", help="the API action, e.g. cloudtrail:StopLogging")
    parser.add_argument("--resource", default="*", metavar="ARN", help="resource ARN (default '*')")
    parser.add_argument(
        "--principal",
        metavar="ARN",
        help="caller ARN, or 'root' for the account's root user (default a role named Developer in the account)",
    )
    parser.add_argument("--region", metavar="REGION", help="requested region (default the home region)")
    parser.add_argument(
        "--context",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra request context, repeatable; commas give a multi-valued key (aws:TagKeys=a,b)",
    )
    add_format_argument(parser)


def _problem(*messages: str):
    from ...config.problems import ConfigError, Location, Problem

    return ConfigError([Problem(Location("lz simulate"), "", message) for message in messages])


def _context(pairs: list[str]) -> dict[str, list[str]]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise _problem(f"--context {pair!r} is not KEY=VALUE (such as aws:MultiFactorAuthPresent=true)")
        out[key] = value.split(",") if value else []
    return out


def run(args) -> int:
    from ...environment import load_environment
    from ...guardrails.simulator import Request, account_id, decision_document, simulate
    from ...policy_reference.simulate_request import request_problems

    bad = request_problems(args.action, args.resource, args.principal, args.region)
    if bad:
        raise _problem(*bad)
    loaded = load_environment(args.env_file)
    env, plan = loaded.env, loaded.facts.guardrail_plan
    names = [a.name for a in env.accounts] + [env.organization.management_account.name]
    if args.account not in names:
        raise _problem(f"no account {args.account!r} (accounts: {', '.join(names)})")
    acct = account_id(plan, args.account)
    principal = args.principal or f"arn:aws:iam::{acct}:role/Developer"
    if principal == "root":
        principal = f"arn:aws:iam::{acct}:root"
    request = Request(args.action, args.resource, principal, args.region or env.organization.home_region, _context(args.context))
    decision = simulate(plan, args.account, request)
    data = {
        "account": args.account,
        "action": request.action,
        "resource": request.resource,
        "principal": request.principal,
        "region": request.region,
        **decision.as_dict(),
    }
    emit(decision_document(decision, request, args.account), args.format, data=data)
    return 0 if decision.allowed else 1
