"""The catalog on the local API: the synthesized catalog applied by terraform, then a team launches from it.

A moto server of this module's own (with the landing zone's additions) gets the
catalog fixture's Service Catalog resources exactly as the management stack
synthesizes them, with what they reference (the organization, the OUs, the
shared account, the templates bucket and key): one apply, one plan that must
not touch a catalog resource. Then, from a member account of the shared OU:
the launch role is deployed from the stack set's own template (moto's stack
sets do not deploy instances to accounts), the end user (an Identity Center
role of the permission set) lists what it can launch and provisions the EC2
product through the launch constraint; the product's CloudFormation template,
read from the templates bucket, runs as a stack in the member account.
Measured here (2 shared cores, loaded): about 2 min, most of it the provider's
fixed waits (15 s per portfolio share, the stack set's polling).
"""

from __future__ import annotations

import json
import re
import subprocess

import boto3
import pytest
from local_api import apply_config, terraform

from landing_zone.local_aws.server import LocalAws, client_env
from landing_zone.terraform import terraform_env

from .test_synth import FIXTURE

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.synth]
REF = re.compile(r"\$\{((?:data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)")
REGION = "eu-west-1"
SSO_ROLE = "AWSReservedSSO_Developer_0123456789abcdef"


def catalog_closure(stack: dict) -> dict:
    """The stack's Service Catalog and stack-set resources with everything they reference, transitively."""
    resources, data = stack["resource"], stack.get("data", {})

    def body(address: str) -> dict:
        kind, rest = ("data", address[5:]) if address.startswith("data.") else ("resource", address)
        rtype, name = rest.split(".", 1)
        return (data if kind == "data" else resources)[rtype][name]

    todo = [f"{t}.{n}" for t, items in resources.items() if "servicecatalog" in t or "stack_set" in t for n in items]
    seen: set[str] = set()
    while todo:
        address = todo.pop()
        if address in seen:
            continue
        seen.add(address)
        item = body(address)
        todo += REF.findall(json.dumps(item)) + list(item.get("depends_on", []))
    out: dict = {"resource": {}, "data": {}}
    for address in sorted(seen):
        kind, rest = ("data", address[5:]) if address.startswith("data.") else ("resource", address)
        rtype, name = rest.split(".", 1)
        out[kind].setdefault(rtype, {})[name] = body(address)
    return {k: v for k, v in out.items() if v}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with LocalAws(log_file=tmp_path_factory.mktemp("moto") / "moto.log") as api:
        yield api


@pytest.fixture(scope="module")
def applied(server, synth_env, tmp_path_factory):
    out = synth_env(FIXTURE, tmp_path_factory.mktemp("catalog_local"), local_endpoint=server.url, allow_destroy=True)
    stack = out.stacks["management"]
    folder = tmp_path_factory.mktemp("catalog_tf")
    config = {
        "terraform": {
            "required_providers": stack["terraform"]["required_providers"],
            "backend": {"local": {"path": "catalog.tfstate"}},
        },
        "provider": stack["provider"],
        **catalog_closure(stack),
    }
    env = apply_config(folder, config, server.url)
    state = json.loads((folder / "catalog.tfstate").read_text(encoding="utf-8"))
    plan = terraform(folder, env, "plan", "-out=again.plan")
    assert plan.returncode == 0, plan.stderr[-4000:]
    shown = subprocess.run(
        ["terraform", "show", "-json", "again.plan"], cwd=folder, env=env, capture_output=True, text=True, check=True
    )
    return config, state, json.loads(shown.stdout), folder


def applied_folder(applied) -> object:
    return applied[3]


def _client(server, service: str, creds: dict | None = None):
    keys = (
        dict(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
        )
        if creds
        else dict(aws_access_key_id="testing", aws_secret_access_key="testing")
    )
    return boto3.client(service, endpoint_url=server.url, region_name=REGION, **keys)


def _ids(state: dict, rtype: str) -> dict[str, dict]:
    return {r["name"]: r["instances"][0]["attributes"] for r in state["resources"] if r["type"] == rtype}


def test_every_catalog_resource_applies_and_a_second_plan_leaves_them_alone(applied):
    config, state, plan, _ = applied
    applied_types = {r["type"] for r in state["resources"]}
    wanted = {t for t in config["resource"] if t.startswith("aws_servicecatalog_")}
    assert wanted <= applied_types and len(wanted) == 10
    changed = {
        c["address"]: c["change"]["actions"] for c in plan.get("resource_changes", []) if c["change"]["actions"] != ["no-op"]
    }
    assert changed == {}


