"""`lz tree`: print the organization as the AWS API reports it (OU paths, accounts, ids)."""

from __future__ import annotations

import os
import sys

from ...live.organization import print_tree

NAME = "tree"
HELP = "Print the organization (OU paths, account names and ids) as the AWS API reports it."
ORDER = 60


def add_arguments(parser) -> None:
    parser.add_argument(
        "--endpoint",
        default=os.environ.get("LZ_AWS_ENDPOINT") or None,
        help="local AWS API URL, http://127.0.0.1:PORT (default LZ_AWS_ENDPOINT; unset: real AWS)",
    )


def run(args) -> int:
    try:
        return print_tree(args.endpoint)
    except ValueError as exc:  # a non-local endpoint
        print(f"lz tree: {exc}", file=sys.stderr)
        return 2
