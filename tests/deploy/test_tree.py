"""`lz tree`: the organization read back through the Organizations API and drawn as a tree."""

from __future__ import annotations

import boto3
from moto import mock_aws

from landing_zone.live.organization import read_organization, render_tree


@mock_aws
def test_tree_shows_nested_ous_accounts_ids_and_delegated_admins(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    org = boto3.client("organizations", region_name="us-east-1")
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    workloads = org.create_organizational_unit(ParentId=root, Name="Workloads")["OrganizationalUnit"]["Id"]
    prod = org.create_organizational_unit(ParentId=workloads, Name="Prod")["OrganizationalUnit"]["Id"]
    security = org.create_organizational_unit(ParentId=root, Name="Security")["OrganizationalUnit"]["Id"]
    ids = {}
    for name, parent in (("web-prod", prod), ("audit", security)):
        ids[name] = org.create_account(AccountName=name, Email=f"{name}@example.com")["CreateAccountStatus"]["AccountId"]
        org.move_account(AccountId=ids[name], SourceParentId=root, DestinationParentId=parent)
    org.enable_aws_service_access(ServicePrincipal="guardduty.amazonaws.com")
    org.register_delegated_administrator(AccountId=ids["audit"], ServicePrincipal="guardduty.amazonaws.com")

    view = read_organization(org)
    assert sorted(view.ous_by_path()) == ["Security", "Workloads", "Workloads/Prod"]
    assert view.account_paths() == {"master": "", "audit": "Security", "web-prod": "Workloads/Prod"}
    management = view.management_account_id
    assert render_tree(view).splitlines() == [
        f"Organization {view.organization_id} (root {root}, management account {management})",
        f"├── master  {management}  (management)",
        f"├── Security/  {security}",
        f"│   └── audit  {ids['audit']}  (delegated admin: guardduty)",
        f"└── Workloads/  {workloads}",
        f"    └── Workloads/Prod/  {prod}",
        f"        └── web-prod  {ids['web-prod']}",
    ]
    # issue 23 B.2: lz deploy names the management account as the environment file does
    named = render_tree(view, management_name="acme-management").splitlines()
    assert named[1] == f"├── acme-management  {management}  (management, 'master' to the API)"
    assert named[2:] == render_tree(view).splitlines()[2:]
