"""The network additions to moto (landing_zone/local_aws/additions/{transit_gateways,direct_connect,ram}.py),
through the same kind of server the deploys use: one server for the module."""

from __future__ import annotations

import boto3
import pytest

from landing_zone.local_aws.server import LocalAws

REGION = "eu-west-1"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with LocalAws(log_file=tmp_path_factory.mktemp("moto") / "moto.log") as running:
        yield running


@pytest.fixture(scope="module")
def aws(server):
    """client(service, account=None): the management account's, or another account's through an assumed role."""

    def client(service: str, account: str | None = None):
        keys = dict(aws_access_key_id="testing", aws_secret_access_key="testing")
        if account:
            sts = boto3.client("sts", endpoint_url=server.url, region_name=REGION, **keys)
            creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="test")[
                "Credentials"
            ]
            keys = dict(
                aws_access_key_id=creds["AccessKeyId"],
                aws_secret_access_key=creds["SecretAccessKey"],
                aws_session_token=creds["SessionToken"],
            )
        return boto3.client(service, endpoint_url=server.url, region_name=REGION, **keys)

    return client


@pytest.fixture(scope="module")
def hub(aws):
    """A transit gateway in a 'network' account with default tables and auto-accept off, and a spoke account."""
    network, spoke = "111111111111", "222222222222"
    ec2 = aws("ec2", network)
    tgw = ec2.create_transit_gateway(
        Options={
            "AutoAcceptSharedAttachments": "disable",
            "DefaultRouteTableAssociation": "disable",
            "DefaultRouteTablePropagation": "disable",
        }
    )["TransitGateway"]["TransitGatewayId"]
    tables = {
        name: ec2.create_transit_gateway_route_table(TransitGatewayId=tgw)["TransitGatewayRouteTable"][
            "TransitGatewayRouteTableId"
        ]
        for name in ("prod", "shared", "egress")
    }
    return {"network": network, "spoke": spoke, "tgw": tgw, "tables": tables}


def _vpc(ec2, cidr: str):
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr.replace("/16", "/28"))["Subnet"]["SubnetId"]
    return vpc, subnet


def test_another_account_attaches_to_a_shared_gateway_and_waits_for_the_owner(aws, hub):
    spoke_ec2, owner_ec2 = aws("ec2", hub["spoke"]), aws("ec2", hub["network"])
    assert spoke_ec2.describe_transit_gateways(TransitGatewayIds=[hub["tgw"]])["TransitGateways"][0]["OwnerId"] == hub["network"]
    vpc, subnet = _vpc(spoke_ec2, "10.10.0.0/16")
    attachment = spoke_ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=hub["tgw"], VpcId=vpc, SubnetIds=[subnet])
    attachment_id = attachment["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    assert attachment["TransitGatewayVpcAttachment"]["State"] == "pendingAcceptance"
    [seen] = owner_ec2.describe_transit_gateway_attachments(TransitGatewayAttachmentIds=[attachment_id])[
        "TransitGatewayAttachments"
    ]
    assert (seen["TransitGatewayOwnerId"], seen["ResourceOwnerId"]) == (hub["network"], hub["spoke"])
    assert "Association" not in seen  # default association is off
    accepted = owner_ec2.accept_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment_id)
    assert accepted["TransitGatewayVpcAttachment"]["State"] == "available"
    [mine] = spoke_ec2.describe_transit_gateway_vpc_attachments(TransitGatewayAttachmentIds=[attachment_id])[
        "TransitGatewayVpcAttachments"
    ]
    assert mine["State"] == "available"
    hub["spoke_attachment"] = attachment_id


def test_a_vpc_route_to_a_gateway_shared_with_the_account_keeps_its_target(aws, hub):
    ec2 = aws("ec2", hub["spoke"])
    vpc = ec2.describe_transit_gateway_vpc_attachments(TransitGatewayAttachmentIds=[hub["spoke_attachment"]])[
        "TransitGatewayVpcAttachments"
    ][0]["VpcId"]
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", TransitGatewayId=hub["tgw"])
    ec2.replace_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", TransitGatewayId=hub["tgw"])
    routes = ec2.describe_route_tables(RouteTableIds=[table])["RouteTables"][0]["Routes"]
    assert [r.get("TransitGatewayId") for r in routes if r.get("DestinationCidrBlock") == "0.0.0.0/0"] == [hub["tgw"]]


