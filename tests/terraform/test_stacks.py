"""Deploy order from cdktf's manifest.json: dependencies first, stable, errors named."""
from __future__ import annotations

import json

import pytest

from landing_zone.terraform.stacks import StackOrderError, deploy_order, load_stacks


def manifest(tmp_path, deps: dict[str, list[str]]):
    stacks = {name: {"name": name, "workingDirectory": f"stacks/{name}", "dependencies": d} for name, d in deps.items()}
    (tmp_path / "manifest.json").write_text(json.dumps({"version": "0.21.0", "stacks": stacks}))
    return tmp_path


def test_dependencies_come_first_and_ties_are_ordered_by_name(tmp_path):
    out = manifest(tmp_path, {"audit": ["management"], "log-archive": ["management"], "management": [],
                              "account-web": ["management", "log-archive"]})
    order = deploy_order(load_stacks(out))
    assert [s.name for s in order] == ["management", "audit", "log-archive", "account-web"]
    assert order[0].directory == tmp_path / "stacks" / "management"


def test_only_keeps_the_named_stacks_in_dependency_order(tmp_path):
    out = manifest(tmp_path, {"audit": ["management"], "management": []})
    assert [s.name for s in deploy_order(load_stacks(out), only=["audit", "management"])] == ["management", "audit"]
    with pytest.raises(StackOrderError, match=r"unknown stack\(s\) nope; the stacks are: management, audit"):
        deploy_order(load_stacks(out), only=["nope"])


def test_a_cycle_is_named(tmp_path):
    out = manifest(tmp_path, {"a": ["b"], "b": ["a"], "c": []})
    with pytest.raises(StackOrderError, match="cycle: a, b"):
        deploy_order(load_stacks(out))


def test_missing_manifest_says_to_synthesize(tmp_path):
    with pytest.raises(StackOrderError, match="manifest.json: not found; synthesize first"):
        load_stacks(tmp_path)
