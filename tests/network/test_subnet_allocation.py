"""Subnet allocation as properties: inside the VPC, aligned, disjoint, equal to terraform's cidrsubnet."""

from __future__ import annotations

import ipaddress

from hypothesis import given, settings
from hypothesis import strategies as st

from landing_zone.derived.availability_zones import zones_for as az_names
from landing_zone.derived.network_cidrs import TierSpec, allocate, summary_block

TIER_NAMES = ("private", "isolated", "public", "transit")


@st.composite
def vpcs(draw):
    prefix = draw(st.integers(16, 26))
    base = ipaddress.IPv4Network((draw(st.integers(0, (1 << prefix) - 1)) << (32 - prefix), prefix))
    tiers = [TierSpec(t, draw(st.integers(prefix, 28)), ()) for t in TIER_NAMES if draw(st.booleans())]
    return base, tiers, draw(st.integers(1, 4))


@settings(max_examples=300, deadline=None)
@given(vpcs())
def test_allocated_subnets_are_inside_aligned_and_disjoint(case):
    base, tiers, zones = case
    azs = az_names("us-east-1", zones)
    plans, problems = allocate(base.prefixlen, base, tiers, azs)
    nets = [ipaddress.IPv4Network(p.cidr) for p in plans]  # strict: raises unless aligned
    assert all(n.subnet_of(base) for n in nets)
    assert all(not a.overlaps(b) for i, a in enumerate(nets) for b in nets[i + 1 :])
    for p in plans:
        assert str(list(base.subnets(prefixlen_diff=p.newbits))[p.netnum]) == p.cidr
    wanted = len(tiers) * len(azs)
    if not problems:
        assert len(plans) == wanted
    else:  # only "does not fit" is possible here, and only when the addresses really run out
        assert all("no room" in p.message for p in problems)
        assert (
            sum(n.num_addresses for n in nets) + min(1 << (32 - t.netmask) for t in tiers) > base.num_addresses
            or len(plans) < wanted
        )


def test_relative_plan_is_the_same_without_a_base():
    tiers = [TierSpec("private", 20, ()), TierSpec("transit", 28, ())]
    azs = az_names("eu-west-1", 2)
    static, _ = allocate(16, ipaddress.IPv4Network("10.1.0.0/16"), tiers, azs)
    ipam, problems = allocate(16, None, tiers, azs)
    assert problems == []
    assert [(p.newbits, p.netnum) for p in static] == [(p.newbits, p.netnum) for p in ipam]
    assert all(p.cidr is None for p in ipam)


def test_written_out_subnets_are_reserved_first_and_others_flow_around_them():
    base = ipaddress.IPv4Network("10.1.0.0/16")
    tiers = [TierSpec("private", 20, ()), TierSpec("public", None, ("10.1.0.0/24", "10.1.1.0/24"))]
    plans, problems = allocate(16, base, tiers, az_names("eu-west-1", 2))
    assert problems == []
    assert [(p.tier, p.cidr) for p in plans] == [
        ("private", "10.1.16.0/20"),
        ("private", "10.1.32.0/20"),
        ("public", "10.1.0.0/24"),
        ("public", "10.1.1.0/24"),
    ]


def test_summary_blocks_are_rfc1918_or_the_space_itself():
    assert str(summary_block(ipaddress.IPv4Network("10.20.0.0/16"))) == "10.0.0.0/8"
    assert str(summary_block(ipaddress.IPv4Network("172.20.0.0/16"))) == "172.16.0.0/12"
    assert str(summary_block(ipaddress.IPv4Network("100.64.0.0/16"))) == "100.64.0.0/16"