def test_one_attachment_propagates_into_several_tables_and_each_is_removed_alone(aws, hub):
    ec2, attachment = aws("ec2", hub["network"]), hub["spoke_attachment"]
    ec2.associate_transit_gateway_route_table(
        TransitGatewayAttachmentId=attachment, TransitGatewayRouteTableId=hub["tables"]["prod"]
    )
    for name in ("prod", "shared", "egress"):
        ec2.enable_transit_gateway_route_table_propagation(
            TransitGatewayAttachmentId=attachment, TransitGatewayRouteTableId=hub["tables"][name]
        )
    propagated = lambda name: [
        p["TransitGatewayAttachmentId"]
        for p in ec2.get_transit_gateway_route_table_propagations(TransitGatewayRouteTableId=hub["tables"][name])[
            "TransitGatewayRouteTablePropagations"
        ]
    ]
    assert all(propagated(n) == [attachment] for n in ("prod", "shared", "egress"))
    ec2.disable_transit_gateway_route_table_propagation(
        TransitGatewayAttachmentId=attachment, TransitGatewayRouteTableId=hub["tables"]["shared"]
    )
    ec2.disable_transit_gateway_route_table_propagation(
        TransitGatewayAttachmentId=attachment, TransitGatewayRouteTableId=hub["tables"]["egress"]
    )
    assert (propagated("prod"), propagated("shared"), propagated("egress")) == ([attachment], [], [])
    ec2.disassociate_transit_gateway_route_table(
        TransitGatewayAttachmentId=attachment, TransitGatewayRouteTableId=hub["tables"]["prod"]
    )
    assert (
        ec2.get_transit_gateway_route_table_associations(TransitGatewayRouteTableId=hub["tables"]["prod"])["Associations"] == []
    )


def test_the_owner_own_vpc_is_not_put_in_a_default_table_and_deleting_a_shared_attachment_clears_both_sides(aws, hub):
    owner_ec2, spoke_ec2 = aws("ec2", hub["network"]), aws("ec2", hub["spoke"])
    vpc, subnet = _vpc(owner_ec2, "10.0.0.0/16")
    own = owner_ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=hub["tgw"], VpcId=vpc, SubnetIds=[subnet])
    own_id = own["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    assert own["TransitGatewayVpcAttachment"]["State"] == "available"
    [seen] = owner_ec2.describe_transit_gateway_attachments(TransitGatewayAttachmentIds=[own_id])["TransitGatewayAttachments"]
    assert "Association" not in seen
    spoke_ec2.delete_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=hub["spoke_attachment"])
    seen = lambda ec2: {
        a["TransitGatewayAttachmentId"]: a["State"]
        for a in ec2.describe_transit_gateway_attachments(Filters=[{"Name": "resource-type", "Values": ["vpc"]}])[
            "TransitGatewayAttachments"
        ]
    }
    # Deleted attachments stay visible as `deleted` on both sides (terraform's deletion waiter reads that).
    assert seen(owner_ec2) == {own_id: "available", hub["spoke_attachment"]: "deleted"}
    assert seen(spoke_ec2) == {hub["spoke_attachment"]: "deleted"}
    spoke_vpc = spoke_ec2.describe_vpcs(Filters=[{"Name": "cidr", "Values": ["10.10.0.0/16"]}])["Vpcs"][0]["VpcId"]
    spoke_subnet = spoke_ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [spoke_vpc]}])["Subnets"][0]["SubnetId"]
    again = spoke_ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=hub["tgw"], VpcId=spoke_vpc, SubnetIds=[spoke_subnet]
    )
    assert again["TransitGatewayVpcAttachment"]["State"] == "pendingAcceptance"  # a deleted one does not block it


