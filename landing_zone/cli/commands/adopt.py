"""`lz adopt ENV`: import blocks for what already exists in the live organization (read-only)."""

from __future__ import annotations

import sys
from pathlib import Path

from ...environment import load_environment
from ...live.endpoint import add_endpoint_argument, aws_errors
from ...render import add_format_argument, emit
from ...run_lock import add_wait_argument

NAME = "adopt"
HELP = (
    "Read the live organization and write Terraform import blocks for what exists and matches the file; report the rest;"
    " on a Control Tower organization, set organization.access_role_name to AWSControlTowerExecution in the file."
)
ORDER = 10


def add_arguments(parser) -> None:
    parser.add_argument("env_file", metavar="ENV_FILE", help="environment file")
    parser.add_argument(
        "--synth-dir", type=Path, default=Path("cdktf.out"), help="synthesized app (default cdktf.out; run lz synth first)"
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="import blocks file (default <synth dir>/stacks/management/adopt-imports.tf.json, read by the next plan of that stack)",
    )
    add_endpoint_argument(parser)
    add_format_argument(parser)
    add_wait_argument(parser)


def run(args) -> int:
    from ...live.adopt import (
        adopt_data,
        adopt_document,
        plan_adoption,
        read_management_stack,
        set_control_tower_access_role,
        write_imports,
    )
    from ...live.preflight import AwsClients

    loaded = load_environment(args.env_file)
    try:
        with aws_errors("read the organization"):  # AwsReadError: printed by lz's main (2: bad endpoint, 1: AWS error)
            stack = read_management_stack(args.synth_dir)
            plan = plan_adoption(loaded, stack, AwsClients(endpoint=args.endpoint, region=loaded.env.organization.home_region))
    except FileNotFoundError as exc:
        print(f"lz adopt: {exc}", file=sys.stderr)
        return 2
    set_control_tower_access_role(plan, Path(args.env_file), loaded.file)
    written = None
    if plan.imports:
        written = write_imports(plan, args.output or args.synth_dir / "stacks" / "management" / "adopt-imports.tf.json")
    emit(adopt_document(loaded.name, plan, written), args.format, data=adopt_data(plan))
    return 0
