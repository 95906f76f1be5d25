"""Availability zones come from data: a count the region can give, or zones named one by one."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from landing_zone.config.problems import ConfigError
from landing_zone.derived.availability_zones import DATA_FILE, region_zones, zones_for
from landing_zone.environment import load_environment
from landing_zone.rules.regions import known_regions

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "environments" / "example.yaml"


def test_every_known_region_has_its_zones_with_source_and_date():
    data = yaml.safe_load((ROOT / "landing_zone" / "data" / DATA_FILE).read_text())
    assert data["source"] and data["as_of"]
    assert set(data["regions"]) == set(known_regions())
    for region, zones in data["regions"].items():
        assert zones and all(z.startswith(region) and len(z) == len(region) + 1 for z in zones), region


def test_zones_are_the_real_ones_not_letters_in_order():
    assert region_zones("ap-northeast-1") == ("ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d")
    assert zones_for("ca-central-1", 3) == ("ca-central-1a", "ca-central-1b", "ca-central-1d")
    assert zones_for("eu-west-1", ["eu-west-1c", "eu-west-1a"]) == ("eu-west-1c", "eu-west-1a")


def _variant(tmp_path: Path, zones) -> Path:
    data = yaml.safe_load(EXAMPLE.read_text())
    vpc = data["network"]["vpcs"][0]
    vpc["availability_zones"] = zones
    path = tmp_path / "env.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_environment(path)
    return [str(p) for p in caught.value.problems]


def test_more_zones_than_the_region_has_fail_with_the_line_and_the_region_zones(tmp_path):
    region = yaml.safe_load(EXAMPLE.read_text())["network"]["vpcs"][0].get("region") or "eu-west-1"
    (message,) = _problems(_variant(tmp_path, 4))
    assert "env.yaml:" in message and "availability_zones" in message
    assert f"4 availability zones asked for, but {region} has 3: {', '.join(region_zones(region))}" in message


def test_a_zone_of_another_region_or_listed_twice_fails(tmp_path):
    region = yaml.safe_load(EXAMPLE.read_text())["network"]["vpcs"][0].get("region") or "eu-west-1"
    first = region_zones(region)[0]
    messages = _problems(_variant(tmp_path, [first, "us-east-1a", first]))
    assert any("'us-east-1a' is not a zone of" in m and "availability_zones[1]" in m for m in messages)
    assert any(f"zone {first!r} is listed twice" in m for m in messages)


def test_an_explicit_list_of_zones_is_what_the_vpc_gets(tmp_path):
    region = yaml.safe_load(EXAMPLE.read_text())["network"]["vpcs"][0].get("region") or "eu-west-1"
    chosen = [region_zones(region)[2], region_zones(region)[0]]
    loaded = load_environment(_variant(tmp_path, chosen))
    name = yaml.safe_load(EXAMPLE.read_text())["network"]["vpcs"][0]["name"]
    vpc = loaded.facts.network_plan.vpcs[name]
    assert vpc.azs == tuple(chosen)
    assert {s.az for s in vpc.subnets} == set(chosen)