def test_direct_connect_gateway_association_gives_the_transit_gateway_an_attachment(aws, hub):
    dx, ec2 = aws("directconnect", hub["network"]), aws("ec2", hub["network"])
    gateway = dx.create_direct_connect_gateway(directConnectGatewayName="corp", amazonSideAsn=64600)["directConnectGateway"]
    gateway_id = gateway["directConnectGatewayId"]
    assert (gateway["amazonSideAsn"], gateway["directConnectGatewayState"]) == (64600, "available")
    association = dx.create_direct_connect_gateway_association(
        directConnectGatewayId=gateway_id, gatewayId=hub["tgw"], addAllowedPrefixesToDirectConnectGateway=[{"cidr": "10.0.0.0/8"}]
    )["directConnectGatewayAssociation"]
    assert association["associationState"] == "associated"
    assert association["associatedGateway"] == {
        "id": hub["tgw"],
        "type": "transitGateway",
        "ownerAccount": hub["network"],
        "region": REGION,
    }
    [found] = dx.describe_direct_connect_gateway_associations(directConnectGatewayId=gateway_id, associatedGatewayId=hub["tgw"])[
        "directConnectGatewayAssociations"
    ]
    assert found["allowedPrefixesToDirectConnectGateway"] == [{"cidr": "10.0.0.0/8"}]
    dx.update_direct_connect_gateway_association(
        associationId=found["associationId"],
        addAllowedPrefixesToDirectConnectGateway=[{"cidr": "172.16.0.0/12"}],
        removeAllowedPrefixesToDirectConnectGateway=[{"cidr": "10.0.0.0/8"}],
    )
    [found] = dx.describe_direct_connect_gateway_associations(associationId=found["associationId"])[
        "directConnectGatewayAssociations"
    ]
    assert found["allowedPrefixesToDirectConnectGateway"] == [{"cidr": "172.16.0.0/12"}]
    dx_filter = [
        {"Name": "resource-type", "Values": ["direct-connect-gateway"]},
        {"Name": "resource-id", "Values": [gateway_id]},
        {"Name": "transit-gateway-id", "Values": [hub["tgw"]]},
    ]
    [attachment] = ec2.describe_transit_gateway_attachments(Filters=dx_filter)["TransitGatewayAttachments"]
    assert attachment["State"] == "available"
    with pytest.raises(dx.exceptions.ClientError):
        dx.delete_direct_connect_gateway(directConnectGatewayId=gateway_id)  # still associated
    gone = dx.delete_direct_connect_gateway_association(associationId=found["associationId"])
    assert gone["directConnectGatewayAssociation"]["associationState"] == "disassociated"
    assert ec2.describe_transit_gateway_attachments(Filters=dx_filter)["TransitGatewayAttachments"] == []
    assert (
        dx.delete_direct_connect_gateway(directConnectGatewayId=gateway_id)["directConnectGateway"]["directConnectGatewayState"]
        == "deleted"
    )
    assert dx.describe_direct_connect_gateways()["directConnectGateways"] == []


def test_ram_principals_and_resources_are_associated_after_the_share_exists(aws, hub):
    org = aws("organizations")
    org.create_organization(FeatureSet="ALL")
    ram = aws("ram")
    share = ram.create_resource_share(name="hub", allowExternalPrincipals=False)["resourceShare"]["resourceShareArn"]
    tgw_arn = f"arn:aws:ec2:{REGION}:123456789012:transit-gateway/tgw-0123456789abcdef0"
    org_arn = org.describe_organization()["Organization"]["Arn"]
    done = ram.associate_resource_share(resourceShareArn=share, principals=[org_arn], resourceArns=[tgw_arn])
    assert sorted((a["associationType"], a["status"]) for a in done["resourceShareAssociations"]) == [
        ("PRINCIPAL", "ASSOCIATED"),
        ("RESOURCE", "ASSOCIATED"),
    ]
    listed = ram.get_resource_share_associations(associationType="PRINCIPAL", resourceShareArns=[share])[
        "resourceShareAssociations"
    ]
    assert [a["associatedEntity"] for a in listed] == [org_arn]
    assert ram.list_resource_share_permissions(resourceShareArn=share)["permissions"][0]["resourceType"] == "ec2:TransitGateway"
    ram.disassociate_resource_share(resourceShareArn=share, principals=[org_arn])
    assert (
        ram.get_resource_share_associations(associationType="PRINCIPAL", resourceShareArns=[share])["resourceShareAssociations"]
        == []
    )
    ram.enable_sharing_with_aws_organization()
    role = aws("iam").get_role(RoleName="AWSServiceRoleForResourceAccessManager")["Role"]
    assert role["Path"] == "/aws-service-role/ram.amazonaws.com/"


