"""Our additions to moto, through the server the deploys use (one server for the module)."""

from __future__ import annotations

import boto3
import pytest

from landing_zone.local_aws.additions.organizations import DELEGATED_ADMIN_SERVICES
from landing_zone.local_aws.server import LocalAws, reset


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with LocalAws(log_file=tmp_path_factory.mktemp("moto") / "moto.log") as running:
        yield running


@pytest.fixture(scope="module")
def aws(server):
    """boto3 clients; tests use their own names instead of a reset each (a reset reloads every backend)."""

    def client(service: str):
        return boto3.client(
            service,
            endpoint_url=server.url,
            region_name="eu-west-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    return client


def test_config_accepts_a_delegated_administrator(aws):
    org = aws("organizations")
    org.create_organization(FeatureSet="ALL")
    account_id = org.create_account(AccountName="audit", Email="audit@example.com")["CreateAccountStatus"]["AccountId"]
    for service in ("config.amazonaws.com", "config-multiaccountsetup.amazonaws.com"):
        org.enable_aws_service_access(ServicePrincipal=service)
        org.register_delegated_administrator(AccountId=account_id, ServicePrincipal=service)
    services = org.list_delegated_services_for_account(AccountId=account_id)["DelegatedServices"]
    assert sorted(s["ServicePrincipal"] for s in services) == ["config-multiaccountsetup.amazonaws.com", "config.amazonaws.com"]
    org.deregister_delegated_administrator(AccountId=account_id, ServicePrincipal="config.amazonaws.com")


def test_the_delegated_admin_list_has_no_duplicates_and_only_service_principals():
    assert len(set(DELEGATED_ADMIN_SERVICES)) == len(DELEGATED_ADMIN_SERVICES)
    assert all(s.endswith(".amazonaws.com") for s in DELEGATED_ADMIN_SERVICES)


def test_organization_config_rules_create_read_update_delete(aws):
    config = aws("config")
    arn = config.put_organization_config_rule(
        OrganizationConfigRuleName="lz-s3-public-read",
        OrganizationManagedRuleMetadata={"RuleIdentifier": "S3_BUCKET_PUBLIC_READ_PROHIBITED", "Description": "d"},
        ExcludedAccounts=["111111111111"],
    )["OrganizationConfigRuleArn"]
    assert arn.startswith("arn:aws:config:eu-west-1:123456789012:organization-config-rule/")
    (rule,) = config.describe_organization_config_rules(OrganizationConfigRuleNames=["lz-s3-public-read"])[
        "OrganizationConfigRules"
    ]
    assert rule["OrganizationManagedRuleMetadata"]["RuleIdentifier"] == "S3_BUCKET_PUBLIC_READ_PROHIBITED"
    assert rule["ExcludedAccounts"] == ["111111111111"]
    status = config.describe_organization_config_rule_statuses(OrganizationConfigRuleNames=["lz-s3-public-read"])
    assert status["OrganizationConfigRuleStatuses"][0]["OrganizationRuleStatus"] == "CREATE_SUCCESSFUL"
    # the same put again (a client retrying a call whose answer it lost) is still a creation
    config.put_organization_config_rule(
        OrganizationConfigRuleName="lz-s3-public-read",
        OrganizationManagedRuleMetadata={"RuleIdentifier": "S3_BUCKET_PUBLIC_READ_PROHIBITED", "Description": "d"},
        ExcludedAccounts=["111111111111"],
    )
    status = config.describe_organization_config_rule_statuses(OrganizationConfigRuleNames=["lz-s3-public-read"])
    assert status["OrganizationConfigRuleStatuses"][0]["OrganizationRuleStatus"] == "CREATE_SUCCESSFUL"
    again = config.put_organization_config_rule(
        OrganizationConfigRuleName="lz-s3-public-read",
        OrganizationManagedRuleMetadata={"RuleIdentifier": "S3_BUCKET_PUBLIC_READ_PROHIBITED", "Description": "e"},
    )
    assert again["OrganizationConfigRuleArn"] == arn
    status = config.describe_organization_config_rule_statuses(OrganizationConfigRuleNames=["lz-s3-public-read"])
    assert status["OrganizationConfigRuleStatuses"][0]["OrganizationRuleStatus"] == "UPDATE_SUCCESSFUL"
    (updated,) = config.describe_organization_config_rules(OrganizationConfigRuleNames=["lz-s3-public-read"])[
        "OrganizationConfigRules"
    ]
    assert updated["ExcludedAccounts"] == []
    config.delete_organization_config_rule(OrganizationConfigRuleName="lz-s3-public-read")
    for call in (
        lambda: config.describe_organization_config_rules(OrganizationConfigRuleNames=["lz-s3-public-read"]),
        lambda: config.describe_organization_config_rule_statuses(OrganizationConfigRuleNames=["lz-s3-public-read"]),
        lambda: config.delete_organization_config_rule(OrganizationConfigRuleName="lz-s3-public-read"),
    ):
        with pytest.raises(config.exceptions.NoSuchOrganizationConfigRuleException):
            call()


@pytest.fixture
def permission_set(aws, request):
    sso = aws("sso-admin")
    instance = sso.list_instances()["Instances"][0]["InstanceArn"]
    arn = sso.create_permission_set(Name=request.node.name[-32:], InstanceArn=instance, Tags=[{"Key": "team", "Value": "a"}])[
        "PermissionSet"
    ]["PermissionSetArn"]
    return sso, instance, arn


def test_permission_set_tags_can_be_listed_added_and_removed(permission_set):
    sso, instance, arn = permission_set
    assert sso.list_tags_for_resource(InstanceArn=instance, ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "a"}]
    sso.tag_resource(InstanceArn=instance, ResourceArn=arn, Tags=[{"Key": "team", "Value": "b"}, {"Key": "x", "Value": "y"}])
    sso.untag_resource(InstanceArn=instance, ResourceArn=arn, TagKeys=["x"])
    assert sso.list_tags_for_resource(InstanceArn=instance, ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "b"}]