def test_the_ou_share_is_by_arn_and_complete_and_the_account_share_awaits_acceptance(applied, server):
    _, state, _, _ = applied
    shares = _ids(state, "aws_servicecatalog_portfolio_share")
    ou_share = shares["catalog_share_blueprints_Workloads"]
    assert ou_share["type"] == "ORGANIZATIONAL_UNIT" and ou_share["principal_id"].startswith("arn:aws:organizations::")
    assert ou_share["accepted"] is True and ou_share["share_principals"] is True
    assert shares["catalog_share_blueprints_audit"]["accepted"] is False
    catalog = _client(server, "servicecatalog")
    assert catalog.get_aws_organizations_access_status()["AccessStatus"] == "ENABLED"


def test_versions_are_artifacts_of_one_product_and_constraints_follow_associations(applied, server):
    _, state, _, _ = applied
    catalog = _client(server, "servicecatalog")
    products = _ids(state, "aws_servicecatalog_product")
    ec2 = products["catalog_product_ec2-instance"]["id"]
    described = catalog.describe_product_as_admin(Id=ec2)
    assert described["ProductViewDetail"]["Status"] == "AVAILABLE"
    assert [a["Name"] for a in described["ProvisioningArtifactSummaries"]] == ["v1", "v2"]
    portfolio = _ids(state, "aws_servicecatalog_portfolio")["catalog_portfolio_blueprints"]["id"]
    constraints = catalog.list_constraints_for_portfolio(PortfolioId=portfolio)["ConstraintDetails"]
    assert {c["ProductId"] for c in constraints} == {p["id"] for p in products.values()}
    (principal,) = catalog.list_principals_for_portfolio(PortfolioId=portfolio)["Principals"]
    assert principal["PrincipalType"] == "IAM_PATTERN"
    assert principal["PrincipalARN"].startswith("arn:aws:iam:::role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Developer_")


@pytest.fixture(scope="module")
def member(applied, server):
    """A new account in the shared OU with the launch role (from the stack set's template) and a Developer SSO role."""
    config, state, _, _ = applied
    org = _client(server, "organizations")
    account = org.create_account(AccountName="team-new", Email="aws+team-new@tiny-corp.io")["CreateAccountStatus"]["AccountId"]
    workloads = _ids(state, "aws_organizations_organizational_unit")["ou_Workloads"]["id"]
    root = org.list_roots()["Roots"][0]["Id"]
    org.move_account(AccountId=account, SourceParentId=root, DestinationParentId=workloads)
    admin = _client(server, "sts").assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="platform"
    )["Credentials"]
    template = config["resource"]["aws_cloudformation_stack_set"]["catalog_launch_role"]["template_body"]
    cfn = _client(server, "cloudformation", admin)
    cfn.create_stack(StackName="launch-role", TemplateBody=template, Capabilities=["CAPABILITY_NAMED_IAM"])
    iam = _client(server, "iam", admin)
    iam.create_role(
        RoleName=SSO_ROLE,
        Path="/aws-reserved/sso.amazonaws.com/eu-west-1/",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )
    return account, admin


def _as_role(server, account: str, path: str, name: str) -> dict:
    return _client(server, "sts").assume_role(RoleArn=f"arn:aws:iam::{account}:role{path}{name}", RoleSessionName="team-user")[
        "Credentials"
    ]


def test_a_member_of_the_shared_ou_lists_what_it_can_launch(applied, member, server):
    account, _ = member
    user = _as_role(server, account, "/aws-reserved/sso.amazonaws.com/eu-west-1/", SSO_ROLE)
    catalog = _client(server, "servicecatalog", user)
    names = sorted(p["Name"] for p in catalog.search_products()["ProductViewSummaries"])
    assert names == ["ec2-instance", "emr-cluster"]
    ec2 = next(p for p in catalog.search_products()["ProductViewSummaries"] if p["Name"] == "ec2-instance")
    (path,) = catalog.list_launch_paths(ProductId=ec2["ProductId"])["LaunchPathSummaries"]
    assert path["Name"] == "blueprints"
    assert json.loads(path["ConstraintSummaries"][0]["Description"]) == {"LocalRoleName": "lz-catalog-launch"}


def test_a_role_of_another_name_or_path_sees_nothing(applied, member, server):
    account, admin = member
    iam = _client(server, "iam", admin)
    impostors = (
        # An SSO-looking name outside the reserved path: what anyone allowed to create roles could make.
        ("/", "AWSReservedSSO_Developer_fedcba9876543210"),
        # Another permission set whose name starts with the shared one's.
        ("/aws-reserved/sso.amazonaws.com/eu-west-1/", "AWSReservedSSO_Developer_Admin_0123456789abcdef"),
    )
    for path, name in impostors:
        iam.create_role(RoleName=name, Path=path, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}))
        catalog = _client(server, "servicecatalog", _as_role(server, account, path, name))
        assert catalog.search_products()["ProductViewSummaries"] == []


