"""Less CPU per request in the local API, which shares the machine's cores with terraform.

Not an AWS behaviour: moto's own work, measured with py-spy over a `make demo` deploy
(96 s of moto CPU on 2 cores, beside 450 s of terraform):
- 10 s: every new account's IAM backend parsed AWS's managed policies again (a 4.7 MB JSON
  string, with MOTO_IAM_LOAD_MANAGED_POLICIES=true) and serialized each document back.
  Parsed once now; each account still gets policy objects of its own.
- 8 s: a log line for every request. Only requests that failed (4xx, 5xx) are logged now:
  those are what the log is read for when a deploy fails (the last lines it prints).
- 5 s: matching a request's host listed moto's package folder on every request. Listed once.
"""

from __future__ import annotations

import functools
import json
from datetime import datetime
from typing import Any

_MARK = "_lz_server_speed"


@functools.cache
def _aws_policies() -> tuple[tuple[str, dict[str, Any]], ...]:
    """(name, constructor arguments) of every AWS managed policy moto ships, parsed once."""
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    return tuple(
        (
            name,
            {
                "default_version_id": data.get("DefaultVersionId"),
                "path": data.get("Path"),
                "document": json.dumps(data.get("Document")),
                "create_date": datetime.fromisoformat(data["CreateDate"]),
                "update_date": datetime.fromisoformat(data["UpdateDate"]),
            },
        )
        for name, data in json.loads(aws_managed_policies_data).items()
    )


def _install_policies() -> None:
    from moto.iam import models

    def init_aws_policies(self) -> list:
        if not models.load_iam_aws_managed_policies():
            return []
        return [
            models.AWSManagedPolicy(name, account_id=self.account_id, region=self.region_name, **args)  # type: ignore[abstract]
            for name, args in _aws_policies()
        ]

    models.IAMBackend._init_aws_policies = init_aws_policies  # type: ignore[method-assign]


def _install_quiet_log() -> None:
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    original = MotoRequestHandler.log_request

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if str(getattr(code, "value", code)).startswith(("4", "5")):
            original(self, code, size)

    MotoRequestHandler.log_request = log_request  # type: ignore[method-assign]


def install() -> None:
    from moto import backends

    if getattr(backends, _MARK, False):
        return
    _install_policies()
    _install_quiet_log()
    modules = frozenset(backends.list_of_moto_modules())  # the installed package does not change
    backends.list_of_moto_modules = lambda: modules
    setattr(backends, _MARK, True)
