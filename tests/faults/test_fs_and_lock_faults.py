"""Issue 26: filesystem errors, the run lock, atomic files and closed pipes, fast (no synth).

The CLI runs as a real subprocess in a session of its own; a read-only folder
is a read-only bind mount and a full disk a 64 KiB tmpfs (both need root and
mount(2): we run as root in this container; elsewhere those cases skip with
the reason).
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from fault_procs import ROOT, TINY, assert_nothing_left, lz_env, start_lz

from landing_zone.atomic_output import MARKER, atomic_folder, atomic_write_text, is_complete, leftovers, remove_leftovers
from landing_zone.fs_errors import FsError, describe, fs_errors
from landing_zone.interrupts import describe_returncode
from landing_zone.run_lock import EXIT_BUSY, RunLockBusy, lock_path, run_lock

EXAMPLE = str(ROOT / "environments" / "example.yaml")


def _lz(*args: str, timeout: float = 120) -> tuple[int, str, str]:
    env = lz_env()
    proc = start_lz(*args, env=env)
    out, err = proc.communicate(timeout=timeout)
    assert_nothing_left(proc, env)
    return proc.returncode, out, err


def _one_line_exit_2(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err, err
    progress = (" is valid (", " in the background (")  # lines before the error: validated, cdktf loading
    lines = [line for line in err.strip().splitlines() if not any(p in line for p in progress)]
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], err


@pytest.fixture
def mounted(tmp_path):
    """mount(2) a folder, unmounted afterwards; skips where mounting is not permitted."""
    points: list[Path] = []

    def mount(*args: str) -> Path:
        point = tmp_path / f"mnt{len(points)}"
        point.mkdir()
        done = subprocess.run(["mount", *args, str(point)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount here: {done.stderr.strip()}")
        points.append(point)
        return point

    yield mount
    for point in reversed(points):
        subprocess.run(["umount", "-l", str(point)], check=False)


def test_a_read_only_output_folder_is_one_line_naming_it(tmp_path, mounted):
    source = tmp_path / "source"
    source.mkdir()
    ro = mounted("--bind", "-o", "ro", str(source))
    if _writable(ro):  # older mount(8): a bind mount takes ro only on a remount
        subprocess.run(["mount", "-o", "remount,bind,ro", str(ro)], check=True)
    code, _, err = _lz("synth", TINY, "--out", str(ro / "out"))
    _one_line_exit_2(code, err, "lz synth: cannot write the synth output", str(ro), "Read-only file system")
    code, _, err = _lz("ci-workflow", EXAMPLE, "-o", str(ro / "wf.yml"))
    _one_line_exit_2(code, err, "lz ci-workflow:", str(ro), "Read-only file system")


def _writable(folder: Path) -> bool:
    try:
        (folder / ".probe").write_text("")
        (folder / ".probe").unlink()
        return True
    except OSError:
        return False


def test_an_output_path_under_a_regular_file_is_one_line_naming_it(tmp_path):
    regular = tmp_path / "a-file"
    regular.write_text("not a folder\n")
    code, _, err = _lz("synth", TINY, "--out", str(regular / "out"))
    _one_line_exit_2(code, err, "lz synth:", str(regular), "Not a directory")
    code, _, err = _lz("deploy", TINY, "--no-synth", "--out", str(regular / "out"))
    _one_line_exit_2(code, err, "lz deploy:", str(regular), "Not a directory")


def test_a_name_too_long_is_one_line(tmp_path):
    code, _, err = _lz("synth", TINY, "--out", str(tmp_path / ("x" * 300)))
    _one_line_exit_2(code, err, "lz synth:", "File name too long")


def test_a_full_disk_is_one_line_naming_the_path(tmp_path, mounted):
    full = mounted("-t", "tmpfs", "-o", "size=64k", "tmpfs")
    try:
        with open(full / "filler", "wb") as handle:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    code, _, err = _lz("ci-workflow", EXAMPLE, "-o", str(full / "wf.yml"))
    _one_line_exit_2(code, err, "lz ci-workflow:", str(full / "wf.yml"), "No space left on device")
    assert sorted(p.name for p in full.iterdir()) == [".wf.yml.lock", "filler"]  # no half-written temporary file
    code, _, err = _lz("synth", TINY, "--out", str(full / "out"))
    _one_line_exit_2(code, err, "lz synth:", str(full), "No space left on device")


def test_a_closed_pipe_prints_no_traceback():
    env = lz_env()
    proc = subprocess.Popen(
        f"{sys.executable} -m landing_zone.cli.main guardrails {EXAMPLE} | head -1",
        shell=True,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert len(out.splitlines()) == 1
    assert err == "", err
    assert_nothing_left(proc, env)


# -- the library pieces, in-process ------------------------------------------------------------

_HOLD = textwrap.dedent(
    """
    import sys, time
    from landing_zone.run_lock import run_lock
    with run_lock(sys.argv[1], "synth"):
        print("held", flush=True)
        time.sleep(60)
    """
)


def test_the_lock_names_its_holder_waits_and_dies_with_it(tmp_path):
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(out)], cwd=ROOT, env=lz_env(), stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    with pytest.raises(RunLockBusy) as busy:
        with run_lock(out, "deploy"):
            pass
    message = str(busy.value)
    assert "\n" not in message
    assert f"{out} is in use by `lz synth` (pid {holder.pid}, started " in message and str(lock_path(out)) in message
    os.killpg(holder.pid, signal.SIGKILL)  # a killed holder leaves no stale lock: the kernel releases it
    holder.wait()
    start = time.monotonic()
    with run_lock(out, "deploy", wait=True):
        assert time.monotonic() - start < 5
    assert EXIT_BUSY == 75


def test_atomic_folder_keeps_the_previous_output_on_failure_and_carries_over_the_rest(tmp_path):
    out = tmp_path / "out"
    (out / "stacks" / "a" / ".terraform").mkdir(parents=True)
    (out / "stacks" / "a" / "cdk.tf.json").write_text("old")
    (out / "stacks" / "a" / ".terraform" / "x").write_text("provider")
    (out / "local-state").mkdir()
    with pytest.raises(RuntimeError):
        with atomic_folder(out) as tmp:
            (tmp / "half").write_text("written")
            raise RuntimeError("synth failed")
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == [
        "local-state",
        "stacks",
        "stacks/a",
        "stacks/a/.terraform",
        "stacks/a/.terraform/x",
        "stacks/a/cdk.tf.json",
    ]
    assert leftovers(out) == [] and not is_complete(out)
    with atomic_folder(out) as tmp:
        (tmp / "stacks" / "a").mkdir(parents=True)
        (tmp / "stacks" / "a" / "cdk.tf.json").write_text("new")
    assert (out / "stacks" / "a" / "cdk.tf.json").read_text() == "new"
    assert (out / "stacks" / "a" / ".terraform" / "x").read_text() == "provider"
    assert (out / "local-state").is_dir() and is_complete(out) and (out / MARKER).is_file()
    assert leftovers(out) == []


def test_a_run_killed_between_its_renames_gets_its_folder_back(tmp_path):
    out = tmp_path / "out"
    old = tmp_path / f".out.old-{os.getpid() + 1}"
    old.mkdir()
    (old / MARKER).write_text("")
    (tmp_path / ".out.tmp-1").mkdir()
    assert remove_leftovers(out) == [tmp_path / ".out.tmp-1"]
    assert is_complete(out) and leftovers(out) == []


def test_atomic_write_text_leaves_no_temporary_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "report.md"
    target.write_text("previous")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError):
        atomic_write_text(target, "new")
    assert target.read_text() == "previous" and sorted(tmp_path.iterdir()) == [target]


def test_fs_errors_is_one_line_with_the_path_and_the_reason(tmp_path):
    with pytest.raises(FsError) as caught:
        with fs_errors("write the synth output", tmp_path):
            raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "x"))
    assert str(caught.value) == (
        f"cannot write the synth output: {tmp_path / 'x'}: Permission denied (no permission; choose a folder you can write)"
    )
    assert describe(OSError(errno.ENOSPC, "No space left on device"), "/d") == (
        "/d: No space left on device (the disk is full; free some space)"
    )


def test_a_child_killed_by_a_signal_is_named():
    assert describe_returncode(-9) == "killed by SIGKILL (signal 9): out of memory, or killed by hand?"
    assert describe_returncode(-15) == "killed by SIGTERM (signal 15): asked to stop"
    assert describe_returncode(3) == "exit 3"


def test_a_node_filesystem_error_becomes_an_os_error_naming_the_path(tmp_path):
    from landing_zone.app.build import node_os_error  # cdktf: this test is in the synth module set already loaded

    full = node_os_error(RuntimeError("@jsii/kernel.RuntimeError: Error: ENOSPC: no space left on device, write"), tmp_path)
    assert isinstance(full, OSError) and (full.errno, full.filename) == (errno.ENOSPC, str(tmp_path))
    denied = node_os_error(RuntimeError("Error: EACCES: permission denied, open '/x/stacks/a/cdk.tf.json'"), tmp_path)
    assert isinstance(denied, OSError) and (denied.errno, denied.filename) == (errno.EACCES, "/x/stacks/a/cdk.tf.json")
    assert node_os_error(RuntimeError("Error: a construct failed"), tmp_path) is None


_GRACEFUL = textwrap.dedent(
    """
    import subprocess, sys
    from landing_zone import interrupts
    interrupts.install_top_level()
    try:
        with interrupts.graceful("test", heartbeat=0.3):
            # a child that takes its time to stop, like terraform finishing its calls
            child = interrupts.popen([sys.executable, "-c",
                "import signal, time; signal.signal(signal.SIGINT, lambda *a: None); print('up', flush=True); time.sleep(60)"],
                stdout=subprocess.PIPE, text=True)
            print("child up" if child.stdout.readline() == "up\\n" else "no child", flush=True)
            child.wait()
    except interrupts.Interrupted as exc:
        sys.exit(interrupts.exit_code_for(exc))
    """
)


def test_first_signal_passes_on_with_a_heartbeat_and_the_second_kills_the_child_group():
    env = lz_env()
    proc = subprocess.Popen(
        [sys.executable, "-c", _GRACEFUL],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout is not None and proc.stdout.readline() == "child up\n"
    proc.send_signal(signal.SIGTERM)
    time.sleep(1.2)  # a few heartbeats while the child ignores the passed-on SIGINT
    proc.send_signal(signal.SIGINT)
    err = proc.communicate(timeout=30)[1]
    assert proc.returncode == 143, err  # the first signal decides the exit code
    lines = err.splitlines()
    assert lines[0].startswith("lz test: SIGTERM received: asked 1 terraform run(s) to stop") and "Ctrl-C again" in lines[0]
    assert sum("still stopping" in line for line in lines) >= 2, err
    assert any(line.startswith("lz test: second signal (SIGINT): killed 1 process group(s)") for line in lines), err
    assert "Traceback" not in err
    assert_nothing_left(proc, env)
