"""The example's network as synthesized (the session's one synthesis, `synth_out`)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.synth

SPOKES = {
    "payments-prod": "prod",
    "web-prod": "prod",
    "payments-nonprod": "nonprod",
    "web-nonprod": "nonprod",
    "shared-services": "shared",
}


def res(doc: dict, kind: str) -> dict:
    return doc.get("resource", {}).get(kind, {})


def provider_alias(conf: dict) -> str:
    return conf.get("provider", "aws")


def test_network_and_one_stack_per_spoke_account_in_dependency_order(synth_out):
    stacks = synth_out.manifest["stacks"]
    assert "network" in stacks
    assert {f"account-{a}" for a in SPOKES} <= set(stacks)
    assert set(stacks["network"]["dependencies"]) == {"management", "log-archive"}
    assert set(stacks["account-shared-services"]["dependencies"]) == {
        "management",
        "log-archive",
        "network",
        "account-payments-prod",
    }
    assert set(stacks["account-web-prod"]["dependencies"]) == {"management", "log-archive", "network"}


def test_hub_has_three_segments_plus_egress_and_is_shared_with_two_ous_only(synth_out):
    net = synth_out.stacks["network"]
    [tgw] = res(net, "aws_ec2_transit_gateway").values()
    assert (tgw["amazon_side_asn"], tgw["auto_accept_shared_attachments"]) == (64512, "disable")
    tables = res(net, "aws_ec2_transit_gateway_route_table")
    assert sorted(t["tags"]["segment"] for t in tables.values()) == ["egress", "nonprod", "prod", "shared"]
    [share] = res(net, "aws_ram_resource_share").values()
    assert share["allow_external_principals"] is False
    principals = res(net, "aws_ram_principal_association")
    assert sorted(principals) == ["ram_principal_tgw_hub_Infrastructure", "ram_principal_tgw_hub_Workloads"]
    assert all("cross-stack-output-aws_organizations_organizational_unit" in p["principal"] for p in principals.values())
    sharing = res(net, "aws_ram_sharing_with_organization")["ram_sharing_with_organization"]
    assert provider_alias(sharing) == "aws.management"
    management = next(p for p in net["provider"]["aws"] if p.get("alias") == "management")
    assert "assume_role" not in management  # the management account's own credentials


def test_segments_are_wired_so_prod_and_nonprod_never_meet(synth_out):
    def wiring(stack: str):
        doc = synth_out.stacks[stack]
        table = lambda ref: re.search(r"tgw_rt_hub_([a-z]+)\.?id", ref).group(1)
        assoc = [
            table(a["transit_gateway_route_table_id"])
            for a in res(doc, "aws_ec2_transit_gateway_route_table_association").values()
        ]
        props = sorted(
            table(p["transit_gateway_route_table_id"])
            for p in res(doc, "aws_ec2_transit_gateway_route_table_propagation").values()
        )
        return assoc, props

    for account, segment in SPOKES.items():
        assoc, props = wiring(f"account-{account}")
        assert assoc == [segment], account
        assert "nonprod" not in props if segment == "prod" else "prod" not in props if segment == "nonprod" else True
        assert "shared" in props and "egress" in props, account
    assert wiring("account-shared-services")[1] == ["egress", "nonprod", "prod", "shared"]


def test_spoke_attachments_are_accepted_by_the_network_account_through_an_aliased_provider(synth_out):
    doc = synth_out.stacks["account-payments-prod"]
    [attachment] = res(doc, "aws_ec2_transit_gateway_vpc_attachment").values()
    assert provider_alias(attachment).startswith("aws.eu-west-1") or provider_alias(attachment) == "aws"
    assert "cross-stack-output-aws_ec2_transit_gatewaytgw_hubid" in attachment["transit_gateway_id"]
    [accepter] = res(doc, "aws_ec2_transit_gateway_vpc_attachment_accepter").values()
    assert accepter["provider"] == "aws.network_eu-west-1"
    network = next(p for p in doc["provider"]["aws"] if p.get("alias") == "network_eu-west-1")
    assert "aws_organizations_accountaccount_networkid" in network["assume_role"][0]["role_arn"]
    assert network["allowed_account_ids"] == [network["assume_role"][0]["role_arn"].split(":")[4]]
    for kind in (
        "aws_ec2_transit_gateway_route_table_association",
        "aws_ec2_transit_gateway_route_table_propagation",
        "aws_ec2_transit_gateway_route",
    ):
        assert {provider_alias(c) for c in res(doc, kind).values()} == {"aws.network_eu-west-1"}, kind


def test_egress_defaults_and_hairpin_blackholes(synth_out):
    net = synth_out.stacks["network"]
    routes = res(net, "aws_ec2_transit_gateway_route")
    defaults = {k: r for k, r in routes.items() if r["destination_cidr_block"] == "0.0.0.0/0"}
    assert sorted(defaults) == [f"tgw_route_hub_{s}_0-0-0-0_0" for s in ("nonprod", "prod", "shared")]
    assert all("tgw_attachment_hub-egress_tgw" in r["transit_gateway_attachment_id"] for r in defaults.values())
    assert routes["tgw_blackhole_hub_nonprod_10-99-0-0_16"]["blackhole"] is True  # configured
    nonprod_spoke = res(synth_out.stacks["account-payments-nonprod"], "aws_ec2_transit_gateway_route")
    [blackhole] = nonprod_spoke.values()  # payments-nonprod is dropped in prod, where it must not be reached
    assert blackhole["blackhole"] is True and blackhole["destination_cidr_block"] == "10.20.0.0/16"
    assert re.search(r"tgw_rt_hub_prod\.?id}$", blackhole["transit_gateway_route_table_id"])
    assert len(res(net, "aws_nat_gateway")) == 2


def test_spoke_vpcs_have_flow_logs_to_the_log_archive_bucket_and_default_routes_to_the_hub(synth_out):
    for account in SPOKES:
        doc = synth_out.stacks[f"account-{account}"]
        vpcs, flows = res(doc, "aws_vpc"), res(doc, "aws_flow_log")
        assert sorted(f["vpc_id"] for f in flows.values()) == sorted(f"${{aws_vpc.{k}.id}}" for k in vpcs)
        for flow in flows.values():
            assert flow["log_destination"].startswith("arn:aws:s3:::acme-log-archive-${")
            assert "/" not in flow["log_destination"].split(":::")[1].split("}")[-1]
        assert len(res(doc, "aws_default_security_group")) == len(vpcs)
        default = [
            r for r in res(doc, "aws_route").values() if r["destination_cidr_block"] == "0.0.0.0/0" and "transit_gateway_id" in r
        ]
        assert len(default) == 1, account


def test_cross_account_cross_region_peering_with_both_sides_routed(synth_out):
    doc = synth_out.stacks["account-shared-services"]
    pcx = res(doc, "aws_vpc_peering_connection")["pcx_payments-analytics"]
    assert pcx["provider"] == "aws.payments-prod_eu-west-1" and pcx["peer_region"] == "eu-central-1"
    assert "cross-stack-output-aws_vpcvpc_payments-prodid" in pcx["vpc_id"]
    accepter = res(doc, "aws_vpc_peering_connection_accepter")["pcx_accepter_payments-analytics"]
    assert accepter["provider"] == "aws.eu-central-1" and accepter["auto_accept"] is True
    routes = {k: r for k, r in res(doc, "aws_route").items() if k.startswith("pcx_route_")}
    assert sorted((r["provider"], r["destination_cidr_block"]) for r in routes.values()) == [
        ("aws.eu-central-1", "10.10.0.0/19"),
        ("aws.payments-prod_eu-west-1", "${aws_vpc.vpc_analytics.cidr_block}"),
    ]


def test_direct_connect_gateway_is_associated_and_wired_into_shared(synth_out):
    net = synth_out.stacks["network"]
    [association] = res(net, "aws_dx_gateway_association").values()
    assert association["allowed_prefixes"] == ["10.0.0.0/8"]
    dx_wiring = res(net, "aws_ec2_transit_gateway_route_table_association")["tgw_association_hub_dx_corp-dx"]
    assert (
        dx_wiring["transit_gateway_attachment_id"]
        == "${data.aws_ec2_transit_gateway_dx_gateway_attachment.dx_attachment_corp-dx_hub.id}"
    )
    assert dx_wiring["transit_gateway_route_table_id"] == "${aws_ec2_transit_gateway_route_table.tgw_rt_hub_shared.id}"
