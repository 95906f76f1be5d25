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
    # Held while the first's result is read: it builds nothing (every stack copied), so once the lock is free it
    # would replace the folder at once, racing the reads below.
    os.kill(third.pid, signal.SIGSTOP)
    first_err = first.communicate(timeout=300)[1]
    assert first.returncode == 0, first_err
    assert_nothing_left(first, env)
    assert leftovers(out) == []  # the killed and interrupted synths' temporary folders are gone
    once = tree_bytes(out)
    assert once[MARKER] and once["notes.txt"] == PREVIOUS["notes.txt"]  # the user's file is carried over
    assert once["stacks/management/cdk.tf.json"] != PREVIOUS["stacks/management/cdk.tf.json"]
    os.kill(third.pid, signal.SIGCONT)
    third_err = third.communicate(timeout=300)[1]
    assert third.returncode == 0, third_err
    assert_nothing_left(third, third_env)
    assert tree_bytes(out) == once  # what the waiting run wrote equals a single run's output
    assert leftovers(out) == []


def test_a_synth_that_ends_while_cdktf_loads_in_the_background_leaves_nothing(tmp_path):
    """cdktf loads in a background thread from the start (speed/binding_preload.py): a synth that stops before it
    needs cdktf (a missing file, an invalid environment, SIGTERM while it validates) still ends with its one-line
    message and exit code, no traceback, no node process left and nothing written."""
    out = tmp_path / "out"
    bad = tmp_path / "bad.yaml"
    bad.write_text(Path(TINY).read_text(encoding="utf-8").replace("organization:", "organisation:", 1), encoding="utf-8")
    for env_file, needle in ((tmp_path / "missing.yaml", "missing.yaml"), (bad, "bad.yaml")):
        env = lz_env()
        run = start_lz("synth", str(env_file), "--out", str(out), env=env)
        err = run.communicate(timeout=60)[1]
        assert run.returncode == 2, err
        assert needle in err and "Traceback" not in err and "Exception ignored" not in err, err
        assert_nothing_left(run, env)
        assert not out.exists()

    env = lz_env()
    stopped = start_lz("synth", TINY, "--out", str(out), env=env)
    wait_for_line(stopped, "in the background")  # cdktf is loading; the environment is being read
    os.kill(stopped.pid, signal.SIGTERM)  # to lz alone, not to its node process
    rest = stopped.communicate(timeout=60)[1]
    assert stopped.returncode == 143, rest
    assert "Traceback" not in rest and "Exception ignored" not in rest, rest
    assert "lz synth: interrupted (SIGTERM); exit 143" in rest
    assert_nothing_left(stopped, env)
    assert not out.exists() or leftovers(out) == []


def test_a_tag_edit_synth_stops_the_background_load_it_does_not_need(synth_out, tmp_path_factory):
    """`lz synth` of a tag value edit over the earlier output writes the new tags in place and needs no cdktf: it
    stops the node process the background load started (no waiting for it at exit) and leaves nothing behind."""
    import shutil

    import yaml

    example = Path(__file__).resolve().parents[2] / "environments" / "example.yaml"
    folder = tmp_path_factory.mktemp("tag-edit-env")
    shutil.copytree(example.parent / example.stem, folder / example.stem)
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    data["account_factory"]["requests"][-1]["tags"]["cost-center"] = "edited"
    edited = folder / example.name
    edited.write_text(yaml.safe_dump(data, sort_keys=False, width=120), encoding="utf-8")
    out = tmp_path_factory.mktemp("tag-edit-out")  # a sibling of synth_out's folder: the same keys
    shutil.copytree(synth_out.dir, out, dirs_exist_ok=True)
    env = lz_env()
    run = start_lz("synth", str(edited), "--out", str(out), env=env)
    err = run.communicate(timeout=120)[1]
    assert run.returncode == 0, err
    assert "(new tags written in place, nothing built)" in err and "loaded in" not in err, err
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert_nothing_left(run, env, grace=2.0)  # killed, not left to finish its load
    assert b'"cost-center": "edited"' in (out / "stacks" / "management" / "cdk.tf.json").read_bytes()
