"""`lz preflight ENV`: read-only checks against the target before the first apply."""

from __future__ import annotations

from ...environment import load_environment
from ...live.endpoint import add_endpoint_argument, aws_errors
from ...render import add_format_argument, emit

NAME = "preflight"
HELP = "Read-only checks against the target before the first apply (credentials, features, trusted access, conflicts, quotas, regions, emails), each with its fix."
ORDER = 9


def add_arguments(parser) -> None:
    parser.add_argument("env_file", metavar="ENV_FILE", help="environment file")
    add_endpoint_argument(parser)
    add_format_argument(parser)


def run(args) -> int:
    from ...live.preflight import AwsClients, exit_code, preflight, preflight_data, preflight_document

    loaded = load_environment(args.env_file)
    with aws_errors("read the target"):  # AwsReadError: printed by lz's main (2: bad endpoint, 1: AWS error)
        findings = preflight(loaded, AwsClients(endpoint=args.endpoint, region=loaded.env.organization.home_region))
    emit(preflight_document(loaded.name, findings), args.format, data=preflight_data(findings))
    return exit_code(findings)
