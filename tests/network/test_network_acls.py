"""Network ACLs per subnet tier (CIS 5.1): the derived rules, the synthesized ACLs, and `lz network`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from landing_zone.cli.main import main
from landing_zone.derived.network_acls import ANYWHERE, ANYWHERE_V6, over_quota, vpc_acls
from landing_zone.environment import load_environment

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "environments" / "example.yaml"
PROTOCOLS = {"6": "tcp", "17": "udp", "-1": "-1"}


@pytest.fixture(scope="module")
def plan():
    return load_environment(EXAMPLE).facts.network_plan


def first_match(rules, port: int, protocol: str, cidr: str):
    """The rule an inbound packet from `cidr` to `port` meets first (what AWS applies), or None."""
    for r in sorted((r for r in rules if not r.egress), key=lambda r: r.rule_no):
        if r.cidr != cidr:
            continue
        if r.protocol == "-1" or (r.protocol == protocol and r.from_port <= port <= r.to_port):
            return r
    return None


def test_every_tier_of_every_vpc_has_an_acl_that_refuses_admin_ports_from_anywhere(plan):
    assert len(plan.vpcs) == 7
    for vpc in plan.vpcs.values():
        acls = vpc_acls(plan, vpc)
        assert [a.tier for a in acls] == list(vpc.tiers)
        for acl in acls:
            for cidr in (ANYWHERE, ANYWHERE_V6):
                for port, proto in ((22, "tcp"), (3389, "tcp"), (3389, "udp")):
                    rule = first_match(acl.rules, port, proto, cidr)
                    assert rule is not None and rule.action == "deny", (vpc.name, acl.tier, port, cidr)
            assert not over_quota(acl)
            numbers = [(r.egress, r.rule_no) for r in acl.rules]
            assert len(numbers) == len(set(numbers)), (vpc.name, acl.tier)


def test_public_tier_takes_web_traffic_and_every_routed_tier_its_return_traffic(plan):
    web = {a.tier: a for a in vpc_acls(plan, plan.vpcs["web-prod"])}
    for port in (80, 443):
        assert first_match(web["public"].rules, port, "tcp", ANYWHERE).action == "allow"
        assert first_match(web["private"].rules, port, "tcp", ANYWHERE) is None
    for tier in ("public", "private", "transit"):
        for proto in ("tcp", "udp"):
            assert first_match(web[tier].rules, 40000, proto, ANYWHERE).action == "allow"


def test_isolated_tier_talks_only_to_networks_it_routes_to(plan):
    isolated = {a.tier: a for a in vpc_acls(plan, plan.vpcs["payments-prod"])}["isolated"]
    assert first_match(isolated.rules, 40000, "tcp", ANYWHERE) is None
    outbound = [r.cidr for r in isolated.egress]
    assert ANYWHERE not in outbound
    # itself (merged with web-prod, which it reaches), the egress VPC, shared services, analytics (peering), on-premises
    assert outbound == ["10.10.0.0/15", "10.0.0.0/24", "10.30.0.0/16", "10.40.0.0/16", "192.168.0.0/16"]


def test_inside_ranges_are_the_vpc_and_what_it_reaches_and_come_before_the_denies(plan):
    acl = vpc_acls(plan, plan.vpcs["analytics"])[0]
    inside = [r for r in acl.ingress if r.action == "allow" and r.cidr not in (ANYWHERE, ANYWHERE_V6)]
    assert [(r.rule_no, r.cidr) for r in inside] == [(100, "10.40.0.0/16"), (101, "10.10.0.0/16")]
    # SSH from inside still works: the inside allow comes first
    assert first_match(acl.rules, 22, "tcp", "10.10.0.0/16").action == "allow"
    assert max(r.rule_no for r in inside) < min(r.rule_no for r in acl.ingress if r.action == "deny")
    # web-nonprod does not reach analytics, so analytics does not let it in
    assert "10.21.0.0/16" not in {r.cidr for r in acl.ingress}


@pytest.mark.synth
def test_synthesized_acls_cover_every_subnet_with_the_planned_entries(synth_out):
    acls, subnets = {}, {}
    for name, doc in synth_out.stacks.items():
        for key, conf in doc.get("resource", {}).get("aws_network_acl", {}).items():
            acls[key] = (name, conf)
        for key, conf in doc.get("resource", {}).get("aws_subnet", {}).items():
            subnets[key] = conf
    landing_zone_subnets = {k for k in subnets if k.startswith("subnet_")}
    covered = {ref.split(".")[1] for _, conf in acls.values() for ref in conf["subnet_ids"]}
    assert covered == landing_zone_subnets
    plan = synth_out.loaded.facts.network_plan
    assert len(acls) == sum(len(v.tiers) for v in plan.vpcs.values()) == 16
    stack, public = acls["nacl_web-prod_public"]
    assert stack == "account-web-prod"
    entries = {
        (e["rule_no"], e["action"], PROTOCOLS[e["protocol"]], e["from_port"], e["cidr_block"], e["ipv6_cidr_block"])
        for e in public["ingress"]
    }
    assert (200, "deny", "tcp", 22, "0.0.0.0/0", None) in entries
    assert (210, "deny", "tcp", 22, None, "::/0") in entries
    assert (230, "deny", "tcp", 3389, None, "::/0") in entries
    assert (300, "allow", "tcp", 80, "0.0.0.0/0", None) in entries
    assert (310, "allow", "tcp", 443, "0.0.0.0/0", None) in entries
    # inline entries name every attribute (the provider reads them as objects)
    for _, conf in acls.values():
        for entry in conf["ingress"] + conf["egress"]:
            assert set(entry) == {
                "action",
                "cidr_block",
                "from_port",
                "icmp_code",
                "icmp_type",
                "ipv6_cidr_block",
                "protocol",
                "rule_no",
                "to_port",
            }


def test_lz_network_shows_each_acl(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")  # whole lines: text output wraps at the width (tests/render/test_width.py)
    assert main(["network", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "Network ACLs" in out
    line = next(" ".join(x.split()) for x in out.splitlines() if x.startswith("web-prod") and " public " in x and "deny" in x)
    assert "200 deny tcp 22 from 0.0.0.0/0; 210 deny tcp 22 from ::/0" in line
    assert "300 allow tcp 80 from 0.0.0.0/0; 310 allow tcp 443 from 0.0.0.0/0" in line
    assert line.endswith("100 allow all to 0.0.0.0/0")
    assert main(["network", str(EXAMPLE), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    vpc = next(v for v in doc["vpcs"] if v["name"] == "payments-prod")
    isolated = next(a for a in vpc["network_acls"] if a["tier"] == "isolated")
    assert {
        "rule_no": 200,
        "direction": "inbound",
        "action": "deny",
        "protocol": "tcp",
        "ports": "22",
        "cidr": "0.0.0.0/0",
        "why": "no SSH from the internet",
    } in isolated["rules"]
