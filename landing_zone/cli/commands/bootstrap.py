"""`lz bootstrap ENV [--print]`: create the state bucket, the OIDC provider and the CI roles (local state)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ...environment import load_environment
from ...render import add_format_argument, emit

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


def run(args) -> int:
    from ...deploy_target import AWS
    from ...local_aws.server import client_env
    from ...local_aws.target import local_api
    from ...stacks.bootstrap import (
        DEFAULT_OUT,
        BootstrapError,
        BootstrapOptions,
        bootstrap_data,
        bootstrap_document,
        run_bootstrap,
    )
    from ...terraform.runner import TerraformError

    loaded = load_environment(args.env_file)
    try:
        target = local_api(args.endpoint) if args.endpoint else AWS
    except ValueError as exc:
        print(f"lz bootstrap: {exc}", file=sys.stderr)
        return 2
    options = BootstrapOptions(out_dir=args.out or DEFAULT_OUT, target=target)
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
