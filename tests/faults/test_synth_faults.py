"""Issue 26: `lz synth` raced, killed and interrupted, as the real CLI in a session of its own.

One folder goes through the whole story, so only three synths run (~25 s
each): a synth is SIGKILLed midway and another interrupted with Ctrl-C (the
previous output stays byte-identical), then a synth runs while a second one
is refused at once and a third waits with --wait (both cleaning up what the
killed one left; the output equals a single run's).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from fault_procs import TINY, assert_nothing_left, lz_env, start_lz, tree_bytes, wait_for_line

from landing_zone.atomic_output import MARKER, leftovers
from landing_zone.run_lock import EXIT_BUSY, lock_path

pytestmark = pytest.mark.slow

PREVIOUS = {"stacks/management/cdk.tf.json": b'{"previous": "output"}\n', "notes.txt": b"the user's own file\n", MARKER: b"x\n"}


def _previous_output(out: Path) -> None:
    for name, data in PREVIOUS.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)


def test_killed_interrupted_and_concurrent_synths(tmp_path):
    out = tmp_path / "out"
    _previous_output(out)
    before = tree_bytes(out)

    # 1. SIGKILL midway (cdktf loaded, the temporary folder being written): nothing of it shows in out/.
    env = lz_env()
    killed = start_lz("synth", TINY, "--out", str(out), env=env)
    wait_for_line(killed, "built stack log-archive")  # the app half built in the temporary folder
    assert leftovers(out), "the synth never created its temporary folder"
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait(timeout=30)
    assert_nothing_left(killed, env)  # its node (jsii) process went with it: same session
    assert tree_bytes(out) == before
    assert [p.name.startswith(".out.tmp-") for p in leftovers(out)] == [True]

    # 2. Ctrl-C at a terminal (SIGINT to the whole process group, node included) once cdktf runs:
    # exit 130, one line, no traceback (jsii's exit handler included), the output untouched.
    env = lz_env()
    interrupted = start_lz("synth", TINY, "--out", str(out), env=env)
    wait_for_line(interrupted, "loaded in")
    os.killpg(interrupted.pid, signal.SIGINT)
    rest = interrupted.communicate(timeout=60)[1]
    assert interrupted.returncode == 130, rest
    assert "Traceback" not in rest and "Exception ignored" not in rest, rest
    assert "lz synth: interrupted (SIGINT); exit 130" in rest
    assert_nothing_left(interrupted, env)
    assert tree_bytes(out) == before

    # 3. Two synths at once: the second refuses at once, naming the first; a third waits (--wait).
    env = lz_env()
    first = start_lz("synth", TINY, "--out", str(out), env=env)
    wait_for_line(first, "is valid")
    deadline = time.monotonic() + 30
    while f'"pid": {first.pid}' not in lock_path(out).read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    second_env = lz_env()
    second = start_lz("synth", TINY, "--out", str(out), env=second_env)
    err = second.communicate(timeout=60)[1]
    assert second.returncode == EXIT_BUSY, err
    refusal = [line for line in err.splitlines() if line.startswith("lz synth: ") and "in use" in line]
    assert len(refusal) == 1 and "Traceback" not in err, err
    assert f"{out} is in use by `lz synth` (pid {first.pid}, started " in refusal[0]
    assert_nothing_left(second, second_env)
    third_env = lz_env()
    third = start_lz("synth", TINY, "--out", str(out), "--wait", env=third_env)
    wait_for_line(third, "waiting for `lz synth`")
    first_err = first.communicate(timeout=300)[1]
    assert first.returncode == 0, first_err
    assert_nothing_left(first, env)
    assert leftovers(out) == []  # the killed and interrupted synths' temporary folders are gone
    once = tree_bytes(out)
    assert once[MARKER] and once["notes.txt"] == PREVIOUS["notes.txt"]  # the user's file is carried over
    assert once["stacks/management/cdk.tf.json"] != PREVIOUS["stacks/management/cdk.tf.json"]
    third_err = third.communicate(timeout=300)[1]
    assert third.returncode == 0, third_err
    assert_nothing_left(third, third_env)
    assert tree_bytes(out) == once  # what the waiting run wrote equals a single run's output
    assert leftovers(out) == []
