"""The example's network read back from the local AWS API, account by account, against the network plan.

Imported into test_deploy_local.py (one deployment per module): it runs
against its `deployment`, after the apply and before the second plan and the
destroy, which cover the network stacks with every other stack.
What the local API serves only through our moto additions (a shared transit
gateway's cross-account attachment and acceptance, Direct Connect, RAM
associations) is proven again by `terraform test` with mocked providers:
tests/network/test_tftest.py.
"""

from __future__ import annotations

import boto3

from landing_zone.derived.network_plan import EGRESS_TABLE, NetworkPlan
from landing_zone.local_aws.server import DUMMY_CREDENTIALS

KEYS = dict(
    aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"], aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"]
)


class Accounts:
    """boto3 clients inside member accounts, through the access role."""

    def __init__(self, url: str, role: str) -> None:
        self.url, self.role = url, role
        org = boto3.client("organizations", endpoint_url=url, region_name="us-east-1", **KEYS)
        self.ids = {a["Name"]: a["Id"] for a in org.list_accounts()["Accounts"]}
        self._creds: dict[str, dict] = {}

    def client(self, service: str, account: str, region: str):
        if account not in self._creds:
            sts = boto3.client("sts", endpoint_url=self.url, region_name=region, **KEYS)
            arn = f"arn:aws:iam::{self.ids[account]}:role/{self.role}"
            self._creds[account] = sts.assume_role(RoleArn=arn, RoleSessionName="e2e-network")["Credentials"]
        c = self._creds[account]
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name=region,
            aws_access_key_id=c["AccessKeyId"],
            aws_secret_access_key=c["SecretAccessKey"],
            aws_session_token=c["SessionToken"],
        )


def _by_name(items: list[dict]) -> dict[str, dict]:
    return {next((t["Value"] for t in i.get("Tags", []) if t["Key"] == "Name"), ""): i for i in items}


