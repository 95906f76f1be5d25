"""`lz guardrails ENV`: which controls apply to every account and from where,
and the SCP budget of every target; `--catalog` lists the control catalog."""
from __future__ import annotations

import json
import sys

from ..output import table

NAME = "guardrails"
HELP = "Show the guardrails of every account (and from where they come) and the SCP budget per target; --catalog lists every control."
ORDER = 30

_CODE = {"root": "R", "ou": "O", "account": "A"}


def add_arguments(parser) -> None:
    parser.add_argument("env_file", nargs="?", metavar="ENV_FILE", help="environment file, e.g. environments/example.yaml")
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--account", metavar="NAME", help="only this account, with every control in detail")
    scope.add_argument("--ou", metavar="PATH", help="only the accounts under this OU path")
    scope.add_argument("--catalog", action="store_true", help="list the control catalog instead (no ENV_FILE needed)")
    scope.add_argument("--cis", action="store_true", help="CIS AWS Foundations Benchmark v3.0.0 coverage instead: implemented / automatable / manual")
    parser.add_argument("--format", choices=("table", "json", "markdown"), default="table", help="output format (default table)")


def render(headers, rows, fmt: str) -> str:
    rows = [[str(c) for c in r] for r in rows]
    if fmt == "markdown":
        out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
        out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
        return "\n".join(out)
    return table(headers, rows)


def _catalog(fmt: str) -> int:
    from ...guardrails.catalog import TIER_LABEL, catalog
    controls = list(catalog().values())
    if fmt == "json":
        json.dump([{"id": c.id, "title": c.title, "tier": TIER_LABEL[c.tier], "behaviour": c.behaviour,
                    "default_targets": list(c.default_targets), "parameters": {p.name: p.description for p in c.parameters.values()},
                    "references": dict(c.references),
                    "config_rule": c.config_rule.source_identifier if c.config_rule else None,
                    "deviations": [d.describe() for d in c.deviations]} for c in controls], sys.stdout, indent=2)
        print()
        return 0
    rows = [(c.id, TIER_LABEL[c.tier], c.behaviour, ", ".join(c.default_targets),
             c.config_rule.source_identifier if c.config_rule else "SCP", c.title) for c in controls]
    print(render(("id", "tier", "behaviour", "default targets", "mechanism", "title"), rows, fmt))
    deviations = [(c.id, d.describe()) for c in controls for d in c.deviations]
    print("\nListed deviations from Control Tower's published controls (every other AWS-GR_* control is as AWS publishes it):")
    print(render(("id", "deviation"), deviations, fmt))
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
        from ...compliance import coverage, render_coverage
        from ...environment import load_environment
        print(render_coverage(coverage(load_environment(args.env_file).facts), args.format))
        return 0
    from ...environment import load_environment
    from ...guardrails.matrix import accounts_in_scope, applied_to, budget_row, budgets_in_scope

    loaded = load_environment(args.env_file)
    env, plan = loaded.env, loaded.facts.guardrail_plan
    names = [a.name for a in env.accounts] + [env.organization.management_account.name]
    if args.account and args.account not in names:
        raise _problem(f"no account {args.account!r} (accounts: {', '.join(names)})")
    if args.ou and args.ou not in plan.tree.nodes:
        raise _problem(f"no OU {args.ou!r} (OUs: {', '.join(plan.tree.nodes)})")
    accounts = accounts_in_scope(plan, args.account, args.ou)
    applied = {name: applied_to(plan, name) for name in accounts}
    budgets = budgets_in_scope(plan, args.account, args.ou)

    if args.format == "json":
        json.dump({"environment": args.env_file,
                   "accounts": {n: [a.as_dict() for a in rows] for n, rows in applied.items()},
                   "scp_budget": [budget_row(b) for b in budgets]}, sys.stdout, indent=2)
        print()
        return 0

    fmt = args.format
    counts = {}
    for c in plan.controls:
        key = "custom" if c.control.custom else c.control.tier.replace("_", " ")
        counts[key] = counts.get(key, 0) + 1
    print(f"{args.env_file}: {len(plan.controls)} controls on ("
          + ", ".join(f"{n} {k}" for k, n in counts.items()) + f"); {len(plan.preventive)} preventive (SCPs), "
          f"{len(plan.detective)} detective (organization Config rules).\n")
    if args.account:
        rows = [(a.control.id, a.tier, a.control.control.behaviour, a.source) for a in applied[args.account]]
        print(f"Controls on account {args.account}:")
        print(render(("control", "tier", "behaviour", "from"), rows, fmt))
    else:
        print("Controls per account (R from the root, O from an OU above, A attached to the account, . not applied; "
              "SCPs never apply to the management account):")
        rows = []
        for control in plan.controls:
            cells = []
            for name in accounts:
                hit = next((a for a in applied[name] if a.control is control), None)
                cells.append(_CODE[hit.via.kind] if hit else ".")
            rows.append([control.id, "P" if control.control.preventive else "D"] + cells)
        headers = ["control", "P/D"] + [str(i + 1) for i in range(len(accounts))]
        print(render(headers, rows, fmt))
        print("\nAccounts: " + ", ".join(f"{i + 1} {name}" for i, name in enumerate(accounts)))
    print("\nSCP budget per target (one slot of each target holds FullAWSAccess):")
    rows = []
    for b in budgets:
        r = budget_row(b)
        chars = ", ".join(f"{c:,}" for c in r["characters"]) or "-"
        rows.append((r["target"], f"{r['policies']} of {r['slots_free_for_guardrails']}", f"{chars} of {r['character_quota']:,} each",
                     r["statements"], len(r["controls"]), "yes" if r["fits"] else "NO"))
    print(render(("target", "SCPs", "characters", "statements", "controls", "fits"), rows, fmt))
    return 0
