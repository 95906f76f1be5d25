"""`lz dashboard ENV_FILE [--out DIR] [--read-organization]`: the whole landing zone as one static HTML site.

Writes DIR/index.html with its data, script and style (no server, no
network: open it from file://, keep it as a CI artifact or publish it on
GitHub Pages). The folder is replaced whole, atomically. With
`--read-organization` the account ids and suspended status come from the
organization as the AWS API reports it (`--endpoint` for the local API).
"""

from __future__ import annotations

import os
import sys

from ...environment import load_environment
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
    parser.add_argument(
        "--endpoint",
        default=os.environ.get("LZ_AWS_ENDPOINT") or None,
        help="with --read-organization: local AWS API URL, http://127.0.0.1:PORT (default LZ_AWS_ENDPOINT; unset: real AWS)",
    )
    add_wait_argument(parser)


def run(args) -> int:
    from ...dashboard.site import build_dashboard
    from ...live.organization import organizations_client, read_organization

    loaded = load_environment(args.env_file)
    live = None
    if args.read_organization:
        import botocore.exceptions

        try:
            live = read_organization(organizations_client(args.endpoint))
        except ValueError as exc:  # a non-local endpoint
            print(f"lz dashboard: {exc}", file=sys.stderr)
            return 2
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
            print(f"lz dashboard: cannot read the organization from {args.endpoint or 'AWS'}: {exc}", file=sys.stderr)
            return 1
    out = args.out or f"cdktf.out/dashboard-{loaded.name}"
    index, model = build_dashboard(loaded.facts, args.env_file, loaded.name, out, live=live)
    print(
        f"lz dashboard: {len(model['accounts'])} accounts, {len(model['controls'])} controls, "
        f"{len(model['network']['vpcs'])} VPCs; open {index.resolve().as_uri()}",
        file=sys.stderr,
    )
    print(index)
    return 0