def test_permissions_boundary_and_provisioning_status(permission_set):
    sso, instance, arn = permission_set
    boundary = {"CustomerManagedPolicyReference": {"Name": "lz-boundary", "Path": "/"}}
    with pytest.raises(sso.exceptions.ResourceNotFoundException):
        sso.get_permissions_boundary_for_permission_set(InstanceArn=instance, PermissionSetArn=arn)
    sso.put_permissions_boundary_to_permission_set(InstanceArn=instance, PermissionSetArn=arn, PermissionsBoundary=boundary)
    assert (
        sso.get_permissions_boundary_for_permission_set(InstanceArn=instance, PermissionSetArn=arn)["PermissionsBoundary"]
        == boundary
    )
    sso.delete_permissions_boundary_from_permission_set(InstanceArn=instance, PermissionSetArn=arn)
    with pytest.raises(sso.exceptions.ResourceNotFoundException):
        sso.get_permissions_boundary_for_permission_set(InstanceArn=instance, PermissionSetArn=arn)
    request = sso.provision_permission_set(InstanceArn=instance, PermissionSetArn=arn, TargetType="ALL_PROVISIONED_ACCOUNTS")
    request_id = request["PermissionSetProvisioningStatus"]["RequestId"]
    status = sso.describe_permission_set_provisioning_status(InstanceArn=instance, ProvisionPermissionSetRequestId=request_id)
    assert status["PermissionSetProvisioningStatus"]["Status"] == "SUCCEEDED"


def test_a_repeated_account_assignment_create_keeps_one_assignment(permission_set):
    """A create the SDK resends under load (its first answer missed) must not leave two: the provider's
    read after the create fails on "too many results: wanted 1, got 2" (seen in CI)."""
    sso, instance, arn = permission_set
    assignment = dict(
        InstanceArn=instance,
        TargetId="111111111111",
        TargetType="AWS_ACCOUNT",
        PermissionSetArn=arn,
        PrincipalType="GROUP",
        PrincipalId="group-1",
    )
    first = sso.create_account_assignment(**assignment)["AccountAssignmentCreationStatus"]
    again = sso.create_account_assignment(**assignment)["AccountAssignmentCreationStatus"]
    assert again["RequestId"] == first["RequestId"]
    sso.create_account_assignment(**{**assignment, "PrincipalId": "group-2"})
    listed = sso.list_account_assignments(InstanceArn=instance, AccountId="111111111111", PermissionSetArn=arn)
    assert sorted(a["PrincipalId"] for a in listed["AccountAssignments"]) == ["group-1", "group-2"]


