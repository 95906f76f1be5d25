"""The `delete` step of organization.default_vpcs (landing_zone/live/default_vpcs.py) on moto in process.

AWS's default VPC carries an internet gateway and a subnet per zone; moto makes the VPC and the subnets,
so each test attaches a gateway as AWS would. The step runs through an assumed role into a member
account, as the account stack's terraform_data runs it.
"""

from __future__ import annotations

import boto3
import moto
import pytest

from landing_zone.live.default_vpcs import ROLE_ARN_VAR, DefaultVpcInUse, default_vpc_id, delete_default_vpc, main

REGIONS = ("eu-west-1", "eu-central-1")
MEMBER = "111122223333"
ROLE = f"arn:aws:iam::{MEMBER}:role/OrganizationAccountAccessRole"


@pytest.fixture
def aws(monkeypatch):
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }.items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_PROFILE", "LZ_AWS_ENDPOINT", ROLE_ARN_VAR):
        monkeypatch.delenv(key, raising=False)
    with moto.mock_aws():
        yield


def member_ec2(region: str):
    creds = boto3.client("sts", region_name=region).assume_role(RoleArn=ROLE, RoleSessionName="test")["Credentials"]
    return boto3.client(
        "ec2",
        region_name=region,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )


def with_gateway(ec2) -> tuple[str, str]:
    """The default VPC with an internet gateway attached, as AWS makes it; (vpc id, gateway id)."""
    vpc_id = default_vpc_id(ec2)
    assert vpc_id
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc_id)
    return vpc_id, gateway


def test_delete_removes_the_vpc_its_gateway_and_subnets_and_a_second_run_changes_nothing(aws):
    ec2 = boto3.client("ec2", region_name="eu-west-1")
    vpc_id, gateway = with_gateway(ec2)
    subnets = {s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]}
    assert len(subnets) == 3  # one per zone

    result = delete_default_vpc(ec2, "eu-west-1")
    assert (result.vpc_id, result.internet_gateways, set(result.subnets), result.deleted) == (vpc_id, [gateway], subnets, True)
    assert default_vpc_id(ec2) is None
    assert ec2.describe_vpcs(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Vpcs"] == []
    assert (
        ec2.describe_internet_gateways(Filters=[{"Name": "internet-gateway-id", "Values": [gateway]}])["InternetGateways"] == []
    )
    assert ec2.describe_subnets(Filters=[{"Name": "subnet-id", "Values": sorted(subnets)}])["Subnets"] == []
    assert ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["SecurityGroups"] == []

    again = delete_default_vpc(ec2, "eu-west-1")
    assert (again.vpc_id, again.deleted, again.describe()) == (None, False, "eu-west-1: no default VPC")


def test_a_default_vpc_with_network_interfaces_is_refused_by_name_and_left_whole(aws):
    ec2 = boto3.client("ec2", region_name="eu-west-1")
    vpc_id, gateway = with_gateway(ec2)
    subnet = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"][0]["SubnetId"]
    eni = ec2.create_network_interface(SubnetId=subnet, Description="workload database")["NetworkInterface"]
    eni_id = eni["NetworkInterfaceId"]

    with pytest.raises(DefaultVpcInUse) as refused:
        delete_default_vpc(ec2, "eu-west-1")
    message = str(refused.value)
    assert message.startswith(f"eu-west-1: default VPC {vpc_id} is in use by 1 network interface(s): {eni_id} (")
    assert "workload database" in message and f"subnet {subnet}" in message
    assert "set organization.default_vpcs to lock or keep" in message
    assert default_vpc_id(ec2) == vpc_id  # nothing deleted
    assert ec2.describe_internet_gateways(InternetGatewayIds=[gateway])["InternetGateways"][0]["Attachments"]
    assert len(ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]) == 3


def test_main_assumes_the_access_role_covers_every_region_and_names_refusals(aws, monkeypatch, capsys):
    own = boto3.client("ec2", region_name="eu-west-1")
    own_vpc = default_vpc_id(own)
    member = {region: member_ec2(region) for region in REGIONS}
    with_gateway(member["eu-west-1"])
    busy_vpc = default_vpc_id(member["eu-central-1"])
    subnet = member["eu-central-1"].describe_subnets(Filters=[{"Name": "vpc-id", "Values": [busy_vpc]}])["Subnets"][0]
    eni = member["eu-central-1"].create_network_interface(SubnetId=subnet["SubnetId"])["NetworkInterface"]["NetworkInterfaceId"]
    monkeypatch.setenv(ROLE_ARN_VAR, ROLE)

    assert main(["--region", "eu-west-1", "--region", "eu-central-1", "--account", "payments-prod"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("[payments-prod] eu-west-1: deleted default VPC vpc-")
    assert err.startswith(f"[payments-prod] eu-central-1: default VPC {busy_vpc} is in use by 1 network interface(s): {eni} (")
    assert default_vpc_id(member["eu-west-1"]) is None
    assert default_vpc_id(member["eu-central-1"]) == busy_vpc
    assert default_vpc_id(own) == own_vpc  # the caller's own account is untouched

    member["eu-central-1"].delete_network_interface(NetworkInterfaceId=eni)
    assert main(["--region", "eu-west-1", "--region", "eu-central-1"]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines()[0] == "eu-west-1: no default VPC"
    assert out.splitlines()[1].startswith(f"eu-central-1: deleted default VPC {busy_vpc}")


def test_main_refuses_an_endpoint_that_is_not_local(aws, capsys):
    assert main(["--region", "eu-west-1", "--endpoint", "http://example.com:5000"]) == 1
    assert "127.0.0.1" in capsys.readouterr().err
