"""The target of the commands that read AWS (adopt, preflight, dashboard): one `--endpoint` argument and one
way of reporting what goes wrong while reading it.

    add_endpoint_argument(parser)               # --endpoint URL, default LZ_AWS_ENDPOINT
    with aws_errors("read the organization"):   # inside run(); lz's main prints AwsReadError
        clients = AwsClients(endpoint=args.endpoint, ...)

A malformed or non-local endpoint (ValueError from local_aws.endpoints) is
bad input: one line, exit 2. An AWS error (botocore's BotoCoreError or
ClientError: no credentials, access denied, a dead endpoint) is one line,
`cannot <what>: <error>`, exit 1. No botocore import until an error happens.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from typing import Iterator


class AwsReadError(Exception):
    """Reading the target failed; `code` is the exit status (2: bad endpoint, 1: AWS said no)."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def add_endpoint_argument(parser: argparse.ArgumentParser, *, only_with: str = "") -> None:
    """`--endpoint URL`: the local AWS API (default LZ_AWS_ENDPOINT; unset: real AWS). `only_with`: the
    option it goes with, named in the help (dashboard: --read-organization)."""
    prefix = f"with {only_with}: " if only_with else ""
    parser.add_argument(
        "--endpoint",
        default=os.environ.get("LZ_AWS_ENDPOINT") or None,
        help=f"{prefix}local AWS API URL, http://127.0.0.1:PORT (default LZ_AWS_ENDPOINT; unset: real AWS)",
    )


def _is_aws_error(exc: BaseException) -> bool:
    import botocore.exceptions

    return isinstance(exc, (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError))


@contextlib.contextmanager
def aws_errors(what: str) -> Iterator[None]:
    """Turn a bad endpoint (exit 2) or an AWS error (exit 1) of the block into AwsReadError."""
    try:
        yield
    except ValueError as exc:  # a malformed or non-local endpoint
        raise AwsReadError(str(exc), 2) from None
    except Exception as exc:
        if _is_aws_error(exc):
            raise AwsReadError(f"cannot {what}: {exc}", 1) from None
        raise
