"""Running the real `lz` in a session of its own, and proving that nothing it started is left.

Every process `lz` starts (node for jsii, terraform, provider plugins, the moto
server) inherits its environment, so each run carries a unique tag there:
`leftovers(tag)` finds any process still carrying it, whatever session or
process group it moved to.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TAG_VAR = "LZ_FAULT_TEST_TAG"
TINY = str(Path(__file__).with_name("tiny.yaml"))


def lz_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "LZ_AWS_ENDPOINT"}
    env["PYTHONPATH"] = str(ROOT)
    env[TAG_VAR] = uuid.uuid4().hex
    env.update(extra)
    return env


def start_lz(*args: str, env: dict | None = None, stdout=subprocess.PIPE, **kwargs) -> subprocess.Popen:
    """`lz ARGS` (the console script's code) in a new session; stderr is a pipe of text lines."""
    return subprocess.Popen(
        [sys.executable, "-m", "landing_zone.cli.main", *args],
        cwd=ROOT,
        env=env or lz_env(),
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        **kwargs,
    )


def tagged(tag: str) -> list[int]:
    """Pids of live processes whose environment carries `tag` (zombies excluded)."""
    found = []
    needle = f"{TAG_VAR}={tag}".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                if handle.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                    continue
            with open(f"/proc/{entry}/environ", "rb") as handle:
                if needle in handle.read().split(b"\0"):
                    found.append(int(entry))
        except (OSError, IndexError):
            continue
    return found


def in_session(sid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
                if fields[0] != b"Z" and int(fields[3]) == sid:
                    found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


def assert_nothing_left(proc: subprocess.Popen, env: dict, grace: float = 10.0) -> None:
    """No process of the run's session, and none carrying its tag, is alive (after `grace` seconds)."""
    deadline = time.monotonic() + grace
    while True:
        left = sorted(set(tagged(env[TAG_VAR])) | set(in_session(proc.pid)))
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    for pid in left:  # clean up before failing, so one failure does not leak into the next test
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert not left, f"processes left behind: {[cmdline(p) for p in left]}"


def cmdline(pid: int) -> str:
    try:
        return f"{pid}: " + open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode()[:200]
    except OSError:
        return str(pid)


def wait_for_line(proc: subprocess.Popen, needle: str, timeout: float = 120.0) -> list[str]:
    """Read stderr until a line holding `needle`; returns the lines read."""
    assert proc.stderr is not None
    lines = []
    deadline = time.monotonic() + timeout
    for line in proc.stderr:
        lines.append(line)
        if needle in line:
            return lines
        if time.monotonic() > deadline:
            break
    raise AssertionError(f"no line with {needle!r} in:\n{''.join(lines)}")


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path -> bytes)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
