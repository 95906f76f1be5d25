"""`lz bootstrap ENV [--print]`: create the state bucket, the OIDC provider and the CI roles (local state)."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from ...environment import load_environment
from ...fs_errors import fs_errors
from ...render import add_format_argument, emit
from ...run_lock import add_wait_argument, run_lock

NAME = "bootstrap"
HELP = (
    "Create the state bucket, the OIDC provider and the CI plan, apply and deployment roles, once, with management credentials."
)
ORDER = 8


def add_arguments(parser) -> None:
    parser.add_argument("env_file", metavar="ENV_FILE", help="environment file with a ci: section")
    parser.add_argument("--print", dest="print_only", action="store_true", help="show what it will create; apply nothing")
    parser.add_argument("--out", type=Path, default=None, help="synth folder (default cdktf.out.bootstrap)")
    parser.add_argument(
        "--endpoint",
        default=os.environ.get("LZ_AWS_ENDPOINT") or None,
        help="local AWS API URL, http://127.0.0.1:PORT (default LZ_AWS_ENDPOINT; unset: real AWS)",
    )
    add_format_argument(parser)
    add_wait_argument(parser)


DEFAULT_OUT = Path("cdktf.out.bootstrap")  # stacks.bootstrap.DEFAULT_OUT (not imported here: it loads cdktf)


def run(args) -> int:
    loaded = load_environment(args.env_file)
    out_dir = args.out or DEFAULT_OUT
    # One bootstrap at a time per synth folder (its local state beside it): RunLockBusy, exit 75, taken before
    # cdktf loads, so a second run is refused at once.
    with contextlib.ExitStack() as held:
        with fs_errors("write the bootstrap output", out_dir):  # a read-only folder: one line, exit 2
            held.enter_context(run_lock(out_dir, "bootstrap"))
        return _run_locked(args, loaded, out_dir)


def _run_locked(args, loaded, out_dir: Path) -> int:
    from ...deploy_target import AWS
    from ...local_aws.server import client_env
    from ...local_aws.target import local_api
    from ...node_runtime import prepare_node_runtime

    prepare_node_runtime()  # before cdktf loads: jsii prints its banner while it loads
    from ...stacks.bootstrap import BootstrapError, BootstrapOptions, bootstrap_data, bootstrap_document, run_bootstrap
    from ...terraform.runner import TerraformError

    try:
        target = local_api(args.endpoint) if args.endpoint else AWS
    except ValueError as exc:
        print(f"lz bootstrap: {exc}", file=sys.stderr)
        return 2
    options = BootstrapOptions(out_dir=out_dir, target=target)
    env = client_env(args.endpoint) if args.endpoint else None
    try:
        result = run_bootstrap(
            loaded, options, print_only=args.print_only, terraform_env=env, progress=lambda m: print(m, file=sys.stderr)
        )
    except BootstrapError as exc:
        print(f"lz bootstrap: {exc}", file=sys.stderr)
        return 2
    except TerraformError as exc:
        print(f"lz bootstrap: {exc}", file=sys.stderr)
        return 1
    emit(bootstrap_document(result), args.format, data=bootstrap_data(result))
    return 0
