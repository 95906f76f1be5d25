"""`lz guardrails ENV`: which controls apply to every account and from where,
and the SCP budget of every target; `--catalog` lists the control catalog."""

from __future__ import annotations

from ...render import add_format_argument, emit

NAME = "guardrails"
HELP = "Show the guardrails of every account (and from where they come) and the SCP budget per target; --catalog lists every control."
ORDER = 30


def add_arguments(parser) -> None:
    parser.add_argument("env_file", nargs="?", metavar="ENV_FILE", help="environment file, e.g. environments/example.yaml")
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--account", metavar="NAME", help="only this account, with every control in detail")
    scope.add_argument("--ou", metavar="PATH", help="only the accounts under this OU path")
    scope.add_argument("--catalog", action="store_true", help="list the control catalog instead (no ENV_FILE needed)")
    scope.add_argument(
        "--cis",
        action="store_true",
        help="CIS AWS Foundations Benchmark v3.0.0 coverage instead: implemented / automatable / manual",
    )
    add_format_argument(parser)


def _catalog(fmt: str) -> int:
    from ...guardrails.report import catalog_report

    doc, data = catalog_report()
    emit(doc, fmt, data=data)
    return 0


def _problem(message: str):
    from ...config.problems import ConfigError, Location, Problem

    return ConfigError([Problem(Location("lz guardrails"), "", message)])


def run(args) -> int:
    if args.catalog:
        return _catalog(args.format)
    if not args.env_file:
        raise _problem("give an environment file (or --catalog to list the controls)")
    if args.cis:
        from ...compliance import coverage
        from ...compliance.report import as_dict, coverage_document
        from ...environment import load_environment

        cov = coverage(load_environment(args.env_file).facts)
        emit(coverage_document(cov), args.format, data=as_dict(cov))
        return 0
    from ...environment import load_environment
    from ...guardrails.report import matrix_report

    loaded = load_environment(args.env_file)
    env, plan = loaded.env, loaded.facts.guardrail_plan
    names = [a.name for a in env.accounts] + [env.organization.management_account.name]
    if args.account and args.account not in names:
        raise _problem(f"no account {args.account!r} (accounts: {', '.join(names)})")
    if args.ou and args.ou not in plan.tree.nodes:
        raise _problem(f"no OU {args.ou!r} (OUs: {', '.join(plan.tree.nodes)})")
    doc, data = matrix_report(plan, args.env_file, args.account, args.ou)
    emit(doc, args.format, data=data)
    return 0
