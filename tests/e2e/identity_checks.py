"""End-to-end check of IAM Identity Center on the local AWS API.

Imported into test_deploy_local.py (one deployment per module): it runs
against its `deployment`, after the apply and before the destroy. Groups,
permission sets (by name) and every account assignment are read back here;
permission set attributes, policies and tags, which the local API cannot
read back, are proven by terraform test in tests/identity.
"""

from __future__ import annotations

import boto3

from landing_zone.identity.plan import identity_plan
from landing_zone.local_aws.server import DUMMY_CREDENTIALS


def _client(deployment, config, service: str):
    return boto3.client(
        service,
        endpoint_url=deployment.server.url,
        region_name=config.organization.home_region,
        aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def test_identity_center_groups_and_every_assignment_exist(deployment, org, config):
    plan = identity_plan(config)
    sso, store = _client(deployment, config, "sso-admin"), _client(deployment, config, "identitystore")
    [instance] = sso.list_instances()["Instances"]
    arn = instance["InstanceArn"]
    groups = {g["GroupId"]: g["DisplayName"] for g in store.list_groups(IdentityStoreId=instance["IdentityStoreId"])["Groups"]}
    assert sorted(groups.values()) == sorted(g.name for g in plan.groups)
    sets = {
        ps: sso.describe_permission_set(InstanceArn=arn, PermissionSetArn=ps)["PermissionSet"]["Name"]
        for ps in sso.list_permission_sets(InstanceArn=arn, MaxResults=100)["PermissionSets"]
    }
    assert sorted(sets.values()) == sorted(p.name for p in plan.permission_sets)
    ids = {a["Name"]: a["Id"] for node in [org.root, *org.ous_by_path().values()] for a in node.accounts}
    ids[config.organization.management_account.name] = org.management_account_id
    found = set()
    for account in plan.accounts:
        for ps_arn, ps_name in sets.items():
            listed = sso.list_account_assignments(InstanceArn=arn, AccountId=ids[account], PermissionSetArn=ps_arn)
            for assignment in listed["AccountAssignments"]:
                assert assignment["PrincipalType"] == "GROUP"
                found.add((groups[assignment["PrincipalId"]], ps_name, account))
    assert found == {g.key for g in plan.grants}
    assert len(found) == len(plan.grants) > 0
