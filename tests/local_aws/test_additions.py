"""Our additions to moto, through the server the deploys use."""
from __future__ import annotations

import boto3

from landing_zone.local_aws.additions import DELEGATED_ADMIN_SERVICES
from landing_zone.local_aws.server import LocalAws


def test_config_accepts_a_delegated_administrator(tmp_path):
    with LocalAws(log_file=tmp_path / "moto.log") as server:
        org = boto3.client("organizations", endpoint_url=server.url, region_name="us-east-1",
                           aws_access_key_id="testing", aws_secret_access_key="testing")
        org.create_organization(FeatureSet="ALL")
        account_id = org.create_account(AccountName="audit", Email="audit@example.com")["CreateAccountStatus"]["AccountId"]
        for service in ("config.amazonaws.com", "config-multiaccountsetup.amazonaws.com"):
            org.enable_aws_service_access(ServicePrincipal=service)
            org.register_delegated_administrator(AccountId=account_id, ServicePrincipal=service)
        services = org.list_delegated_services_for_account(AccountId=account_id)["DelegatedServices"]
        assert sorted(s["ServicePrincipal"] for s in services) == ["config-multiaccountsetup.amazonaws.com", "config.amazonaws.com"]
        org.deregister_delegated_administrator(AccountId=account_id, ServicePrincipal="config.amazonaws.com")


def test_the_list_has_no_duplicates_and_only_service_principals():
    assert len(set(DELEGATED_ADMIN_SERVICES)) == len(DELEGATED_ADMIN_SERVICES)
    assert all(s.endswith(".amazonaws.com") for s in DELEGATED_ADMIN_SERVICES)
