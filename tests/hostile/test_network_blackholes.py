"""`lz network` and validation see a configured blackhole that drops traffic to a live network (issue 23 A.9);
`lz network` writes no file unless asked and names no network account without a network: section (B.6)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from landing_zone.cli.main import main
from landing_zone.environment import load_environment

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "environments" / "example.yaml"
MINIMAL = ROOT / "tests" / "config" / "fixtures" / "good" / "minimal.yaml"


def _variant(tmp_path: Path, segment: str, cidr: str) -> Path:
    shutil.copytree(EXAMPLE.parent / "example", tmp_path / "example")
    data = yaml.safe_load(EXAMPLE.read_text())
    data["network"]["transit_gateways"][0]["routes"] = [{"segment": segment, "cidr": cidr, "blackhole": True}]
    path = tmp_path / "example.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


# shared-services is 10.30.0.0/16 in segment 'shared', which 'nonprod' connects to.
CASES = {
    "the-whole-vpc": ("nonprod", "10.30.0.0/16", True, "drops traffic to the whole of shared-services (10.30.0.0/16)"),
    "part-of-the-vpc": ("nonprod", "10.30.16.0/20", False, "drops traffic to part of shared-services (10.30.0.0/16)"),
    "on-premises": ("prod", "192.168.0.0/16", True, "drops traffic to the whole of corp-dx (192.168.0.0/16)"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_blackhole_over_a_live_network_warns_and_shows(tmp_path, capsys, case):
    segment, cidr, whole, message = CASES[case]
    path = _variant(tmp_path, segment, cidr)
    loaded = load_environment(path)
    (warning,) = [w for w in loaded.warnings if w.rule == "network_blackholes"]
    assert warning.path == "network.transit_gateways[name=hub].routes[0].cidr" and warning.location.line > 0
    assert message in warning.message
    plan = loaded.facts.network_plan
    source = "vpc:web-nonprod" if segment == "nonprod" else "vpc:payments-prod"
    target = "vpc:shared-services" if case != "on-premises" else "dx:corp-dx"
    assert (plan.reaches(source, target) is None) == whole  # a partial blackhole leaves the rest reachable
    assert main(["network", str(path), "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)["blackholes"]
    assert (row["segment"], row["cidr"], row["whole_network"]) == (segment, cidr, whole)
    assert main(["network", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Blackholes that drop traffic to a live network" in out and cidr in out
    assert main(["validate", "--strict", str(path)]) == 2


@pytest.mark.parametrize(
    "segment, cidr",
    [("nonprod", "10.0.0.0/8"), ("prod", "10.21.0.0/16"), ("nonprod", "10.99.0.0/16")],
    ids=["broader-than-the-vpc-loses-to-its-route", "vpc-not-reached-from-that-segment", "unused-range"],
)
def test_a_blackhole_that_drops_nothing_live_is_quiet(tmp_path, segment, cidr):
    loaded = load_environment(_variant(tmp_path, segment, cidr))
    assert not [w for w in loaded.warnings if w.rule == "network_blackholes"]
    assert not loaded.facts.network_plan.blackhole_hits


def test_the_example_has_no_blackhole_over_a_live_network():
    assert not load_environment(EXAMPLE).facts.network_plan.blackhole_hits


def test_lz_network_writes_no_file_unless_asked(tmp_path, capsys):
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert main(["network", str(EXAMPLE)]) == 0
    finally:
        os.chdir(cwd)
    assert list(tmp_path.iterdir()) == [] and "wrote" not in capsys.readouterr().err


def test_lz_network_names_no_network_account_without_a_network_section(capsys):
    assert main(["network", str(MINIMAL)]) == 0
    out = capsys.readouterr().out
    assert "no network: section" in out and "network account" not in out
