"""Credentials for the compliance commands: the caller's (management) account, and a role in each account.

`Access` wraps a base client maker (boto3, pointed at AWS or the local API by
the CLI) and assumes the landing zone's access role
(`organization.access_role_name`) in the audit account or any member
account, as the stacks' providers do. Every failure a person can fix (no
credentials, the wrong account, a role that cannot be assumed) becomes a
`ComplianceError` with what to do (exit 2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlsplit

BaseClient = Callable[..., Any]  # (service, region, **credentials) -> boto3 client


class ComplianceError(Exception):
    """Something a person can fix: credentials, account, a missing aggregator (message; exit 2)."""


def _code(exc: Exception) -> str:
    return getattr(exc, "response", {}).get("Error", {}).get("Code", "") or type(exc).__name__


@dataclass
class Access:
    base: BaseClient
    env: Any  # config.models.Environment
    _credentials: dict[str, dict] = field(default_factory=dict)
    _ids: dict[str, str] | None = None
    management_id: str = ""

    @property
    def home(self) -> str:
        return str(self.env.organization.home_region)

    def check_caller(self) -> None:
        """The caller must be the organization's management account (the access role is assumed from there)."""
        try:
            caller = self.base("sts", self.home).get_caller_identity()["Account"]
        except Exception as exc:
            if type(exc).__name__ in ("NoCredentialsError", "PartialCredentialsError"):
                raise ComplianceError(
                    "no AWS credentials: use the management account's (AWS_PROFILE or AWS_ACCESS_KEY_ID), "
                    "or set LZ_AWS_ENDPOINT for the local API"
                ) from None
            raise ComplianceError(f"cannot tell who the credentials belong to ({_code(exc)}: {exc})") from None
        try:
            org = self.base("organizations", self.home).describe_organization()["Organization"]
        except Exception as exc:
            raise ComplianceError(
                f"account {caller} cannot read the organization ({_code(exc)}); use the management account's credentials"
            ) from None
        expected = self.env.organization.management_account.id or org["MasterAccountId"]
        if caller != org["MasterAccountId"] or caller != expected:
            raise ComplianceError(
                f"the credentials are account {caller}'s; lz compliance needs the management account's ({expected})"
            )
        self.management_id = caller

    def account_ids(self) -> dict[str, str]:
        """Account name -> id, from the config (adopted accounts) and the organization."""
        if self._ids is None:
            ids = {a.name: a.id for a in self.env.accounts if getattr(a, "id", None)}
            mgmt = self.env.organization.management_account
            if mgmt.id:
                ids[mgmt.name] = mgmt.id
            organizations = self.base("organizations", self.home)
            for page in organizations.get_paginator("list_accounts").paginate():
                for account in page["Accounts"]:
                    ids.setdefault(account["Name"], account["Id"])
            if self.management_id:
                ids.setdefault(mgmt.name, self.management_id)
            self._ids = ids
        return self._ids

    def account_id(self, name: str) -> str:
        ids = self.account_ids()
        if name.isdigit() and len(name) == 12:
            return name
        if name not in ids:
            raise ComplianceError(f"account {name!r} is not in the organization (known: {', '.join(sorted(ids))})")
        return ids[name]

    def client(self, service: str, region: str, account_id: str | None = None) -> Any:
        """A client in `account_id` (through the access role; the caller's own for the management account)."""
        if account_id is None or account_id == self.management_id:
            return self.base(service, region)
        if account_id not in self._credentials:
            role = f"arn:aws:iam::{account_id}:role/{self.env.organization.access_role_name}"
            try:
                self._credentials[account_id] = self.base("sts", self.home).assume_role(
                    RoleArn=role, RoleSessionName="lz-compliance"
                )["Credentials"]
            except Exception as exc:
                raise ComplianceError(f"cannot assume {role} ({_code(exc)}: {exc})") from None
        c = self._credentials[account_id]
        return self.base(
            service,
            region,
            aws_access_key_id=c["AccessKeyId"],
            aws_secret_access_key=c["SecretAccessKey"],
            aws_session_token=c["SessionToken"],
        )


def boto3_base(endpoint: str | None) -> BaseClient:
    """The base client maker for `Access`: boto3 with the caller's credentials, at `endpoint` when given.

    The caller checks the endpoint first (local_aws.endpoints.check_local_url: 127.0.0.1 only). At an
    endpoint S3 Control's requests lose the account-id host prefix: `<account id>.127.0.0.1` resolves
    nowhere (and NO_PROXY=127.0.0.1 keeps it from the proxy that serves terraform's calls there); the
    account id still travels in its header.
    """
    local = re.compile(r"//\d{12}\." + re.escape(urlsplit(endpoint).netloc)) if endpoint else None

    def strip_account_host(request: Any, **_: Any) -> None:
        assert local is not None and endpoint is not None
        request.url = local.sub("//" + urlsplit(endpoint).netloc, request.url, count=1)

    def base(service: str, region: str, **credentials: Any) -> Any:
        import boto3

        client = boto3.client(service, region_name=region, endpoint_url=endpoint, **credentials)
        if local is not None and service == "s3control":
            client.meta.events.register("before-sign.s3-control", strip_account_host)
        return client

    return base
