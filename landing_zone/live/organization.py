"""The live organization as the AWS API reports it: OU paths, accounts, ids, delegated administrators.

`lz tree` and `lz deploy` print it; the dashboard and the drift report read
the same view. Reads with boto3 using the usual AWS credentials, or the local
AWS API (an endpoint on 127.0.0.1) with dummy credentials.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field


@dataclass
class LiveOu:
    """One OU (or the root) as read back from the API."""

    id: str
    name: str
    path: str
    accounts: list[dict] = field(default_factory=list)
    children: list["LiveOu"] = field(default_factory=list)


@dataclass
class OrganizationView:
    organization_id: str
    management_account_id: str
    root: LiveOu
    delegated: dict[str, list[str]]
    """Account id -> service principals it is delegated administrator for."""

    def ous_by_path(self) -> dict[str, LiveOu]:
        found: dict[str, LiveOu] = {}

        def visit(node: LiveOu) -> None:
            for child in node.children:
                found[child.path] = child
                visit(child)

        visit(self.root)
        return found

    def account_paths(self) -> dict[str, str]:
        """Account name -> OU path ('' for the root)."""
        out = {a["Name"]: "" for a in self.root.accounts}
        for path, node in self.ous_by_path().items():
            out.update({a["Name"]: path for a in node.accounts})
        return out


def _pages(client, operation: str, key: str, **kwargs) -> list:
    return [item for page in client.get_paginator(operation).paginate(**kwargs) for item in page[key]]


def read_organization(client) -> OrganizationView:
    """The whole organization through one boto3 `organizations` client."""
    org = client.describe_organization()["Organization"]
    (root,) = client.list_roots()["Roots"]

    def build(node_id: str, name: str, path: str) -> LiveOu:
        node = LiveOu(node_id, name, path)
        node.accounts = sorted(_pages(client, "list_accounts_for_parent", "Accounts", ParentId=node_id), key=lambda a: a["Name"])
        for ou in sorted(
            _pages(client, "list_organizational_units_for_parent", "OrganizationalUnits", ParentId=node_id),
            key=lambda o: o["Name"],
        ):
            node.children.append(build(ou["Id"], ou["Name"], f"{path}/{ou['Name']}".lstrip("/")))
        return node

    delegated: dict[str, list[str]] = {}
    for admin in _pages(client, "list_delegated_administrators", "DelegatedAdministrators"):
        services = _pages(client, "list_delegated_services_for_account", "DelegatedServices", AccountId=admin["Id"])
        delegated[admin["Id"]] = sorted(s["ServicePrincipal"] for s in services)
    return OrganizationView(org["Id"], org["MasterAccountId"], build(root["Id"], "Root", ""), delegated)


def render_tree(view: OrganizationView, management_name: str | None = None) -> str:
    """The organization as a tree; `management_name`: the management account's name in the environment
    file, shown instead of the API's when they differ (a local API calls it 'master')."""
    lines = [f"Organization {view.organization_id} (root {view.root.id}, management account {view.management_account_id})"]

    def account_line(account: dict) -> str:
        extra = []
        name = account["Name"]
        if account["Id"] == view.management_account_id:
            extra.append("management")
            if management_name and management_name != name:
                extra[-1] += f", {name!r} to the API"
                name = management_name
        if account.get("Status", "ACTIVE") != "ACTIVE":
            extra.append(account["Status"].lower())
        if view.delegated.get(account["Id"]):
            services = ", ".join(s.removesuffix(".amazonaws.com") for s in view.delegated[account["Id"]])
            extra.append(f"delegated admin: {services}")
        return f"{name}  {account['Id']}" + (f"  ({'; '.join(extra)})" if extra else "")

    def walk(node: LiveOu, prefix: str) -> None:
        entries: list[dict | LiveOu] = [*node.accounts, *node.children]  # accounts are the API's dicts
        for i, item in enumerate(entries):
            last = i == len(entries) - 1
            branch, indent = ("└── ", "    ") if last else ("├── ", "│   ")
            if not isinstance(item, LiveOu):
                lines.append(prefix + branch + account_line(item))
            else:
                lines.append(f"{prefix}{branch}{item.path}/  {item.id}")
                walk(item, prefix + indent)

    walk(view.root, "")
    return "\n".join(lines)


def organizations_client(endpoint: str | None):
    import boto3

    if endpoint:
        from ..local_aws.endpoints import check_local_url
        from ..local_aws.server import DUMMY_CREDENTIALS, REGION

        return boto3.client(
            "organizations",
            endpoint_url=check_local_url(endpoint),
            region_name=REGION,
            aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )
    return boto3.client("organizations")


def print_tree(endpoint: str | None, stream=None, management_name: str | None = None) -> int:
    """Read and print the tree (`management_name`: see render_tree); a clear one-line error (exit 1) when
    the API refuses."""
    import botocore.exceptions

    stream = stream or sys.stdout
    try:
        view = read_organization(organizations_client(endpoint))
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
        where = endpoint or "AWS"
        print(f"lz tree: cannot read the organization from {where}: {exc}", file=sys.stderr)
        return 1
    print(render_tree(view, management_name), file=stream)
    return 0
