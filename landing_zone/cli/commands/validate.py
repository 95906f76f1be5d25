"""`lz validate ENV_FILE...`: check environment files; summary or every problem."""

from __future__ import annotations

from dataclasses import replace

from ...environment import ConfigError, load_environment
from ...render import add_format_argument, dumps_json, print_problems, render_problems

NAME = "validate"
HELP = "Validate environment files; print a summary or every problem (exit 2 when invalid)."
ORDER = 10


def add_arguments(parser) -> None:
    parser.add_argument("env_files", nargs="+", metavar="ENV_FILE", help="environment file(s), e.g. environments/example.yaml")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings as errors, and advise on the environment's own "
        'policies (Resource "*" where the actions can be scoped to resources)',
    )
    add_format_argument(parser)
    parser.add_argument(
        "--base",
        metavar="BASE_FILE",
        help="the environment before this change (e.g. from the target branch): "
        "also reject account replacements, unsafe removals and too many closures",
    )


def summary(loaded) -> str:
    env = loaded.env
    org = env.organization
    tree = loaded.facts.tree
    depth = max((d + 1 for d, _ in tree.walk()), default=0)
    adopted = sum(1 for a in env.accounts if a.id)
    warn = f"{len(loaded.warnings)} warning(s)" if loaded.warnings else "no warnings"
    return (
        f"{loaded.file}: valid. Organization {org.name!r} with {len(env.organizational_units)} OUs "
        f"(depth {depth} of {env.limits.ou_depth}) and {len(env.accounts)} member accounts "
        f"({adopted} adopted, {len(env.accounts) - adopted} to create) plus the management account; "
        f"home region {org.home_region}, {len(org.governed_regions)} governed region(s) "
        f"({', '.join(org.governed_regions)}); core OU {env.core.security_ou!r} with log archive "
        f"{env.core.log_archive_account!r} and audit {env.core.audit_account!r}; {warn}."
    )


def strict_errors(found):
    """Warnings made errors by --strict, each saying so (the count and the exit code follow)."""
    return [
        replace(p, severity="error", message=f"{p.message} [a warning; --strict makes it an error]")
        if p.severity == "warning"
        else p
        for p in found
    ]


def run(args) -> int:
    results, problems, status = [], [], 0
    for path in args.env_files:
        try:
            loaded = load_environment(path)
        except ConfigError as exc:
            problems.extend(exc.problems)
            status = 2
            continue
        if args.strict:  # warnings count as errors, and the environment's own policies get advice too
            from ...config.problems import sort_problems
            from ...rules.context import RuleContext
            from ...rules.policies import policy_advice

            advice = policy_advice(RuleContext(loaded.facts, loaded.data, loaded.file))
            if loaded.warnings or advice:
                problems.extend(strict_errors(sort_problems(list(loaded.warnings) + advice)))
                status = 2
                continue
        problems.extend(loaded.warnings)
        if getattr(args, "base", None):
            from ...config.lifecycle import lifecycle_problems

            try:
                changed = lifecycle_problems(load_environment(args.base), loaded)
            except ConfigError as exc:
                changed = exc.problems
            problems.extend(changed)
            if changed:  # not valid against its base: no "valid." line above the errors
                status = 2
                continue
        results.append(loaded)
    if args.format == "json":
        print(
            dumps_json(
                {
                    "valid": status == 0,
                    "environments": [
                        {
                            "file": r.file,
                            "organization": r.env.organization.name,
                            "ous": len(r.env.organizational_units),
                            "accounts": len(r.env.accounts),
                        }
                        for r in results
                    ],
                    "problems": [p.as_dict() for p in problems],
                }
            )
        )
        return status
    if args.format == "markdown":
        if problems:
            print(render_problems(problems, "markdown") + "\n")
        print("\n".join(f"- {summary(loaded)}" for loaded in results))
        return status
    if problems:
        print_problems(problems)
    for loaded in results:
        print(summary(loaded))
    return status
