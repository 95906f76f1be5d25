"""The network constructs on their own: one small throwaway stack, synthesized once for this module.

Covers what the example does not use (IPAM, a transit VIF, a blackhole-only
wiring) and checks each construct's secure defaults and nested properties;
the same output passes checkov with zero failed checks and terraform validate.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.synth

ROOT = Path(__file__).resolve().parents[2]
LOG = "arn:aws:s3:::acme-log-archive-222222222222"
ORG = "arn:aws:organizations::111111111111:organization/o-abcdefghij"

APP = """
import sys
from cdktf import App, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from landing_zone.constructs.network import *

LOG, ORG = sys.argv[2], sys.argv[3]
app = App(outdir=sys.argv[1], stack_traces=False)
stack = TerraformStack(app, "net")
home = AwsProvider(stack, "aws", region="eu-west-1")
other = AwsProvider(stack, "aws_peer", region="eu-central-1", alias="peer")
hub = TransitGatewayHub(stack, "hub", TransitGatewayHubProps(
    name="hub", route_tables=("prod", "shared", "egress"), amazon_side_asn=64513,
    share_principal_arns={"Workloads": "arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-cdef3456"}))
spoke = LandingZoneVpc(stack, "spoke", VpcProps(name="app", cidr_block="10.10.0.0/16", flow_log_destination_arn=LOG,
    subnets=(SubnetSpec(tier="private", availability_zone="eu-west-1a", newbits=4, netnum=0, cidr="10.10.0.0/20"),
             SubnetSpec(tier="private", availability_zone="eu-west-1b", newbits=4, netnum=1, cidr="10.10.16.0/20"),
             SubnetSpec(tier="transit", availability_zone="eu-west-1a", newbits=12, netnum=512, cidr="10.10.32.0/28"),
             SubnetSpec(tier="transit", availability_zone="eu-west-1b", newbits=12, netnum=513, cidr="10.10.32.16/28"))))
attachment = spoke.attach_to_transit_gateway(hub.transit_gateway_id, same_account=False, transit_gateway_key="hub")
SegmentWiring(stack, "wire_app", SegmentWiringProps(hub=hub, key="vpc_app", attachment_id=attachment.id, accept=True,
    association="prod", propagations=("prod", "shared", "egress"),
    routes=(StaticRoute(route_table="shared", cidr="10.10.0.0/20"),)))
SegmentWiring(stack, "blackholes", SegmentWiringProps(hub=hub, key="blackholes",
    routes=(StaticRoute(route_table="prod", cidr="10.99.0.0/16", blackhole=True),)))
egress = EgressVpc(stack, "egress", EgressVpcProps(name="hub-egress", cidr_block="10.0.0.0/24",
    transit_gateway_id=hub.transit_gateway_id, return_cidrs=("10.0.0.0/8",), flow_log_destination_arn=LOG,
    subnets=(SubnetSpec(tier="public", availability_zone="eu-west-1a", newbits=4, netnum=0, cidr="10.0.0.0/28"),
             SubnetSpec(tier="public", availability_zone="eu-west-1b", newbits=4, netnum=1, cidr="10.0.0.16/28"),
             SubnetSpec(tier="transit", availability_zone="eu-west-1a", newbits=4, netnum=2, cidr="10.0.0.32/28"),
             SubnetSpec(tier="transit", availability_zone="eu-west-1b", newbits=4, netnum=3, cidr="10.0.0.48/28"))))
ipam = Ipam(stack, "ipam", IpamProps(name="acme-ipam", home_region="eu-west-1",
    pools=(IpamPoolSpec(name="lab", cidr="172.16.0.0/12", region="eu-central-1", segment="shared"),),
    share_principal_arns={"organization": ORG}))
