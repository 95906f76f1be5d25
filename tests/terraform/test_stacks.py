"""Deploy order from cdktf's manifest.json: dependencies first, stable, errors named."""

from __future__ import annotations

import json
import threading

import pytest

from landing_zone.terraform.stacks import StackOrderError, deploy_order, load_stacks, run_stacks


def manifest(tmp_path, deps: dict[str, list[str]]):
    stacks = {name: {"name": name, "workingDirectory": f"stacks/{name}", "dependencies": d} for name, d in deps.items()}
    (tmp_path / "manifest.json").write_text(json.dumps({"version": "0.21.0", "stacks": stacks}))
    return tmp_path


def test_dependencies_come_first_and_ties_are_ordered_by_name(tmp_path):
    out = manifest(
        tmp_path,
        {"audit": ["management"], "log-archive": ["management"], "management": [], "account-web": ["management", "log-archive"]},
    )
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


def _example_order(tmp_path):
    out = manifest(
        tmp_path,
        {
            "management": [],
            "audit": ["management"],
            "log-archive": ["management"],
            "network": ["management", "log-archive"],
            "account-web": ["network"],
        },
    )
    return deploy_order(load_stacks(out))


def test_run_stacks_starts_a_stack_only_after_its_dependencies_finished(tmp_path):
    order = _example_order(tmp_path)
    finished: list[str] = []
    lock = threading.Lock()

    def action(stack):
        with lock:
            assert all(d in finished for d in stack.dependencies), (stack.name, list(finished))
        with lock:
            finished.append(stack.name)

    run_stacks(order, action, workers=3)
    assert sorted(finished) == sorted(s.name for s in order)


def test_run_stacks_in_reverse_waits_for_the_dependents(tmp_path):
    order = _example_order(tmp_path)
    finished: list[str] = []

    def action(stack):
        dependents = [s.name for s in order if stack.name in s.dependencies]
        assert all(d in finished for d in dependents), (stack.name, list(finished))
        finished.append(stack.name)

    run_stacks(order, action, workers=2, reverse=True)
    assert finished[-1] == "management" and len(finished) == len(order)


def test_independent_stacks_run_side_by_side(tmp_path):
    order = _example_order(tmp_path)
    both_running = threading.Barrier(2, timeout=30)  # breaks unless audit and log-archive overlap

    def action(stack):
        if stack.name in ("audit", "log-archive"):
            both_running.wait()

    run_stacks(order, action, workers=2)


def test_after_a_failure_nothing_new_starts_and_the_error_is_raised(tmp_path):
    order = _example_order(tmp_path)
    started: list[str] = []

    def action(stack):
        started.append(stack.name)
        if stack.name == "log-archive":
            raise RuntimeError("apply failed")

    with pytest.raises(RuntimeError, match="apply failed"):
        run_stacks(order, action, workers=1)
    assert started == ["management", "log-archive"]  # audit, ready too, never starts


def test_the_longest_chain_of_waiting_stacks_starts_first(tmp_path):
    """Issue 23 B.3: of the stacks ready together, the one more stacks wait behind goes first (network before
    the account stacks nothing waits for), ties in deploy order; in reverse the same on the reversed graph."""
    out = manifest(
        tmp_path,
        {
            "management": [],
            "account-a": ["management"],
            "account-b": ["management"],
            "log-archive": ["management"],
            "network": ["log-archive"],
            "account-web": ["network"],
            "detective": ["account-a", "account-web"],
        },
    )
    order = deploy_order(load_stacks(out))
    assert [s.name for s in order][:4] == ["management", "account-a", "account-b", "log-archive"]
    started: list[str] = []
    run_stacks(order, lambda stack: started.append(stack.name), workers=1)
    assert started == ["management", "log-archive", "network", "account-a", "account-web", "account-b", "detective"]
    started.clear()
    run_stacks(order, lambda stack: started.append(stack.name), workers=1, reverse=True)
    assert started == ["detective", "account-web", "network", "log-archive", "account-b", "account-a", "management"]


def test_an_unlimited_stack_runs_beside_the_limit_and_the_others_keep_it(tmp_path):
    """Issue 23 B.3: a lifecycle stack (the provider's 55 s wait, no CPU) starts when ready even with every slot
    taken, and the limited stacks still run one at a time beside it."""
    order = _example_order(tmp_path)
    beside = threading.Barrier(2, timeout=30)  # breaks unless audit runs while log-archive does, at workers=1
    running: list[str] = []
    most = {"limited": 0}
    lock = threading.Lock()

    def action(stack):
        with lock:
            running.append(stack.name)
            most["limited"] = max(most["limited"], len([n for n in running if n != "audit"]))
        if stack.name in ("audit", "log-archive"):
            beside.wait()
        with lock:
            running.remove(stack.name)

    run_stacks(order, action, workers=1, unlimited=frozenset({"audit"}))
    assert most["limited"] == 1
    beside_without = threading.Barrier(2, timeout=2)

    def limited(stack):
        if stack.name in ("audit", "log-archive"):
            beside_without.wait()

    with pytest.raises(threading.BrokenBarrierError):  # without `unlimited`, audit waits for the one slot
        run_stacks(order, limited, workers=1)
