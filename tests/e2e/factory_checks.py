"""End-to-end checks of the account factory on the local AWS API.

Imported into test_deploy_local.py (one deployment per module): run against
its `deployment`, after the apply and before the destroy. Every vended
account of the example (at least three) is checked through credentials of
the access role assumed in that account, so each setting is proven to be in
the member account, not in the management account.
"""
from __future__ import annotations

import boto3

from landing_zone.config.vending import access_role, account_alias, effective_baseline, vended_names
from landing_zone.local_aws.server import DUMMY_CREDENTIALS


def _member(deployment, config, account_id: str, role: str):
    base = dict(aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"], aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"])
    sts = boto3.client("sts", endpoint_url=deployment.server.url, region_name=config.organization.home_region, **base)
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account_id}:role/{role}", RoleSessionName="e2e-factory")["Credentials"]

    def client(service: str):
        return boto3.client(service, endpoint_url=deployment.server.url, region_name=config.organization.home_region,
                            aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                            aws_session_token=creds["SessionToken"])
    return client, sts


def test_vended_accounts_have_their_baseline_through_assumed_credentials(deployment, org, config):
    ids = {a["Name"]: a["Id"] for node in [org.root, *org.ous_by_path().values()] for a in node.accounts}
    vended = vended_names(config)
    assert len(vended) >= 3
    for name in vended:
        aws, _ = _member(deployment, config, ids[name], access_role(config, name))
        assert aws("sts").get_caller_identity()["Account"] == ids[name] != org.management_account_id
        assert aws("iam").list_account_aliases()["AccountAliases"] == [account_alias(config, name)], name
        options = effective_baseline(config, name)
        budget = aws("budgets").describe_budget(AccountId=ids[name], BudgetName=f"{account_alias(config, name)}-monthly")["Budget"]
        assert float(budget["BudgetLimit"]["Amount"]) == options.budget.monthly_limit_usd, name
        assert aws("iam").get_account_password_policy()["PasswordPolicy"]["MinimumPasswordLength"] >= 14, name
        assert aws("ec2").get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is True, name
        roles = {r["RoleName"] for r in aws("iam").list_roles()["Roles"]}
        deploy = options.deploy_role
        assert (deploy is not None and deploy.role_name in roles) or (deploy is None and "ci-deploy" not in roles), name