def test_the_end_user_provisions_the_ec2_product_through_its_launch_role(applied, member, server):
    account, admin = member
    user = _as_role(server, account, "/aws-reserved/sso.amazonaws.com/eu-west-1/", SSO_ROLE)
    catalog = _client(server, "servicecatalog", user)
    ec2 = next(p for p in catalog.search_products()["ProductViewSummaries"] if p["Name"] == "ec2-instance")
    described = catalog.describe_product(Id=ec2["ProductId"])
    default = next(a for a in described["ProvisioningArtifacts"] if a["Name"] == "v2")
    ec2_client = _client(server, "ec2", admin)
    vpc = ec2_client.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2_client.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24")["Subnet"]["SubnetId"]
    parameters = {
        "InstanceName": "build-box",
        "VpcId": vpc,
        "SubnetId": subnet,
        "Owner": "platform-team",
        "CostCenter": "cc-1234",
        "Environment": "dev",
    }
    record = catalog.provision_product(
        ProductId=ec2["ProductId"],
        ProvisioningArtifactId=default["Id"],
        ProvisionedProductName="build-box",
        ProvisioningParameters=[{"Key": k, "Value": v} for k, v in parameters.items()],
    )["RecordDetail"]
    assert record["LaunchRoleArn"] == f"arn:aws:iam::{account}:role/lz-catalog-launch"
    detail = catalog.describe_record(Id=record["RecordId"])["RecordDetail"]
    assert detail["Status"] == "SUCCEEDED", detail["RecordErrors"]
    (provisioned,) = catalog.search_provisioned_products()["ProvisionedProducts"]
    assert provisioned["Name"] == "build-box" and provisioned["Status"] == "AVAILABLE"
    # The product's stack ran in the member account, as the launch role.
    cfn = _client(server, "cloudformation", admin)
    (stack,) = [s for s in cfn.describe_stacks()["Stacks"] if s["StackName"].startswith(f"SC-{account}-")]
    assert stack["StackStatus"] == "CREATE_COMPLETE" and stack["RoleARN"] == record["LaunchRoleArn"]
    reservations = ec2_client.describe_instances(Filters=[{"Name": "tag:Name", "Values": ["build-box"]}])["Reservations"]
    (instance,) = [i for r in reservations for i in r["Instances"]]
    tags = {t["Key"]: t["Value"] for t in instance["Tags"]}
    assert {k: tags[k] for k in ("owner", "cost-center", "environment")} == {
        "owner": "platform-team",
        "cost-center": "cc-1234",
        "environment": "dev",
    }
    assert instance["IamInstanceProfile"]["Arn"].split("/")[-1].startswith(stack["StackName"])
    # moto's CloudFormation ignores an instance's LaunchTemplate, NetworkInterfaces and Monitoring (it places
    # the instance in its default subnet); the launch template it made carries IMDSv2 and the encrypted gp3 root.
    (template,) = ec2_client.describe_launch_templates()["LaunchTemplates"]
    data = ec2_client.describe_launch_template_versions(LaunchTemplateId=template["LaunchTemplateId"])["LaunchTemplateVersions"][
        0
    ]["LaunchTemplateData"]
    assert data["MetadataOptions"]["HttpTokens"] == "required"
    (root,) = data["BlockDeviceMappings"]
    assert root["Ebs"]["VolumeType"] == "gp3" and root["Ebs"]["Encrypted"] is True


def test_the_terraform_product_is_handed_to_the_engine_with_its_launch_role_and_artifact(applied, member, server):
    """The local API has no Terraform engine: a launch of the Terraform product stops at the record, IN_PROGRESS
    with the member account's launch role, as on AWS until the engine reports back. What the engine would run
    is the object in the templates bucket: byte for byte the blueprint's tar.gz (tests/catalog/test_blueprints.py
    validates it unpacked with terraform, as the engine's root module)."""
    from landing_zone.self_service.blueprints import artifact

    from .test_synth import ROOT

    config, state, _, _ = applied
    account, _ = member
    user = _as_role(server, account, "/aws-reserved/sso.amazonaws.com/eu-west-1/", SSO_ROLE)
    catalog = _client(server, "servicecatalog", user)
    emr = next(p for p in catalog.search_products()["ProductViewSummaries"] if p["Name"] == "emr-cluster")
    (version,) = catalog.describe_product(Id=emr["ProductId"])["ProvisioningArtifacts"]
    record = catalog.provision_product(
        ProductId=emr["ProductId"],
        ProvisioningArtifactId=version["Id"],
        ProvisionedProductName="analytics",
        ProvisioningParameters=[{"Key": "name", "Value": "analytics"}],
    )["RecordDetail"]
    assert record["ProvisionedProductType"] == "TERRAFORM_OPEN_SOURCE" and record["Status"] == "IN_PROGRESS"
    assert record["LaunchRoleArn"] == f"arn:aws:iam::{account}:role/lz-catalog-launch"
    wanted = artifact(ROOT / "modules", "emr-cluster", "terraform")
    (key,) = [o["key"] for o in config["resource"]["aws_s3_object"].values() if o["key"].endswith(".tar.gz")]
    assert key == wanted.key
    bucket = _ids(state, "aws_s3_bucket")["catalog_templates_bucket"]["bucket"]
    assert _client(server, "s3").get_object(Bucket=bucket, Key=key)["Body"].read() == wanted.content


