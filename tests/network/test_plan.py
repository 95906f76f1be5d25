"""The network plan of the example (pure Python, no cdktf): segments, wiring, egress, subnets, stacks."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from landing_zone.derived.network_plan import EGRESS_TABLE, NETWORK_STACK, NetworkPlan
from landing_zone.derived.stack_layout import stack_plans
from landing_zone.environment import load_environment

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "environments" / "example.yaml"


@pytest.fixture(scope="module")
def plan() -> NetworkPlan:
    return NetworkPlan(load_environment(EXAMPLE).env)


def test_example_has_three_segments_and_an_internal_egress_table(plan):
    hub = plan.tgws["hub"]
    assert hub.segments == ("prod", "nonprod", "shared")
    assert hub.route_tables == ("prod", "nonprod", "shared", EGRESS_TABLE)
    assert hub.egress_vpc == "hub-egress" and not hub.share_organization and hub.share_ous == ("Infrastructure", "Workloads")


def test_prod_and_nonprod_both_reach_shared_but_never_each_other(plan):
    assert set(plan.segment_reach("hub", "prod")) == {"prod", "shared"}
    assert set(plan.segment_reach("hub", "nonprod")) == {"nonprod", "shared"}
    assert set(plan.segment_reach("hub", "shared")) == {"prod", "nonprod", "shared"}
    assert plan.reaches("vpc:payments-prod", "vpc:shared-services")
    assert plan.reaches("vpc:payments-nonprod", "vpc:shared-services")
    for prod in ("payments-prod", "web-prod"):
        for nonprod in ("payments-nonprod", "web-nonprod"):
            assert plan.reaches(f"vpc:{prod}", f"vpc:{nonprod}") is None


def _wires(plan, attachment, kind):
    return sorted(w.route_table for w in plan.wires if w.attachment == attachment and w.kind == kind)


def test_each_spoke_is_associated_with_its_segment_and_propagates_where_it_is_reached(plan):
    assert _wires(plan, "vpc:payments-prod", "association") == ["prod"]
    assert _wires(plan, "vpc:payments-prod", "propagation") == ["egress", "prod", "shared"]
    assert _wires(plan, "vpc:web-nonprod", "propagation") == ["egress", "nonprod", "shared"]
    assert _wires(plan, "vpc:shared-services", "propagation") == ["egress", "nonprod", "prod", "shared"]
    # The egress VPC is associated with its own table and propagates nowhere: spokes reach it by static routes.
    assert _wires(plan, "vpc:hub-egress", "association") == [EGRESS_TABLE]
    assert _wires(plan, "vpc:hub-egress", "propagation") == []
    assert _wires(plan, "dx:corp-dx", "association") == ["shared"]
    # Every wire of a spoke is built in that spoke's own account stack.
    assert {w.stack for w in plan.wires if w.attachment == "vpc:web-prod"} == {"account-web-prod"}


def test_egress_segments_default_to_the_egress_vpc_and_blackhole_what_they_must_not_reach(plan):
    routes = {(r.route_table, r.cidr): r for r in plan.tgw_routes}
    for segment in ("prod", "nonprod", "shared"):
        assert routes[(segment, "0.0.0.0/0")].attachment == "vpc:hub-egress"
    # Without these, prod would reach nonprod through the egress VPC (hair-pinning).
    blackholes = sorted((r.route_table, r.cidr, r.stack) for r in plan.tgw_routes if r.attachment is None)
    assert blackholes == [
        ("nonprod", "10.10.0.0/16", "account-payments-prod"),
        ("nonprod", "10.11.0.0/16", "account-web-prod"),
        ("nonprod", "10.99.0.0/16", NETWORK_STACK),  # configured
        ("prod", "10.20.0.0/16", "account-payments-nonprod"),
        ("prod", "10.21.0.0/16", "account-web-nonprod"),
    ]
    assert plan.egress_return_cidrs("hub") == ("10.0.0.0/8", "192.168.0.0/16")


def test_subnets_are_aligned_inside_their_vpc_and_never_overlap(plan):
    for vpc in plan.vpcs.values():
        net = vpc.network
        cidrs = [ipaddress.IPv4Network(s.cidr) for s in vpc.subnets]
        assert all(c.subnet_of(net) for c in cidrs), vpc.name
        assert all(not a.overlaps(b) for i, a in enumerate(cidrs) for b in cidrs[i + 1 :]), vpc.name
        for s in vpc.subnets:  # the literal matches terraform's cidrsubnet(vpc, newbits, netnum)
            assert str(list(net.subnets(prefixlen_diff=s.newbits))[s.netnum]) == s.cidr
    payments = plan.vpcs["payments-prod"]
    assert [(s.tier, s.az, s.cidr) for s in payments.subnets] == [
        ("private", "eu-west-1a", "10.10.0.0/20"),
        ("private", "eu-west-1b", "10.10.16.0/20"),
        ("isolated", "eu-west-1a", "10.10.32.0/22"),
        ("isolated", "eu-west-1b", "10.10.36.0/22"),
        ("transit", "eu-west-1a", "10.10.40.0/28"),
        ("transit", "eu-west-1b", "10.10.40.16/28"),
    ]


def test_spokes_live_in_their_account_stacks_and_the_peering_in_the_later_one(plan):
    assert plan.vpcs["hub-egress"].stack == NETWORK_STACK
    assert plan.vpcs["analytics"].stack == "account-shared-services"
    assert [s for s, _ in plan.account_stacks] == [
        "account-payments-nonprod",
        "account-payments-prod",
        "account-shared-services",
        "account-web-nonprod",
        "account-web-prod",
    ]
    assert plan.peerings["payments-analytics"].stack == "account-shared-services"
    assert plan.reaches("vpc:payments-prod", "vpc:analytics") == "peering 'payments-analytics'"
    assert plan.reaches("vpc:shared-services", "vpc:analytics") is None  # peering is not transitive


def test_stack_layout_orders_network_after_log_archive_and_peers_first(plan):
    plans = {p.name: p for p in stack_plans(plan.env)}
    names = [p.name for p in stack_plans(plan.env)]
    assert names.index("network") > names.index("log-archive")
    assert plans["network"].depends_on == ("management", "log-archive")
    assert plans["account-shared-services"].depends_on == ("management", "log-archive", "network", "account-payments-prod")
    assert plans["account-web-prod"].account == "web-prod"
    for p in plans.values():  # every dependency comes first
        assert all(names.index(d) < names.index(p.name) for d in p.depends_on)


def test_no_network_section_means_no_network_stacks(tmp_path):
    text = (Path(__file__).parent / "fixtures" / "org.yaml").read_text()
    path = tmp_path / "env.yaml"
    path.write_text(text[: text.index("\nnetwork:")] + "\n")
    env = load_environment(path).env
    assert env.network is None
    plans = stack_plans(env)
    assert not [p for p in plans if p.name == "network"]
    # member accounts still get their account-<name> stack, for the account baseline only
    from landing_zone.derived.stack_layout import baseline_only_names

    assert sorted(p.account for p in plans if p.name.startswith("account-")) == sorted(baseline_only_names(env, []))
    assert NetworkPlan(env).vpcs == {}