def test_static_routes_name_their_attachment_and_attachments_keep_their_tags(aws, hub):
    ec2 = aws("ec2", hub["network"])
    vpc, subnet = _vpc(ec2, "10.1.0.0/16")
    attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=hub["tgw"],
        VpcId=vpc,
        SubnetIds=[subnet],
        TagSpecifications=[{"ResourceType": "transit-gateway-attachment", "Tags": [{"Key": "Name", "Value": "egress"}]}],
    )
    attachment_id = attachment["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    assert attachment["TransitGatewayVpcAttachment"]["Tags"] == [{"Key": "Name", "Value": "egress"}]
    table = hub["tables"]["egress"]
    ec2.create_transit_gateway_route(
        DestinationCidrBlock="0.0.0.0/0", TransitGatewayRouteTableId=table, TransitGatewayAttachmentId=attachment_id
    )
    ec2.create_transit_gateway_route(DestinationCidrBlock="10.99.0.0/16", TransitGatewayRouteTableId=table, Blackhole=True)
    routes = {
        r["DestinationCidrBlock"]: r
        for r in ec2.search_transit_gateway_routes(
            TransitGatewayRouteTableId=table, Filters=[{"Name": "type", "Values": ["static"]}]
        )["Routes"]
    }
    assert routes["0.0.0.0/0"]["State"] == "active"
    assert [a["TransitGatewayAttachmentId"] for a in routes["0.0.0.0/0"]["TransitGatewayAttachments"]] == [attachment_id]
    assert routes["10.99.0.0/16"]["State"] == "blackhole" and not routes["10.99.0.0/16"].get("TransitGatewayAttachments")


def test_ram_shares_keep_their_tags(aws):
    ram = aws("ram")
    arn = ram.create_resource_share(name="tagged", allowExternalPrincipals=False, tags=[{"key": "Name", "value": "tagged"}])[
        "resourceShare"
    ]["resourceShareArn"]
    ram.tag_resource(resourceShareArn=arn, tags=[{"key": "owner", "value": "network"}])
    ram.untag_resource(resourceShareArn=arn, tagKeys=["Name"])
    [share] = [s for s in ram.get_resource_shares(resourceOwner="SELF")["resourceShares"] if s["resourceShareArn"] == arn]
    assert share["tags"] == [{"key": "owner", "value": "network"}]


def test_only_the_default_vpcs_subnets_are_default_ones_even_after_it_is_deleted(aws):
    """AWS: a subnet outside the default VPC has DefaultForAz and MapPublicIpOnLaunch false. moto made the first
    subnet of a zone the default one in any VPC, so after the baseline deleted the default VPC terraform had to
    set MapPublicIpOnLaunch back to false and the provider waited 10 s per subnet (issue 23 B.3)."""
    ec2 = aws("ec2", "333333333333")
    (default,) = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
    default_subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [default["VpcId"]]}])["Subnets"]
    assert default_subnets and all(s["DefaultForAz"] and s["MapPublicIpOnLaunch"] for s in default_subnets)
    for subnet in default_subnets:
        ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    ec2.delete_vpc(VpcId=default["VpcId"])
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    zone = default_subnets[0]["AvailabilityZone"]
    created = ec2.create_subnet(VpcId=vpc, CidrBlock="10.40.0.0/24", AvailabilityZone=zone)["Subnet"]
    assert created["MapPublicIpOnLaunch"] is False and created["DefaultForAz"] is False
    (read,) = ec2.describe_subnets(SubnetIds=[created["SubnetId"]])["Subnets"]
    assert read["MapPublicIpOnLaunch"] is False and read["DefaultForAz"] is False
