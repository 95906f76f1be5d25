"""`lz drift ENV [--stacks ...]`: what changed outside terraform, per stack, read with the plan review.

Synthesizes (unless --no-synth), then runs a refresh-only plan in every stack
(read-only: the state is not written) and prints which accounts, OUs,
guardrails and assignments drifted, each resource with the attributes that
differ. Exit 0: no drift; 2: drift; 3: dangerous drift (an SCP detached, the
password policy weakened, or a plan-review danger rule such as an account or
OU gone); 1: terraform failed. The work is landing_zone/deploy/drift.py.
"""

from __future__ import annotations

from ...deploy.orchestrator import DEFAULT_OUT, DEFAULT_PARALLEL
from ...render import add_format_argument
from ...run_lock import add_wait_argument
from .deploy import run_deploy

NAME = "drift"
HELP = "Detect changes made outside terraform (refresh-only plan per stack); exit 0 none, 2 drift, 3 dangerous drift."
ORDER = 41


def add_arguments(parser) -> None:
    parser.add_argument("env_file", metavar="ENV_FILE", help="environment file, e.g. environments/example.yaml")
    parser.add_argument("--stacks", nargs="+", metavar="STACK", help="only these stacks")
    parser.add_argument("--out", help=f"synth output folder (default {DEFAULT_OUT})")
    parser.add_argument("--no-synth", action="store_true", help="check what is already synthesized in --out")
    parser.add_argument(
        "--parallel",
        type=int,
        default=DEFAULT_PARALLEL,
        metavar="N",
        help=f"check up to N stacks at a time (default {DEFAULT_PARALLEL})",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="stream terraform's own output")
    add_format_argument(parser)
    add_wait_argument(parser)


def run(args) -> int:
    return run_deploy("drift", args, drift_only=True, no_tree=True)