def test_aws_managed_policies_below_a_path_attach(permission_set):
    sso, instance, arn = permission_set
    for policy in ("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"):
        sso.attach_managed_policy_to_permission_set(InstanceArn=instance, PermissionSetArn=arn, ManagedPolicyArn=policy)
    attached = sso.list_managed_policies_in_permission_set(InstanceArn=instance, PermissionSetArn=arn)["AttachedManagedPolicies"]
    assert sorted(p["Arn"] for p in attached) == [
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
    ]
    with pytest.raises(sso.exceptions.ResourceNotFoundException):
        sso.attach_managed_policy_to_permission_set(
            InstanceArn=instance, PermissionSetArn=arn, ManagedPolicyArn="arn:aws:iam::aws:policy/ViewOnlyAccess"
        )


# Last: it clears the server the other tests share.
def test_organization_config_rules_are_per_region_and_cleared_by_reset(aws, server):
    config = aws("config")
    config.put_organization_config_rule(
        OrganizationConfigRuleName="r", OrganizationManagedRuleMetadata={"RuleIdentifier": "ROOT_ACCOUNT_MFA_ENABLED"}
    )
    other = boto3.client(
        "config",
        endpoint_url=server.url,
        region_name="eu-central-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    assert other.describe_organization_config_rules()["OrganizationConfigRules"] == []
    reset(server.url)
    with pytest.raises(config.exceptions.NoSuchOrganizationConfigRuleException):
        config.describe_organization_config_rules(OrganizationConfigRuleNames=["r"])


def test_centralized_root_access_needs_iam_trusted_access_then_switches_each_feature(aws):
    from botocore.exceptions import ClientError

    org, iam = aws("organizations"), aws("iam")
    try:
        org.create_organization(FeatureSet="ALL")
    except ClientError as e:  # another test of this module made it
        assert e.response["Error"]["Code"] == "AlreadyInOrganizationException"
    org.disable_aws_service_access(ServicePrincipal="iam.amazonaws.com")
    with pytest.raises(ClientError) as refused:
        iam.enable_organizations_root_sessions()
    assert refused.value.response["Error"]["Code"] == "ServiceAccessNotEnabledException"
    org.enable_aws_service_access(ServicePrincipal="iam.amazonaws.com")
    assert iam.list_organizations_features()["EnabledFeatures"] == []
    iam.enable_organizations_root_credentials_management()
    answer = iam.enable_organizations_root_sessions()
    assert answer["EnabledFeatures"] == ["RootCredentialsManagement", "RootSessions"]
    assert answer["OrganizationId"] == org.describe_organization()["Organization"]["Id"]
    iam.disable_organizations_root_sessions()
    assert iam.list_organizations_features()["EnabledFeatures"] == ["RootCredentialsManagement"]
    iam.disable_organizations_root_credentials_management()
    assert iam.list_organizations_features()["EnabledFeatures"] == []


def test_access_control_attributes_are_created_described_updated_and_deleted(aws):
    """Issue 24.7: what aws_ssoadmin_instance_access_control_attributes calls (ABAC attributes of the instance)."""
    sso = aws("sso-admin")
    instance = sso.list_instances()["Instances"][0]["InstanceArn"]
    team = {"Key": "team", "Value": {"Source": ["${path:enterprise.department}"]}}
    with pytest.raises(sso.exceptions.ResourceNotFoundException):
        sso.describe_instance_access_control_attribute_configuration(InstanceArn=instance)
    sso.create_instance_access_control_attribute_configuration(
        InstanceArn=instance, InstanceAccessControlAttributeConfiguration={"AccessControlAttributes": [team]}
    )
    with pytest.raises(sso.exceptions.ConflictException):
        sso.create_instance_access_control_attribute_configuration(
            InstanceArn=instance, InstanceAccessControlAttributeConfiguration={"AccessControlAttributes": [team]}
        )
    described = sso.describe_instance_access_control_attribute_configuration(InstanceArn=instance)
    assert described["Status"] == "ENABLED"
    assert described["InstanceAccessControlAttributeConfiguration"]["AccessControlAttributes"] == [team]
    cost = {"Key": "cost-center", "Value": {"Source": ["${path:enterprise.costCenter}"]}}
    sso.update_instance_access_control_attribute_configuration(
        InstanceArn=instance, InstanceAccessControlAttributeConfiguration={"AccessControlAttributes": [team, cost]}
    )
    described = sso.describe_instance_access_control_attribute_configuration(InstanceArn=instance)
    assert described["InstanceAccessControlAttributeConfiguration"]["AccessControlAttributes"] == [team, cost]
    sso.delete_instance_access_control_attribute_configuration(InstanceArn=instance)
    with pytest.raises(sso.exceptions.ResourceNotFoundException):
        sso.describe_instance_access_control_attribute_configuration(InstanceArn=instance)


def test_a_delegated_catalog_administrator_shares_to_an_ou_once_the_management_account_allows_it(aws, server):
    """AWS's rule: only the management account or Service Catalog's delegated administrator shares to an OU, and
    only once the management account has turned Organizations access on (which a delegated one cannot)."""
    org = aws("organizations")
    try:
        org.describe_organization()
    except org.exceptions.AWSOrganizationsNotInUseException:
        org.create_organization(FeatureSet="ALL")
    account = org.create_account(AccountName="catalog", Email="catalog@example.com")["CreateAccountStatus"]["AccountId"]
    root = org.list_roots()["Roots"][0]["Id"]
    ou = org.create_organizational_unit(ParentId=root, Name="Teams")["OrganizationalUnit"]["Arn"]
    creds = aws("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="catalog-test"
    )["Credentials"]
    delegated = boto3.client(
        "servicecatalog",
        endpoint_url=server.url,
        region_name="eu-west-1",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    portfolio = delegated.create_portfolio(DisplayName="blueprints", ProviderName="platform")["PortfolioDetail"]["Id"]
    node = {"Type": "ORGANIZATIONAL_UNIT", "Value": ou}

    def refused(text: str) -> None:
        with pytest.raises(delegated.exceptions.ClientError) as err:
            delegated.create_portfolio_share(PortfolioId=portfolio, OrganizationNode=node)
        assert text in str(err.value)

    refused("Only the management account or Service Catalog's delegated administrator")
    org.enable_aws_service_access(ServicePrincipal="servicecatalog.amazonaws.com")
    org.register_delegated_administrator(AccountId=account, ServicePrincipal="servicecatalog.amazonaws.com")
    refused("Enable AWS Organizations access")
    with pytest.raises(delegated.exceptions.ClientError, match="Only the organization's management account"):
        delegated.enable_aws_organizations_access()
    management = aws("servicecatalog")
    management.enable_aws_organizations_access()
    try:
        delegated.create_portfolio_share(PortfolioId=portfolio, OrganizationNode=node)
        (share,) = delegated.describe_portfolio_shares(PortfolioId=portfolio, Type="ORGANIZATIONAL_UNIT")["PortfolioShareDetails"]
        assert share["PrincipalId"] == ou and share["Accepted"] is True
    finally:
        management.disable_aws_organizations_access()
        org.deregister_delegated_administrator(AccountId=account, ServicePrincipal="servicecatalog.amazonaws.com")


def test_the_server_log_keeps_the_requests_that_failed(server, aws):
    """additions/server_speed.py: a line per failed request (what a failed deploy prints), none per success."""
    import time

    from botocore.exceptions import ClientError

    iam = aws("iam")
    iam.list_roles()
    with pytest.raises(ClientError):
        iam.get_role(RoleName="lz-log-test-no-such-role")
    deadline = time.monotonic() + 10
    while '" 404 ' not in server.log_file.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    log = server.log_file.read_text()
    assert '" 404 ' in log
    assert '" 200 ' not in log
