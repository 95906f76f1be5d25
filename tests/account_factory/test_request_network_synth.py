"""The example's web-nonprod declares its spoke in its request's `network:` block: the session's one synthesis builds it in its account stack."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.synth


def _res(doc: dict, kind: str) -> dict:
    return doc.get("resource", {}).get(kind, {})


def test_the_example_declares_web_nonprods_vpc_in_its_request_not_in_network_vpcs(synth_out):
    env = synth_out.loaded.env
    request = next(r for r in env.account_factory.requests if r.name == "web-nonprod")
    assert request.network is not None and request.network.cidr == "10.21.0.0/16"
    written = synth_out.loaded.data["network"]["vpcs"]
    assert [getattr(v, "origin", None) is not None for v in written if v["name"] == "web-nonprod"] == [True]


def test_request_spoke_is_built_in_the_accounts_stack_and_attached_to_its_segment(synth_out):
    stack = synth_out.stacks["account-web-nonprod"]
    (vpc,) = _res(stack, "aws_vpc").values()
    assert vpc["cidr_block"] == "10.21.0.0/16" and vpc["tags"]["Name"].endswith("web-nonprod")
    cidrs = sorted(s["cidr_block"] for s in _res(stack, "aws_subnet").values())
    # private /20 in two zones, then the transit /28s the attachment adds
    assert cidrs[:2] == ["10.21.0.0/20", "10.21.16.0/20"] and len(cidrs) == 4
    assert all(c.endswith("/28") for c in cidrs[2:])
    (attachment,) = _res(stack, "aws_ec2_transit_gateway_vpc_attachment").values()
    assert len(attachment["subnet_ids"]) == 2
    tables = [
        re.search(r"tgw_rt_hub_([a-z]+)\.?id", a["transit_gateway_route_table_id"]).group(1)
        for a in _res(stack, "aws_ec2_transit_gateway_route_table_association").values()
    ]
    assert tables == ["nonprod"]
    assert not any("web-nonprod" in key or "web_nonprod" in key for key in _res(synth_out.stacks["network"], "aws_vpc"))
