"""`lz root-credentials ENV`: which member accounts still have root credentials (read-only).

Runs with the management account's credentials (or `--endpoint`, the local API): a root session per member
account (STS AssumeRoot, task policy IAMAuditRootUserCredentials) reads the root user's password, access keys,
MFA devices and signing certificates. Exit 0: none has any; 2: some do; 1: some could not be read (root
sessions off, access denied). The work is landing_zone/live/root_credentials.py.
"""

from __future__ import annotations

from ...environment import load_environment
from ...live.endpoint import add_endpoint_argument, aws_errors
from ...render import add_format_argument, emit

NAME = "root-credentials"
HELP = "Which member accounts still have a root password, access keys, MFA or certificates (centralized root access; read-only); exit 0 none, 2 some, 1 unreadable."
ORDER = 62


def add_arguments(parser) -> None:
    parser.add_argument("env_file", metavar="ENV_FILE", help="environment file")
    add_endpoint_argument(parser)
    add_format_argument(parser)


def run(args) -> int:
    from ...live.preflight import AwsClients
    from ...live.root_credentials import exit_code, read_root_credentials, root_credentials_data, root_credentials_document

    loaded = load_environment(args.env_file)
    with aws_errors("read the organization's root credentials"):
        rows = read_root_credentials(AwsClients(endpoint=args.endpoint, region=loaded.env.organization.home_region))
    emit(root_credentials_document(loaded.name, rows), args.format, data=root_credentials_data(rows))
    return exit_code(rows)
