"""End-to-end check of the example's self-service catalog on the local AWS API.

Imported into test_deploy_local.py (one deployment per module): it runs
against its `deployment`, after the apply and before the destroy. The
management stack applied Organizations access, the portfolio, its products
and one share per OU; here a member account of a shared OU lists what a
DeveloperAccess user can launch. moto's Identity Center does not create the
SSO roles in member accounts, so the check makes the role Identity Center
would (same reserved path and name pattern) through the access role. The
end user's launch of the EC2 product through its launch role runs in
tests/catalog/test_local_api.py (moto's stack sets do not deploy instances).
"""

from __future__ import annotations

import json

import boto3
from logging_checks import _account_ids, _session

SSO_PATH = "/aws-reserved/sso.amazonaws.com/eu-west-1/"


def _search_as(deployment, member, account_id: str, path: str, name: str) -> list[str]:
    """Product names `search_products` shows to a new role `path``name` of the member account."""
    member("iam").create_role(
        RoleName=name, Path=path, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []})
    )
    creds = member("sts").assume_role(RoleArn=f"arn:aws:iam::{account_id}:role{path}{name}", RoleSessionName="e2e-catalog")[
        "Credentials"
    ]
    catalog = boto3.client(
        "servicecatalog",
        endpoint_url=deployment.server.url,
        region_name=member("sts").meta.region_name,  # the home region, where the catalog is
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    return sorted(p["Name"] for p in catalog.search_products()["ProductViewSummaries"])


def test_a_developer_in_a_shared_ou_lists_the_catalog_and_others_see_nothing(deployment, org, config):
    section = config.self_service
    management = _session(deployment, config, None)
    catalog = management("servicecatalog")
    assert catalog.get_aws_organizations_access_status()["AccessStatus"] == "ENABLED"
    (portfolio,) = catalog.list_portfolios()["PortfolioDetails"]
    assert portfolio["DisplayName"] == section.portfolios[0].name
    ous = org.ous_by_path()
    shared = catalog.describe_portfolio_shares(PortfolioId=portfolio["Id"], Type="ORGANIZATIONAL_UNIT")["PortfolioShareDetails"]
    assert sorted(s["PrincipalId"].rsplit("/", 1)[-1] for s in shared) == sorted(
        ous[path].id for path in section.portfolios[0].share_to_ous
    )
    ids = _account_ids(org)
    products = sorted(p.name for p in section.products)
    # web-nonprod sits in Workloads/NonProd, shared; payments-prod in Workloads/Prod, not shared
    for account, expected in (("web-nonprod", products), ("payments-prod", [])):
        member = _session(deployment, config, ids[account])
        assert (
            _search_as(deployment, member, ids[account], SSO_PATH, "AWSReservedSSO_DeveloperAccess_0123456789abcdef") == expected
        ), account
    member = _session(deployment, config, ids["web-nonprod"])
    # a role of the permission set's name outside the reserved path, and another permission set's role, see nothing
    assert _search_as(deployment, member, ids["web-nonprod"], "/", "AWSReservedSSO_DeveloperAccess_fedcba9876543210") == []
    assert _search_as(deployment, member, ids["web-nonprod"], SSO_PATH, "AWSReservedSSO_AWSReadOnlyAccess_0123456789abcdef") == []
