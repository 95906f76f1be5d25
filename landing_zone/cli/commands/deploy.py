"""`lz deploy ENV`: synthesize, then terraform init + apply every stack in dependency order.

Against AWS (no `--local`) it plans first: a saved plan per stack (into
`--plans`, default plans/), the plan review printed, a danger rule stops it
(exit 3) unless `--allow RULE`, then a terminal must confirm (`yes`; the
organization's name for `--destroy`) unless `--yes`; without a terminal and
without `--yes` nothing applies (exit 1). It applies exactly the saved plans.
`--from-plans DIR` applies what `lz plan` saved in DIR, after the same review
and confirmation.

`--local` deploys to a local AWS API (a moto server on 127.0.0.1, started
here or reused through LZ_AWS_ENDPOINT) with local state inside the output
folder, so a local run never touches real AWS or real state. It applies
directly, unless `--plan-first`: then it goes the AWS way above (plans in
plans.local/ beside the output folder; `--from-plans` needs the server that
planned them, reused). `--destroy`
walks the stacks in reverse. The organization is printed as a tree at the end.
One run at a time per output folder (exit 75 when busy; --wait waits). The
first Ctrl-C / SIGTERM lets terraform save its state (exit 130 / 143); a second
kills every child. The work is landing_zone/deploy; this module parses the command line.
"""

from __future__ import annotations

import dataclasses
import sys

from ...deploy.orchestrator import DEFAULT_LOCAL_OUT, DEFAULT_OUT, DEFAULT_PARALLEL, DEFAULT_PLANS
from ...render import add_format_argument
from ...run_lock import add_wait_argument

NAME = "deploy"
HELP = "Synthesize and terraform-apply every stack in dependency order (--local: to a moto server on 127.0.0.1)."
ORDER = 40


def add_arguments(parser) -> None:
    parser.add_argument("env_file", metavar="ENV_FILE", help="environment file, e.g. environments/example.yaml")
    parser.add_argument(
        "--local",
        action="store_true",
        help="deploy to a local AWS API: reuse LZ_AWS_ENDPOINT when it answers, else start a moto "
        "server on 127.0.0.1 and stop it at the end",
    )
    parser.add_argument("--keep", action="store_true", help="with --local: leave the server running and print how to reach it")
    parser.add_argument(
        "--plan-first",
        action="store_true",
        help="with --local: deploy as against AWS (saved plans, review, confirmation or --yes, apply exactly "
        "those plans); against AWS it is always so",
    )
    parser.add_argument("--destroy", action="store_true", help="destroy the stacks instead, in reverse dependency order")
    parser.add_argument("--stacks", nargs="+", metavar="STACK", help="only these stacks (still in dependency order)")
    parser.add_argument("--out", help=f"synth output folder (default {DEFAULT_OUT}; with --local {DEFAULT_LOCAL_OUT})")
    parser.add_argument("--no-synth", action="store_true", help="deploy what is already synthesized in --out")
    parser.add_argument(
        "--allow-destroy-accounts",
        action="store_true",
        help="with --local only: synthesize without prevent_destroy on the organization, OUs and "
        "accounts, so --destroy can remove them (test runs)",
    )
    parser.add_argument("--no-tree", action="store_true", help="do not print the organization tree")
    parser.add_argument(
        "--parallel",
        type=int,
        default=DEFAULT_PARALLEL,
        metavar="N",
        help=f"run up to N independent stacks at a time (default {DEFAULT_PARALLEL}; 1: one by one)",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="-v: a line per terraform command and per resource (default: a line per stack); -vv: terraform's own output",
    )
    add_wait_argument(parser)
    add_plan_first_arguments(parser)
    parser.add_argument(
        "--from-plans",
        metavar="DIR",
        help="apply the saved plans `lz plan` wrote to DIR (after their review and confirmation; no synth, no new plan)",
    )
    parser.add_argument(
        "--yes",
        action="store_true",
        help="against AWS (or --local --plan-first): apply the reviewed plans without asking (CI); --destroy included",
    )


def add_plan_first_arguments(parser, *flags: str) -> None:
    """What `lz plan` and the plan-first `lz deploy` share: the plans folder (`flags`: more names for it),
    --allow and the review's format."""
    parser.add_argument(
        "--plans",
        *flags,
        metavar="DIR",
        help=f"folder of the saved plans and their JSON (default {DEFAULT_PLANS} beside the synth folder; private: they hold secrets)",
    )
    parser.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="RULE",
        help="accept changes caught by this danger rule (repeatable; see lz plan-review --rules)",
    )
    add_format_argument(parser)


def options_from(args, **extra):
    """DeployOptions from parsed arguments, with --allow checked and split on commas."""
    from ...deploy import DeployError, DeployOptions
    from ...review.danger import RULE_NAMES, unknown_rules

    allow = tuple(name.strip() for value in getattr(args, "allow", []) for name in value.split(",") if name.strip())
    unknown = unknown_rules(allow)
    if unknown:
        raise DeployError(f"unknown rule(s) for --allow: {', '.join(unknown)}; the rules are: {', '.join(RULE_NAMES)}")
    return dataclasses.replace(DeployOptions.from_namespace(args), allow=allow, **extra)


def run_deploy(command: str, args, **extra) -> int:
    """Run a Deploy for `lz deploy` or `lz plan`; every expected failure is one line, exit 1 (2: bad input)."""
    from ...deploy import Deploy, DeployError
    from ...deploy.plan_first import NotConfirmed
    from ...deploy.planning import PlanSetError
    from ...local_aws.server import LocalAwsError
    from ...review.manifest import ManifestError
    from ...review.plans import PlanError
    from ...terraform import MirrorError, TerraformError
    from ...terraform.stacks import StackOrderError

    try:
        return Deploy(options_from(args, **extra)).run()
    except (
        DeployError,
        LocalAwsError,
        MirrorError,
        TerraformError,
        StackOrderError,
        NotConfirmed,
        PlanSetError,
        PlanError,
        ManifestError,
    ) as exc:
        print(f"lz {command}: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:  # a malformed LZ_AWS_ENDPOINT (check_local_url)
        print(f"lz {command}: {exc}", file=sys.stderr)
        return 2


def run(args) -> int:
    return run_deploy("deploy", args)