def test_an_account_share_waits_for_the_recipients_acceptance(applied, member, server):
    """The audit account is shared one by one: nothing shows before it accepts, and principals are not shared with it."""
    _, state, _, _ = applied
    audit = _ids(state, "aws_organizations_account")["account_audit"]["id"]
    admin = _client(server, "sts").assume_role(
        RoleArn=f"arn:aws:iam::{audit}:role/OrganizationAccountAccessRole", RoleSessionName="platform"
    )["Credentials"]
    portfolio = _ids(state, "aws_servicecatalog_portfolio")["catalog_portfolio_blueprints"]["id"]
    user_catalog = _client(server, "servicecatalog", admin)
    assert user_catalog.search_products()["ProductViewSummaries"] == []  # not accepted yet, and no principal
    user_catalog.accept_portfolio_share(PortfolioId=portfolio)
    assert _ids(state, "aws_servicecatalog_portfolio_share")  # the share was made by terraform
    catalog = _client(server, "servicecatalog")
    shares = catalog.describe_portfolio_shares(PortfolioId=portfolio, Type="ACCOUNT")["PortfolioShareDetails"]
    assert [s["Accepted"] for s in shares if s["PrincipalId"] == audit] == [True]


def test_plan_review_blocks_deleting_the_catalog(applied, server, tmp_path):
    """A real destroy plan of the applied catalog: products, the portfolio and its shares are danger rules."""
    from landing_zone.review.review import review_plans

    folder = applied_folder(applied)
    env = terraform_env(client_env(server.url))
    result = terraform(folder, env, "plan", "-destroy", "-refresh=false", "-out=destroy.plan")
    assert result.returncode == 0, result.stderr[-4000:]
    shown = subprocess.run(
        ["terraform", "show", "-json", "destroy.plan"], cwd=folder, env=env, capture_output=True, text=True, check=True
    )
    (tmp_path / "destroy.json").write_text(shown.stdout, encoding="utf-8")
    review = review_plans([f"management={tmp_path / 'destroy.json'}"])
    fired = {(d.rule, d.address) for d in review.dangers if d.rule.startswith("catalog-")}
    assert fired == {
        ("catalog-product-delete", "aws_servicecatalog_product.catalog_product_ec2-instance"),
        ("catalog-product-delete", "aws_servicecatalog_product.catalog_product_emr-cluster"),
        ("catalog-portfolio-delete", "aws_servicecatalog_portfolio.catalog_portfolio_blueprints"),
        ("catalog-share-delete", "aws_servicecatalog_portfolio_share.catalog_share_blueprints_Workloads"),
        ("catalog-share-delete", "aws_servicecatalog_portfolio_share.catalog_share_blueprints_audit"),
    }
    assert review.blocked


def test_destroy_removes_the_catalog(applied, server):
    """Last in the module: destroy deletes every resource (constraints, associations, shares, artifacts and all)."""
    folder = applied_folder(applied)
    _, state, _, _ = applied
    org = _client(server, "organizations")
    workloads = _ids(state, "aws_organizations_organizational_unit")["ou_Workloads"]["id"]
    root = org.list_roots()["Roots"][0]["Id"]
    for account in org.list_accounts_for_parent(ParentId=workloads)["Accounts"]:  # the test's own member
        org.move_account(AccountId=account["Id"], SourceParentId=workloads, DestinationParentId=root)
        org.remove_account_from_organization(AccountId=account["Id"])
    env = terraform_env(client_env(server.url))
    result = terraform(folder, env, "destroy", "-auto-approve")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    state = json.loads((folder / "catalog.tfstate").read_text(encoding="utf-8"))
    assert state["resources"] == []
    catalog = _client(server, "servicecatalog")
    assert catalog.list_portfolios()["PortfolioDetails"] == []
    assert catalog.get_aws_organizations_access_status()["AccessStatus"] == "DISABLED"
