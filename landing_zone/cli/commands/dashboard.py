"""`lz dashboard ENV_FILE [--out DIR] [--read-organization]`: the whole landing zone as one static HTML site.

Writes DIR/index.html with its data, script and style (no server, no
network: open it from file://, keep it as a CI artifact or publish it on
GitHub Pages). The folder is replaced whole, atomically. With
`--read-organization` the account ids and suspended status come from the
organization as the AWS API reports it (`--endpoint` for the local API).
"""

from __future__ import annotations

import sys

from ...environment import load_environment
from ...live.endpoint import add_endpoint_argument, aws_errors
from ...run_lock import add_wait_argument

NAME = "dashboard"
HELP = "Write a static HTML dashboard (organization, guardrails, access, network) of the environment."
ORDER = 38


def add_arguments(parser) -> None:
    parser.add_argument("env_file", metavar="ENV_FILE", help="environment file, e.g. environments/example.yaml")
    parser.add_argument("--out", metavar="DIR", default=None, help="folder to write (default cdktf.out/dashboard-<env>)")
    parser.add_argument(
        "--read-organization",
        action="store_true",
        help="add account ids and status from the organization as the AWS API reports it",
    )
    add_endpoint_argument(parser, only_with="--read-organization")
    add_wait_argument(parser)


def run(args) -> int:
    from ...dashboard.site import build_dashboard
    from ...live.organization import organizations_client, read_organization

    loaded = load_environment(args.env_file)
    live = None
    if args.read_organization:
        with aws_errors(f"read the organization from {args.endpoint or 'AWS'}"):  # AwsReadError: lz's main, exit 2 or 1
            live = read_organization(organizations_client(args.endpoint))
    out = args.out or f"cdktf.out/dashboard-{loaded.name}"
    index, model = build_dashboard(loaded.facts, args.env_file, loaded.name, out, live=live)
    print(
        f"lz dashboard: {len(model['accounts'])} accounts, {len(model['controls'])} controls, "
        f"{len(model['network']['vpcs'])} VPCs; open {index.resolve().as_uri()}",
        file=sys.stderr,
    )
    print(index)
    return 0
