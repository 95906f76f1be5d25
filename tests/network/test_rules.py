"""Network rules beyond the one-fixture-per-rule table (tests/config/test_bad_inputs.py)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from landing_zone.environment import ConfigError, load_environment
from landing_zone.rules.network_addresses import _fits

BASE = Path(__file__).parent / "fixtures" / "org.yaml"


def _problems(tmp_path, text: str) -> list[str]:
    path = tmp_path / "env.yaml"
    path.write_text(f"extends: {BASE}\n" + text)
    with pytest.raises(ConfigError) as caught:
        load_environment(path)
    return [p.message for p in caught.value.problems]


def test_the_example_and_the_base_have_no_network_problem():
    load_environment(BASE)
    load_environment(Path(__file__).resolve().parents[2] / "environments" / "example.yaml", strict=True)


def test_default_network_account_must_exist(tmp_path):
    text = BASE.read_text().replace("  - name: network\n    email: aws+network@acme-corp.io\n    ou: Infrastructure\n", "")
    path = tmp_path / "env.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_environment(path)
    [problem] = caught.value.problems
    assert problem.path == "network.account"
    assert problem.message.startswith("network account 'network' (the default of network.account) is not defined in accounts")


def test_egress_subnets_must_fit_the_egress_vpc(tmp_path):
    messages = _problems(
        tmp_path, "network:\n  transit_gateways:\n    - name: hub\n      egress: {cidr: 10.0.0.0/28, availability_zones: 2}\n"
    )
    assert messages == [
        "VPC 'hub-egress', public subnets: no room for a /28 subnet in eu-west-1b: "
        "10.0.0.0/28 is full (use a larger VPC, smaller subnets or fewer zones)",
        "VPC 'hub-egress', transit subnets: no room for a /28 subnet in eu-west-1a: "
        "10.0.0.0/28 is full (use a larger VPC, smaller subnets or fewer zones)",
    ]


def test_isolated_segment_attachments_do_not_overlap_check_each_other_but_a_shared_segment_sees_both(tmp_path):
    # dev isolates its attachments; both lab VPCs still propagate into shared, where their routes would meet.
    messages = _problems(
        tmp_path,
        """network:
  transit_gateways:
    - name: hub
      segments:
        - name: dev
          isolate_attachments: true
          connects_to: [shared]
  vpcs:
    - name: lab-a
      account: app-dev
      cidr: 172.16.0.0/16
      subnets: {private: {netmask: 20}}
      attachments: [{transit_gateway: hub, segment: dev}]
    - name: lab-b
      account: app-dev
      cidr: 172.16.0.0/16
      subnets: {private: {netmask: 20}}
      attachments: [{transit_gateway: hub, segment: dev}]
""",
    )
    assert len(messages) == 1 and messages[0].startswith("VPC 'lab-b' (172.16.0.0/16) overlaps VPC 'lab-a'")
    assert "VPC 'shared' reaches both" in messages[0]


def test_reused_addresses_are_fine_where_networks_never_meet(tmp_path):
    path = tmp_path / "env.yaml"
    path.write_text(
        f"extends: {BASE}\n"
        + """network:
  vpcs:
    - name: sandbox-a
      account: app-dev
      cidr: 10.10.0.0/16
      subnets: {private: {netmask: 20}}
    - name: sandbox-b
      account: app-dev
      cidr: 10.10.0.0/16
      subnets: {private: {netmask: 20}}
"""
    )
    load_environment(path)  # same CIDR as app-prod, but nothing routes between them


def test_pool_capacity_packs_aligned_blocks():
    pool = ipaddress.IPv4Network("10.0.0.0/15")
    assert _fits(pool, [16, 16])
    assert not _fits(pool, [16, 16, 24])
    assert _fits(pool, [16, 17, 17])
    assert not _fits(ipaddress.IPv4Network("10.0.0.0/17"), [16])


def test_a_network_acl_over_the_default_quota_is_a_warning_naming_the_vpc_and_tier(tmp_path):
    vpcs = "".join(
        f"    - name: spoke{i}\n      account: app-prod\n      cidr: 10.{100 + 2 * i}.0.0/16\n"
        "      subnets:\n        private: {netmask: 20}\n      attachments: [{transit_gateway: hub, segment: prod}]\n"
        for i in range(15)
    )
    path = tmp_path / "env.yaml"
    path.write_text(f"extends: {BASE}\nnetwork:\n  vpcs:\n{vpcs}")
    load_environment(path)  # a warning only: AWS raises the quota to 40 on request
    # each spoke: itself, 14 other spokes, app-prod and shared (17 ranges), 6 denies, 2 ephemeral allows
    with pytest.raises(ConfigError) as caught:
        load_environment(path, strict=True)
    found = [p for p in caught.value.problems if p.rule == "network_acl_quota"]
    assert {p.severity for p in found} == {"warning"}
    spoke0 = [p.message for p in found if "'spoke0'" in p.message]
    assert spoke0 == [
        "VPC 'spoke0': the network ACL of its private tier needs 25 inbound rules, more than the 20 a network ACL "
        "holds by default; it admits every network the VPC routes to one range each: give those networks addresses "
        "that summarize, or raise the quota (up to 40) and set limits.network_acl_rules before deploying",
        "VPC 'spoke0': the network ACL of its transit tier needs 25 inbound rules, more than the 20 a network ACL "
        "holds by default; it admits every network the VPC routes to one range each: give those networks addresses "
        "that summarize, or raise the quota (up to 40) and set limits.network_acl_rules before deploying",
    ]
    raised = tmp_path / "raised.yaml"  # the quota raised in the environment: the same ACLs fit
    raised.write_text("extends: env.yaml\nlimits:\n  network_acl_rules: 25\n")
    load_environment(raised, strict=True)
    over = tmp_path / "over.yaml"  # past what AWS grants: refused, naming the ceiling
    over.write_text("extends: env.yaml\nlimits:\n  network_acl_rules: 41\n")
    with pytest.raises(ConfigError) as refused:
        load_environment(over)
    assert "41 is above 40, the most AWS grants" in str(refused.value.problems[0])