lab = LandingZoneVpc(stack, "lab", VpcProps(name="lab", ipam_pool_id=ipam.pool_id("lab"), netmask_length=16,
    flow_log_destination_arn=LOG, provider=other, flow_log_traffic_type="REJECT",
    subnets=(SubnetSpec(tier="private", availability_zone="eu-central-1a", newbits=4, netnum=0),
             SubnetSpec(tier="isolated", availability_zone="eu-central-1a", newbits=8, netnum=16))))
VpcPeering(stack, "peering", VpcPeeringProps(name="app-lab", requester=spoke, accepter=lab, requester_provider=home,
    accepter_provider=other, accepter_account_id="333333333333", accepter_region="eu-central-1",
    accepter_routes=("10.10.0.0/20",), route_tiers=("private",)))
DirectConnectGateway(stack, "dx", DirectConnectGatewayProps(name="corp", amazon_side_asn=64600,
    associations={"hub": (hub, ("10.0.0.0/8", "172.16.0.0/12"))},
    virtual_interfaces=(TransitVifSpec(name="corp-vif", connection_id="dxcon-abcd1234", vlan=120, customer_asn=65010),)))
app.synth()
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("network_constructs")
    script = folder / "app.py"
    script.write_text(APP)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    run = subprocess.run(
        [sys.executable, str(script), str(folder / "out"), LOG, ORG],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return folder / "out"


@pytest.fixture(scope="module")
def doc(out) -> dict:
    return json.loads((out / "stacks" / "net" / "cdk.tf.json").read_text())


def res(doc, kind: str) -> dict:
    return doc["resource"].get(kind, {})


def test_transit_gateway_accepts_nothing_by_itself_and_has_no_default_route_table(doc):
    [tgw] = res(doc, "aws_ec2_transit_gateway").values()
    assert tgw["auto_accept_shared_attachments"] == "disable"
    assert tgw["default_route_table_association"] == "disable"
    assert tgw["default_route_table_propagation"] == "disable"
    assert tgw["amazon_side_asn"] == 64513
    assert sorted(res(doc, "aws_ec2_transit_gateway_route_table")) == [
        "tgw_rt_hub_egress",
        "tgw_rt_hub_prod",
        "tgw_rt_hub_shared",
    ]


def test_ram_shares_stay_inside_the_organization_keyed_by_stable_names(doc):
    shares = res(doc, "aws_ram_resource_share")
    assert sorted(shares) == ["ram_share_ipam_acme-ipam", "ram_share_tgw_hub"]
    assert all(s["allow_external_principals"] is False for s in shares.values())
    principals = res(doc, "aws_ram_principal_association")
    assert principals["ram_principal_tgw_hub_Workloads"]["principal"].endswith(":ou/o-abcdefghij/ou-ab12-cdef3456")
    assert principals["ram_principal_ipam_acme-ipam_organization"]["principal"] == ORG


def test_vpc_logs_every_flow_closes_the_default_group_and_hands_out_no_public_ips(doc):
    flows = res(doc, "aws_flow_log")
    assert sorted(flows) == ["vpc_flow_log_app", "vpc_flow_log_hub-egress", "vpc_flow_log_lab"]
    assert {f["log_destination"] for f in flows.values()} == {LOG}
    assert all(f["log_destination_type"] == "s3" for f in flows.values())
    assert flows["vpc_flow_log_lab"]["traffic_type"] == "REJECT" and flows["vpc_flow_log_app"]["traffic_type"] == "ALL"
    for group in res(doc, "aws_default_security_group").values():
        assert "ingress" not in group and "egress" not in group
    assert all(s["map_public_ip_on_launch"] is False for s in res(doc, "aws_subnet").values())
    assert res(doc, "aws_vpc")["vpc_app"]["enable_dns_support"] is True


def test_ipam_vpc_allocates_from_its_pool_and_places_subnets_with_cidrsubnet(doc):
    vpc = res(doc, "aws_vpc")["vpc_lab"]
    assert vpc["ipv4_ipam_pool_id"] == "${aws_vpc_ipam_pool.ipam_pool_lab.id}" and vpc["ipv4_netmask_length"] == 16
    assert "cidr_block" not in vpc
    subnet = res(doc, "aws_subnet")["subnet_lab_isolated_eu-central-1a"]
    assert subnet["cidr_block"] == "${cidrsubnet(aws_vpc.vpc_lab.cidr_block, 8, 16)}"
    pool = res(doc, "aws_vpc_ipam_pool")["ipam_pool_lab"]
    assert pool["locale"] == "eu-central-1" and pool["address_family"] == "ipv4" and pool["tags"]["segment"] == "shared"
    ipam = res(doc, "aws_vpc_ipam")["ipam_acme-ipam"]
    assert [r["region_name"] for r in ipam["operating_regions"]] == ["eu-central-1", "eu-west-1"]
    assert res(doc, "aws_vpc_ipam_pool_cidr")["ipam_pool_cidr_lab"]["cidr"] == "172.16.0.0/12"


def test_shared_attachment_is_accepted_by_the_owner_then_associated_propagated_and_routed(doc):
    attachment = res(doc, "aws_ec2_transit_gateway_vpc_attachment")["tgw_attachment_app_hub"]
    assert "transit_gateway_default_route_table_association" not in attachment  # a shared TGW's owner decides
    assert attachment["subnet_ids"] == [
        "${aws_subnet.subnet_app_transit_eu-west-1a.id}",
        "${aws_subnet.subnet_app_transit_eu-west-1b.id}",
    ]
    accepter = res(doc, "aws_ec2_transit_gateway_vpc_attachment_accepter")["tgw_accepter_hub_vpc_app"]
    assert accepter["transit_gateway_default_route_table_association"] is False
    assert accepter["transit_gateway_default_route_table_propagation"] is False
    accepted = "${aws_ec2_transit_gateway_vpc_attachment_accepter.tgw_accepter_hub_vpc_app.id}"
    association = res(doc, "aws_ec2_transit_gateway_route_table_association")["tgw_association_hub_vpc_app"]
    assert association["transit_gateway_attachment_id"] == accepted
    assert association["transit_gateway_route_table_id"] == "${aws_ec2_transit_gateway_route_table.tgw_rt_hub_prod.id}"
    propagations = res(doc, "aws_ec2_transit_gateway_route_table_propagation")
    assert sorted(propagations) == [f"tgw_propagation_hub_vpc_app_{t}" for t in ("egress", "prod", "shared")]
    routes = res(doc, "aws_ec2_transit_gateway_route")
    assert routes["tgw_route_hub_shared_10-10-0-0_20"]["transit_gateway_attachment_id"] == accepted
    blackhole = routes["tgw_blackhole_hub_prod_10-99-0-0_16"]
    assert blackhole["blackhole"] is True and "transit_gateway_attachment_id" not in blackhole
    default = res(doc, "aws_route")["route_app_private_tgw_0-0-0-0_0"]
    assert default["depends_on"] == ["aws_ec2_transit_gateway_vpc_attachment.tgw_attachment_app_hub"]


def test_egress_vpc_has_a_nat_gateway_per_zone_and_routes_back_to_the_hub(doc):
    nats = res(doc, "aws_nat_gateway")
    assert sorted(nats) == ["nat_hub-egress_eu-west-1a", "nat_hub-egress_eu-west-1b"]
    assert all(e["domain"] == "vpc" for e in res(doc, "aws_eip").values())
    routes = res(doc, "aws_route")
    for zone in ("eu-west-1a", "eu-west-1b"):
        nat = routes[f"route_hub-egress_transit_{zone}_nat_0-0-0-0_0"]
        assert nat["nat_gateway_id"] == f"${{aws_nat_gateway.nat_hub-egress_{zone}.id}}"
        assert (
            routes[f"route_hub-egress_public_{zone}_internet_0-0-0-0_0"]["gateway_id"]
            == "${aws_internet_gateway.igw_hub-egress.id}"
        )
        back = routes[f"route_hub-egress_public_{zone}_tgw_10-0-0-0_8"]
        assert back["transit_gateway_id"] == "${aws_ec2_transit_gateway.tgw_hub.id}"
    egress_attachment = res(doc, "aws_ec2_transit_gateway_vpc_attachment")["tgw_attachment_hub-egress_tgw"]
    assert egress_attachment["transit_gateway_default_route_table_association"] is False


def test_peering_requests_on_one_side_accepts_on_the_other_and_routes_only_the_peer(doc):
    pcx = res(doc, "aws_vpc_peering_connection")["pcx_app-lab"]
    assert pcx["peer_owner_id"] == "333333333333" and pcx["peer_region"] == "eu-central-1" and pcx["auto_accept"] is False
    assert "provider" not in pcx or pcx["provider"] == "aws"
    accepter = res(doc, "aws_vpc_peering_connection_accepter")["pcx_accepter_app-lab"]
    assert accepter["provider"] == "aws.peer" and accepter["auto_accept"] is True
    options = res(doc, "aws_vpc_peering_connection_options")
    assert options["pcx_options_requester_app-lab"]["requester"]["allow_remote_vpc_dns_resolution"] is True
    assert options["pcx_options_accepter_app-lab"]["accepter"]["allow_remote_vpc_dns_resolution"] is True
    assert options["pcx_options_accepter_app-lab"]["provider"] == "aws.peer"
    routes = {k: v for k, v in res(doc, "aws_route").items() if k.startswith("pcx_route_")}
    assert sorted(routes) == ["pcx_route_app-lab_accepter_private_10-10-0-0_20", "pcx_route_app-lab_requester_private_peer"]
    assert routes["pcx_route_app-lab_requester_private_peer"]["destination_cidr_block"] == "${aws_vpc.vpc_lab.cidr_block}"
    assert routes["pcx_route_app-lab_accepter_private_10-10-0-0_20"]["provider"] == "aws.peer"
    assert all(r["destination_cidr_block"] != "0.0.0.0/0" for r in routes.values())


def test_direct_connect_gateway_associates_with_allowed_prefixes_and_exposes_its_attachment(doc):
    gateway = res(doc, "aws_dx_gateway")["dx_gateway_corp"]
    assert gateway["amazon_side_asn"] == "64600" and gateway["name"] == "corp"
    association = res(doc, "aws_dx_gateway_association")["dx_association_corp_hub"]
    assert association["allowed_prefixes"] == ["10.0.0.0/8", "172.16.0.0/12"]
    assert association["associated_gateway_id"] == "${aws_ec2_transit_gateway.tgw_hub.id}"
    lookup = doc["data"]["aws_ec2_transit_gateway_dx_gateway_attachment"]["dx_attachment_corp_hub"]
    assert lookup["depends_on"] == ["aws_dx_gateway_association.dx_association_corp_hub"]
    vif = res(doc, "aws_dx_transit_virtual_interface")["dx_vif_corp_corp-vif"]
    assert (vif["vlan"], vif["bgp_asn"], vif["mtu"], vif["address_family"]) == (120, 65010, 8500, "ipv4")


def test_constructs_output_passes_checkov_with_zero_failed_checks(out):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "checkov.main",
            "-d",
            str(out),
            "--framework",
            "terraform_json",
            "--skip-download",
            "--compact",
            "-o",
            "json",
        ],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(run.stdout)
    summary = report["summary"]
    failed = [f"{c['check_id']} {c['resource']}" for c in report["results"]["failed_checks"]]
    assert failed == [] and summary["failed"] == 0
    passed = {c["check_id"] for c in report["results"]["passed_checks"]}
    assert {"CKV_AWS_331", "CKV2_AWS_11", "CKV2_AWS_12", "CKV_AWS_130", "CKV2_AWS_44", "CKV2_AWS_19"} <= passed
