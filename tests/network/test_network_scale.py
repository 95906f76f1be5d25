"""The network derivations stay linear enough for 1,000 accounts and give what the plain definitions give.

Hundreds of VPCs on one segment reach each other: each VPC's network ACL
admits every one of them. `neighbours` reads an index instead of scanning
every reachable pair, and `internal_ranges` collapses integer spans instead
of `ipaddress` objects; these tests hold both to the straightforward
definitions they replace (no timing here: `make bench` measures).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.generate import write_environment
from landing_zone.derived.network_acls import collapse, internal_ranges, rule_counts, vpc_acls
from landing_zone.environment import load_environment

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "environments" / "example.yaml"


def plain_reach(plan) -> dict:
    """The definition: every ordered pair of attachments of a transit gateway whose segments reach and that no
    blackhole cuts apart, then the egress VPC and the peerings; the first reason found is kept."""
    out: dict = {}

    def add(a: str, b: str, why: str) -> None:
        if a != b:
            out.setdefault(frozenset((a, b)), why)

    for tgw in plan.tgws.values():
        atts = [a for a in tgw.attachments if a.segment != "egress"]
        for a in atts:
            reach = plan.segment_reach(tgw.name, a.segment)
            for b in atts:
                if b.segment in reach and frozenset((a.key, b.key)) not in plan.blackholed:
                    add(a.key, b.key, f"{reach[b.segment]} on transit gateway {tgw.name!r}")
            if tgw.egress_vpc and a.segment in plan.egress_segments(tgw.name):
                add(a.key, f"vpc:{tgw.egress_vpc}", f"segment {a.segment!r} sends 0.0.0.0/0 to the egress VPC of {tgw.name!r}")
    for p in plan.peerings.values():
        add(f"vpc:{p.requester}", f"vpc:{p.accepter}", f"peering {p.name!r}")
    return out


def plain_neighbours(plan, key: str) -> list[str]:
    """The definition: every reaching pair holding `key`, in order."""
    return [next(k for k in pair if k != key) for pair in plain_reach(plan) if key in pair]


def plain_internal_ranges(plan, vpc) -> tuple:
    """The definition with `ipaddress`: the VPC's own range first, then the collapsed ranges it routes to."""
    own = vpc.network
    others = [space for key in plain_neighbours(plan, f"vpc:{vpc.name}") for space, _ in plan.nodes[key].spaces]
    if own is not None:
        others.append(own)
    collapsed = [str(n) for n in ipaddress.collapse_addresses(others)]
    if own is None:
        return (None, *collapsed)
    head = next(c for c in collapsed if ipaddress.IPv4Network(c).supernet_of(own))
    return (head, *[c for c in collapsed if c != head])


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    """The example's network plan, that of the 100-account bench environment (hundreds of reachable pairs), and the
    same with its clone spokes' ranges interleaved across segments (no two neighbours summarize: ACLs over quota)."""
    big = write_environment(100, tmp_path_factory.mktemp("env100"))
    data = yaml.safe_load(big.read_text(encoding="utf-8"))
    clones = [v for v in data["network"]["vpcs"] if v["name"][-4:].isdigit()]  # in the generator's round-robin order
    for vpc, cidr in zip(clones, sorted((v["cidr"] for v in clones), key=ipaddress.ip_network)):
        vpc["cidr"] = cidr
    interleaved = big.with_name("interleaved.yaml")
    interleaved.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return [load_environment(path).facts.network_plan for path in (EXAMPLE, big, interleaved)]


def test_neighbours_and_internal_ranges_are_the_plain_definitions(plans):
    for plan in plans:
        plain = plain_reach(plan)
        keys = sorted(plan.nodes)
        for a in keys:  # the same pairs and reasons
            assert [plan.reaches(a, b) for b in keys] == [plain.get(frozenset((a, b))) for b in keys]
        for key in keys:
            neighbours = list(plan.neighbours(key))
            assert len(neighbours) == len(set(neighbours))
            assert set(neighbours) == set(plain_neighbours(plan, key))
        for vpc in plan.vpcs.values():
            assert internal_ranges(plan, vpc) == plain_internal_ranges(plan, vpc)
    assert max(len(list(plans[1].neighbours(k))) for k in plans[1].nodes) > 30  # the big plan is a real test


def test_reach_held_per_segment_is_the_plain_definition_with_blackholes_and_isolation(tmp_path):
    """Segments that isolate their attachments, a blackhole that cuts pairs apart, peerings and the egress VPC:
    reach read from segments gives exactly the pairs and reasons of the pairwise definition."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    tgw = data["network"]["transit_gateways"][0]
    for segment in tgw["segments"]:
        segment["isolate_attachments"] = segment["name"] == "prod"
    tgw["routes"].append({"segment": "prod", "cidr": "10.30.0.0/16", "blackhole": True})  # cuts prod from shared-services
    env = tmp_path / "example.yaml"
    env.write_text(yaml.safe_dump(data), encoding="utf-8")
    plan = load_environment(env).facts.network_plan
    assert plan.blackholed, "the example's blackhole must cut a pair apart for this test to mean anything"
    plain = plain_reach(plan)
    keys = sorted(plan.nodes)
    for a in keys:
        assert [plan.reaches(a, b) for b in keys] == [plain.get(frozenset((a, b))) for b in keys]
        assert set(plan.neighbours(a)) == set(plain_neighbours(plan, a))
    for vpc in plan.vpcs.values():
        assert internal_ranges(plan, vpc) == plain_internal_ranges(plan, vpc)
        sizes = {acl.tier: (len(acl.ingress), len(acl.egress)) for acl in vpc_acls(plan, vpc)}
        assert rule_counts(plan, vpc) == sizes


def test_rule_counts_are_the_sizes_of_the_acls(plans):
    """The quota check counts without building the rules; the counts are those of the ACLs that are deployed."""
    for plan in plans:
        for vpc in plan.vpcs.values():
            sizes = {acl.tier: (len(acl.ingress), len(acl.egress)) for acl in vpc_acls(plan, vpc)}
            assert rule_counts(plan, vpc) == sizes
    assert any(inbound > 40 for vpc in plans[2].vpcs.values() for inbound, _ in rule_counts(plans[2], vpc).values())


networks = st.builds(
    lambda address, prefix: ipaddress.IPv4Network((address, prefix), strict=False),
    st.integers(0, 2**32 - 1),
    st.integers(0, 32),
)
# Networks near each other, so that they touch, nest and merge (random addresses of the whole space rarely do).
near = st.builds(
    lambda address, prefix: ipaddress.IPv4Network((0x0A000000 + address, prefix), strict=False),
    st.integers(0, 2**12),
    st.integers(20, 32),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(networks, near, near, near), max_size=40))
def test_collapse_is_ipaddress_collapse_addresses(nets):
    spans = [(int(n.network_address), int(n.broadcast_address)) for n in nets]
    got = [ipaddress.IPv4Network((start, prefix)) for start, prefix in collapse(spans)]
    assert got == list(ipaddress.collapse_addresses(nets))
