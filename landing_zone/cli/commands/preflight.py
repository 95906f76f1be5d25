"""`lz preflight ENV`: read-only checks against the target before the first apply."""

from __future__ import annotations

import os
import sys

from ...environment import load_environment
from ...render import add_format_argument, emit

NAME = "preflight"
HELP = "Read-only checks against the target before the first apply (credentials, features, trusted access, conflicts, quotas, regions, emails), each with its fix."
ORDER = 9


def add_arguments(parser) -> None:
    parser.add_argument("env_file", metavar="ENV_FILE", help="environment file")
    parser.add_argument(
        "--endpoint",
        default=os.environ.get("LZ_AWS_ENDPOINT") or None,
        help="local AWS API URL, http://127.0.0.1:PORT (default LZ_AWS_ENDPOINT; unset: real AWS)",
    )
    add_format_argument(parser)


def run(args) -> int:
    import botocore.exceptions

    from ...live.preflight import AwsClients, exit_code, preflight, preflight_data, preflight_document

    loaded = load_environment(args.env_file)
    try:
        findings = preflight(loaded, AwsClients(endpoint=args.endpoint, region=loaded.env.organization.home_region))
    except ValueError as exc:  # a non-local endpoint
        print(f"lz preflight: {exc}", file=sys.stderr)
        return 2
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
        print(f"lz preflight: cannot read the target: {exc}", file=sys.stderr)
        return 1
    emit(preflight_document(loaded.name, findings), args.format, data=preflight_data(findings))
    return exit_code(findings)