def check_network(url: str, config) -> dict:
    """Assert the deployed network matches the plan; return what was found (names -> ids) for later checks."""
    plan = NetworkPlan(config)
    accounts = Accounts(url, config.organization.access_role_name)
    found = {"vpcs": {}, "attachments": {}}
    for name, vpc in plan.vpcs.items():
        ec2 = accounts.client("ec2", vpc.account, vpc.region)
        [seen] = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [name]}])["Vpcs"]
        assert seen["CidrBlock"] == vpc.cidr and seen["OwnerId"] == accounts.ids[vpc.account], name
        subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [seen["VpcId"]]}])["Subnets"]
        assert sorted(s["CidrBlock"] for s in subnets) == sorted(s.cidr for s in vpc.subnets), name
        assert not any(s["MapPublicIpOnLaunch"] for s in subnets), name
        [flow] = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [seen["VpcId"]]}])["FlowLogs"]
        assert flow["LogDestinationType"] == "s3" and flow["TrafficType"] == "ALL", name
        found["vpcs"][name] = seen["VpcId"]

    for tgw_plan in plan.tgws.values():
        ec2 = accounts.client("ec2", plan.account, tgw_plan.region)
        [tgw] = ec2.describe_transit_gateways(Filters=[{"Name": "tag:Name", "Values": [tgw_plan.name]}])["TransitGateways"]
        options = tgw["Options"]
        assert (
            options["AutoAcceptSharedAttachments"],
            options["DefaultRouteTableAssociation"],
            options["DefaultRouteTablePropagation"],
            options["AmazonSideAsn"],
        ) == ("disable", "disable", "disable", tgw_plan.asn)
        tables = {
            t["TransitGatewayRouteTableId"]: next(x["Value"] for x in t["Tags"] if x["Key"] == "segment")
            for t in ec2.describe_transit_gateway_route_tables(
                Filters=[{"Name": "transit-gateway-id", "Values": [tgw["TransitGatewayId"]]}]
            )["TransitGatewayRouteTables"]
            if any(x["Key"] == "segment" for x in t.get("Tags", []))
        }
        assert sorted(tables.values()) == sorted(tgw_plan.route_tables)
        table_ids = {segment: table_id for table_id, segment in tables.items()}

        # Every attachment, as the owner sees it: accepted, and owned by the VPC's account.
        attachments = ec2.describe_transit_gateway_attachments(
            Filters=[{"Name": "transit-gateway-id", "Values": [tgw["TransitGatewayId"]]}]
        )["TransitGatewayAttachments"]
        keys = {}
        for a in attachments:
            if a["ResourceType"] == "vpc":
                name = next(n for n, v in found["vpcs"].items() if v == a["ResourceId"])
                assert a["ResourceOwnerId"] == accounts.ids[plan.vpcs[name].account], name
                keys[f"vpc:{name}"] = a["TransitGatewayAttachmentId"]
            else:
                assert a["ResourceType"] == "direct-connect-gateway"
                keys[f"dx:{next(iter(plan.dx))}"] = a["TransitGatewayAttachmentId"]
            assert a["State"] == "available", a
        assert sorted(keys) == sorted(att.key for att in tgw_plan.attachments)
        found["attachments"].update(keys)

        # Associations and propagations, table by table, exactly as planned.
        for segment, table_id in table_ids.items():
            associated = {
                x["TransitGatewayAttachmentId"]
                for x in ec2.get_transit_gateway_route_table_associations(TransitGatewayRouteTableId=table_id)["Associations"]
            }
            propagated = {
                x["TransitGatewayAttachmentId"]
                for x in ec2.get_transit_gateway_route_table_propagations(TransitGatewayRouteTableId=table_id)[
                    "TransitGatewayRouteTablePropagations"
                ]
            }
            wires = [w for w in plan.wires if w.transit_gateway == tgw_plan.name and w.route_table == segment]
            assert associated == {keys[w.attachment] for w in wires if w.kind == "association"}, segment
            assert propagated == {keys[w.attachment] for w in wires if w.kind == "propagation"}, segment
            static = ec2.search_transit_gateway_routes(
                TransitGatewayRouteTableId=table_id, Filters=[{"Name": "type", "Values": ["static"]}]
            )["Routes"]
            got = sorted(
                (
                    r["DestinationCidrBlock"],
                    r["State"],
                    (r.get("TransitGatewayAttachments") or [{}])[0].get("TransitGatewayAttachmentId"),
                )
                for r in static
            )
            want = sorted(
                (r.cidr, "blackhole" if r.attachment is None else "active", None if r.attachment is None else keys[r.attachment])
                for r in plan.tgw_routes
                if r.transit_gateway == tgw_plan.name and r.route_table == segment
            )
            assert got == want, segment
        assert EGRESS_TABLE in table_ids

    for peering in plan.peerings.values():
        req, acc = plan.vpcs[peering.requester], plan.vpcs[peering.accepter]
        ec2 = accounts.client("ec2", req.account, req.region)
        [pcx] = ec2.describe_vpc_peering_connections(Filters=[{"Name": "tag:Name", "Values": [peering.name]}])[
            "VpcPeeringConnections"
        ]
        assert pcx["Status"]["Code"] == "active", pcx["Status"]
        assert pcx["RequesterVpcInfo"]["VpcId"] == found["vpcs"][req.name]
        assert (pcx["AccepterVpcInfo"]["VpcId"], pcx["AccepterVpcInfo"]["OwnerId"], pcx["AccepterVpcInfo"]["Region"]) == (
            found["vpcs"][acc.name],
            accounts.ids[acc.account],
            acc.region,
        )
        for vpc, dests in ((req, peering.requester_routes or (acc.cidr,)), (acc, peering.accepter_routes or (req.cidr,))):
            side = accounts.client("ec2", vpc.account, vpc.region)
            tables = _by_name(
                side.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [found["vpcs"][vpc.name]]}])["RouteTables"]
            )
            for tier in peering.tiers:
                routes = tables[f"{vpc.name}-{tier}"]["Routes"]
                via = sorted(
                    r["DestinationCidrBlock"] for r in routes if r.get("VpcPeeringConnectionId") == pcx["VpcPeeringConnectionId"]
                )
                assert via == sorted(dests), (vpc.name, tier)
    return found


def test_network_hub_segments_spokes_and_peering_exist_as_planned(deployment, config):
    """Transit gateway and segment tables, spoke and egress VPCs with subnets and flow logs, accepted attachments
    associated and propagated exactly as planned, static and blackhole routes, the active peering and its routes."""
    found = check_network(deployment.server.url, config)
    assert len(found["vpcs"]) == len(NetworkPlan(config).vpcs)
