"""app/binding_preload: cdktf loads in a background thread; its errors reach the caller, and a synth that needs
no cdktf stops the node process at once (real processes: the jsii runtime is started for real)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from landing_zone.app import binding_preload
from landing_zone.speed import binding_subset

ROOT = Path(__file__).resolve().parents[2]
PRELUDE = (
    "import _imp, os, sys, time\n"
    "from landing_zone.node_runtime import prepare_node_runtime\n"
    "from landing_zone.app import binding_preload\n"
    "from landing_zone.speed.fast_exit import exit_after\n"
    "prepare_node_runtime(load=False)\n"
)


def _fresh(code: str) -> subprocess.CompletedProcess:
    """`PRELUDE + code` in a fresh `python -O` (as lz synth runs), with every speed trick on; it must exit 0."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("LZ_SPEED_OFF", None)
    run = subprocess.run(
        [sys.executable, "-O", "-c", PRELUDE + code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return run


def test_wait_re_raises_what_the_background_load_raised(monkeypatch):
    monkeypatch.setattr(binding_preload, "_start_node", lambda: None)

    def broken() -> bool:
        raise RuntimeError("no node here")

    monkeypatch.setattr(binding_subset, "apply", broken)
    load = binding_preload.start()
    with pytest.raises(RuntimeError, match="no node here"):
        load.wait()
    assert not load.pending() and load.seconds() >= 0


def test_switched_off_it_loads_in_the_calling_thread_at_wait(monkeypatch):
    monkeypatch.setenv("LZ_SPEED_OFF", "binding_preload")
    calls: list[str] = []
    monkeypatch.setattr(binding_subset, "apply", lambda: calls.append("apply") or True)
    load = binding_preload.start()
    assert calls == [] and not load.pending()
    load.wait()
    assert calls == ["apply"]
    load.abandon()  # nothing to stop


@pytest.mark.parametrize("after", [0.0, 1.0], ids=["before-node-starts", "while-loading"])
def test_abandon_stops_the_node_process_and_the_exit_does_not_wait(after):
    """Abandoned at once or a second in (node reading the assemblies): the node process is gone when abandon
    returns, and the process ends without waiting for the load, with no error printed."""
    run = _fresh(
        "load = binding_preload.start()\n"
        f"time.sleep({after})\n"
        "node = load._node\n"
        "began = time.perf_counter()\n"
        "load.abandon()\n"
        "took = time.perf_counter() - began\n"
        "alive = node is not None and node._process.poll() is None\n"
        "print(node is not None, alive, load.pending(), took < 2.0, flush=True)\n"
        "sys.exit(exit_after(0))\n"
    )
    started, alive, pending, quick = run.stdout.split()
    assert (alive, pending, quick) == ("False", "False", "True"), run.stdout
    if after:
        assert started == "True"  # node was running, and was stopped
    assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr, run.stderr


def test_abandon_does_not_wait_for_a_thread_stuck_on_an_import_lock_a_signal_left_held():
    """A SIGTERM that interrupts the main thread inside an import can leave Python's global import lock held by it;
    the loading thread then waits on its next import for ever, holding the preload's lock (seen under CI load:
    `lz synth` hung at exit). abandon() gives up after a bound and the process still ends."""
    run = _fresh(
        "_imp.acquire_lock()\n"  # as the interrupted import left it
        "load = binding_preload.start()\n"
        "time.sleep(0.3)\n"
        "began = time.perf_counter()\n"
        "load.abandon()\n"
        "print(time.perf_counter() - began < 5, flush=True)\n"
        "sys.exit(exit_after(0))\n"
    )
    assert run.stdout.split() == ["True"]
