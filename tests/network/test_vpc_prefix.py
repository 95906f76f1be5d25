"""A VPC's CIDR block is /16 to /28 (AWS's limits): the boundaries on both sides (issue 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from landing_zone.environment import ConfigError, load_environment

BASE = Path(__file__).parent / "fixtures" / "org.yaml"


def _vpc(tmp_path, cidr: str) -> Path:
    # One zone and one /28 subnet tier: the smallest layout that fits a /28 VPC.
    path = tmp_path / "env.yaml"
    path.write_text(
        f"extends: {BASE}\nnetwork:\n  vpcs:\n    - name: app-dev\n      account: app-dev\n      cidr: {cidr}\n"
        "      availability_zones: 1\n      subnets:\n        private: {netmask: 28}\n"
    )
    return path


@pytest.mark.parametrize("cidr", ["10.0.0.0/16", "10.0.0.0/28"])
def test_a_vpc_of_16_or_28_is_accepted(tmp_path, cidr):
    (vpc,) = [v for v in load_environment(_vpc(tmp_path, cidr)).env.network.vpcs if v.name == "app-dev"]
    assert str(vpc.cidr) == cidr


@pytest.mark.parametrize("cidr, prefix", [("10.0.0.0/15", 15), ("10.0.0.0/29", 29)])
def test_a_vpc_of_15_or_29_is_rejected_at_its_cidr(tmp_path, cidr, prefix):
    path = _vpc(tmp_path, cidr)
    with pytest.raises(ConfigError) as caught:
        load_environment(path)
    assert [(p.location.line, p.path, p.message) for p in caught.value.problems] == [
        (6, "network.vpcs[name=app-dev].cidr", f"'{cidr}' is a /{prefix}; a VPC's CIDR block must be between /16 and /28")
    ]
