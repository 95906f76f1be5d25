"""`lz plan ENV [--stacks ...] [-o DIR]`: a saved terraform plan per stack, and its review.

Synthesizes (unless --no-synth), then plans every stack in dependency order
into DIR (default plans/): `<stack>/tfplan`, `<stack>/<stack>.json` (what
`lz plan-review DIR` reads), the review manifest and `lz-plan.json`. A stack
whose inputs wait for an earlier stack's apply is marked deferred, never
planned with stale inputs. Prints the plan review; exit 3 when a danger rule
fires (unless --allow RULE), 1 when terraform fails. `lz deploy ENV
--from-plans DIR` applies exactly these plans. The work is landing_zone/deploy.
"""

from __future__ import annotations

from ...deploy.orchestrator import DEFAULT_OUT, DEFAULT_PARALLEL
from ...run_lock import add_wait_argument
from .deploy import add_plan_first_arguments, run_deploy

NAME = "plan"
HELP = "Write a saved terraform plan per stack (dependency order) and print their plan review; exit 3 on a danger."
ORDER = 39


def add_arguments(parser) -> None:
    parser.add_argument("env_file", metavar="ENV_FILE", help="environment file, e.g. environments/example.yaml")
    parser.add_argument("--stacks", nargs="+", metavar="STACK", help="only these stacks (still in dependency order)")
    parser.add_argument("--destroy", action="store_true", help="destroy plans instead, in reverse dependency order")
    parser.add_argument("--out", help=f"synth output folder (default {DEFAULT_OUT})")
    parser.add_argument("--no-synth", action="store_true", help="plan what is already synthesized in --out")
    parser.add_argument(
        "--parallel",
        type=int,
        default=DEFAULT_PARALLEL,
        metavar="N",
        help=f"plan up to N independent stacks at a time (default {DEFAULT_PARALLEL})",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="stream terraform's own output")
    add_plan_first_arguments(parser, "-o")
    add_wait_argument(parser)


def run(args) -> int:
    return run_deploy("plan", args, plan_only=True, no_tree=True)
