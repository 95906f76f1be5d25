"""A request's `network:` block is a `network.vpcs` entry: same plan, same rules, problems at the request's block."""

from __future__ import annotations

import textwrap

import pytest

from landing_zone.derived.network_plan import NetworkPlan
from landing_zone.environment import ConfigError, load_environment

HUB = """\
organization:
  name: tiny
  home_region: eu-west-1
  governed_regions: [eu-west-1]
  management_account:
    email: aws+management@tiny-corp.io
organizational_units:
  - path: Security
  - path: Infrastructure
  - path: Workloads
accounts:
  - name: log-archive
    email: aws+log-archive@tiny-corp.io
    ou: Security
  - name: audit
    email: aws+audit@tiny-corp.io
    ou: Security
  - name: network
    email: aws+network@tiny-corp.io
    ou: Infrastructure
account_factory:
  defaults:
    email_template: aws+{name}@tiny-corp.io
    ou: Workloads
  requests:
    - name: shop
      tags: {owner: shop-team}
NETWORK
"""

NETWORK = """\
network:
  transit_gateways:
    - name: hub
      segments:
        - {name: prod, connects_to: [shared]}
        - {name: shared}
  vpcs:
    - name: shop
      account: shop
      cidr: 10.10.0.0/16
      subnets:
        private: {netmask: 20}
      attachments: [{segment: prod}]
"""

REQUEST = """\
name: web
tags: {owner: web-team}
network:
  cidr: 10.11.0.0/16
  subnets:
    private: {netmask: 20}
    public: {netmask: 24}
  segment: prod
"""


def write(tmp_path, request: str = REQUEST, network: str = NETWORK, inline_vpc: str = ""):
    """environments-like folder: env.yaml (+ network.vpcs item `inline_vpc`) and env/accounts/web.yaml = `request`."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "env.yaml"
    path.write_text(HUB.replace("NETWORK\n", network + inline_vpc))
    target = tmp_path / "env" / "accounts" / "web.yaml"
    target.parent.mkdir(parents=True)
    target.write_text(textwrap.dedent(request))
    return path


def problems(path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_environment(path)
    return [str(p) for p in caught.value.problems]


def test_request_block_plans_the_same_vpc_as_a_network_vpcs_entry(tmp_path):
    from_request = NetworkPlan(load_environment(write(tmp_path / "a")).env).vpcs["web"]
    written = """\
    - name: web
      account: web
      cidr: 10.11.0.0/16
      subnets:
        private: {netmask: 20}
        public: {netmask: 24}
      attachments: [{segment: prod}]
"""
    no_block = "name: web\ntags: {owner: web-team}\n"
    from_vpcs = NetworkPlan(load_environment(write(tmp_path / "b", request=no_block, inline_vpc=written)).env).vpcs["web"]
    assert from_request.stack == "account-web" and from_request.account == "web"
    assert [(s.tier, s.az, s.cidr) for s in from_request.subnets] == [(s.tier, s.az, s.cidr) for s in from_vpcs.subnets]
    assert (from_request.cidr, from_request.attachments, from_request.azs) == (
        from_vpcs.cidr,
        from_vpcs.attachments,
        from_vpcs.azs,
    )
    assert {s.tier for s in from_request.subnets} == {"private", "public", "transit"}


def test_request_block_allocates_from_an_ipam_pool(tmp_path):
    network = NETWORK + "  ipam:\n    pools:\n      - {name: prod-pool, cidr: 10.64.0.0/12, segment: prod}\n"
    request = REQUEST.replace("  cidr: 10.11.0.0/16\n", "  ipam_pool: prod-pool\n  netmask_length: 16\n")
    vpc = NetworkPlan(load_environment(write(tmp_path, request=request, network=network)).env).vpcs["web"]
    assert (vpc.cidr, vpc.pool, vpc.prefix) == (None, "prod-pool", 16)


def test_bad_cidr_in_a_request_file_points_at_the_file(tmp_path):
    found = problems(write(tmp_path, request=REQUEST.replace("10.11.0.0/16", "10.11.0.1/16")))
    assert len(found) == 1
    assert "accounts/web.yaml:4:9: account_factory.requests[name=web].network.cidr:" in found[0]
    assert "'10.11.0.1/16' has host bits set" in found[0]


def test_overlap_with_another_vpc_names_both_at_the_request_block(tmp_path):
    found = problems(write(tmp_path, request=REQUEST.replace("10.11.0.0/16", "10.10.128.0/17")))
    assert len(found) == 1, found
    [text] = found
    assert "accounts/web.yaml:4:9: account_factory.requests[name=web].network.cidr: " in text
    assert "VPC 'web' (10.10.128.0/17) overlaps VPC 'shop' (10.10.0.0/16, at " in text
    assert "env.yaml:37:13), and they route to each other (both in segment 'prod' on transit gateway 'hub')" in text


def test_subnet_problem_points_into_the_request_block(tmp_path):
    found = problems(write(tmp_path, request=REQUEST.replace("10.11.0.0/16", "10.11.0.0/24")))
    assert found and all("account_factory.requests[name=web].network.subnets." in t for t in found), found
    assert all("accounts/web.yaml:" in t for t in found)


def test_unknown_segment_points_at_the_request_segment(tmp_path):
    found = problems(write(tmp_path, request=REQUEST.replace("segment: prod", "segment: dev")))
    assert len(found) == 1, found
    assert (
        "accounts/web.yaml:8:12: account_factory.requests[name=web].network.segment: segment 'dev' is not defined in transit gateway 'hub' (defined: prod, shared)"
        in found[0]
    )


def test_vpc_in_both_the_request_and_network_vpcs_is_an_error(tmp_path):
    twin = "    - name: web\n      account: web\n      cidr: 10.12.0.0/16\n      subnets:\n        private: {netmask: 20}\n"
    found = problems(write(tmp_path, inline_vpc=twin))
    assert len(found) == 1, found
    assert (
        "accounts/web.yaml:4:3: account_factory.requests[name=web].network: VPC 'web' is also defined in network.vpcs (account 'web')"
        in found[0]
    )


def test_segment_without_a_transit_gateway_is_an_error(tmp_path):
    network = "network:\n  vpcs: []\n"
    found = problems(write(tmp_path, network=network))
    assert len(found) == 1, found
    assert "account_factory.requests[name=web].network.segment: segment 'prod' needs a transit gateway" in found[0]


def test_request_block_without_a_network_section_is_an_error(tmp_path):
    found = problems(write(tmp_path, network=""))
    assert len(found) == 1, found
    assert (
        "account_factory.requests[name=web].network.segment: account 'web' asks for a VPC, but there is no top-level `network:` section"
        in found[0]
    )


def test_unattached_request_vpc_needs_no_hub(tmp_path):
    request = REQUEST.replace("  segment: prod\n", "")
    env = load_environment(write(tmp_path, request=request, network="network:\n  vpcs: []\n")).env
    vpc = NetworkPlan(env).vpcs["web"]
    assert vpc.attachments == () and vpc.stack == "account-web"


def test_misspelt_key_in_the_block_is_a_shape_error_at_the_file(tmp_path):
    found = problems(write(tmp_path, request=REQUEST.replace("  segment: prod\n", "  segmnt: prod\n")))
    assert len(found) == 1 and "accounts/web.yaml:8:3:" in found[0] and "segmnt" in found[0], found
