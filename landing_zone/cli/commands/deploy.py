"""`lz deploy ENV`: synthesize, then terraform init + apply every stack in dependency order.

`--local` deploys to a local AWS API (a moto server on 127.0.0.1, started
here or reused through LZ_AWS_ENDPOINT) with local state inside the output
folder, so a local run never touches real AWS or real state. `--destroy`
walks the stacks in reverse. The organization is printed as a tree at the end.
One run at a time per output folder (exit 75 when busy; --wait waits). The
first Ctrl-C / SIGTERM lets terraform save its state (exit 130 / 143); a second
kills every child. The work is landing_zone/deploy; this module parses the command line.
"""

from __future__ import annotations

import sys

from ...deploy.orchestrator import DEFAULT_LOCAL_OUT, DEFAULT_OUT, DEFAULT_PARALLEL
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
    parser.add_argument("-v", "--verbose", action="store_true", help="stream terraform's own output")
    add_wait_argument(parser)


def run(args) -> int:
    from ...deploy import Deploy, DeployError, DeployOptions
    from ...local_aws.server import LocalAwsError
    from ...terraform import MirrorError, TerraformError
    from ...terraform.stacks import StackOrderError

    try:
        return Deploy(DeployOptions.from_namespace(args)).run()
    except (DeployError, LocalAwsError, MirrorError, TerraformError, StackOrderError) as exc:
        print(f"lz deploy: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:  # a malformed LZ_AWS_ENDPOINT (check_local_url)
        print(f"lz deploy: {exc}", file=sys.stderr)
        return 2
