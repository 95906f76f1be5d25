"""One run at a time per output or state folder: an `flock` on a lock file beside it.

Every command that writes a folder or a file wraps its work in `run_lock`:

    from landing_zone.run_lock import run_lock

    with run_lock(Path("cdktf.out"), "synth", wait=args.wait):
        ...  # write cdktf.out

The lock file is `<parent>/.<name>.lock` (beside the folder, so replacing the
folder with a rename never drops the lock). The kernel releases an `flock`
when its holder dies, so a killed run never leaves a stale lock. A second run
on the same folder gets `RunLockBusy` at once, whose message is one line
naming the holder (command, pid, start time) and the folder; the CLI prints it
and exits with `EXIT_BUSY` (75, sysexits' EX_TEMPFAIL: "try again later").
With `wait=True` the second run waits for the first to finish instead.
`add_wait_argument(parser)` adds the `--wait` option to a command.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
import time
from pathlib import Path
from typing import Callable, Iterator

EXIT_BUSY = 75
"""Exit code of a command refused because another run holds its folder (EX_TEMPFAIL)."""


class RunLockBusy(Exception):
    """Another live run holds the lock of this folder (message for people, one line)."""


def lock_path(target: str | os.PathLike) -> Path:
    """The lock file of `target`: `.<name>.lock` in the same parent folder."""
    p = Path(os.path.abspath(os.fspath(target)))
    return p.parent / f".{p.name}.lock"


def add_wait_argument(parser) -> None:
    parser.add_argument(
        "--wait",
        action="store_true",
        help=f"when another run writes the same folder, wait for it instead of failing (exit {EXIT_BUSY})",
    )


def _holder(handle) -> str:
    try:
        handle.seek(0)
        info = json.loads(handle.read() or "{}")
        return f"`lz {info['command']}` (pid {info['pid']}, started {info['started']})"
    except (OSError, ValueError, KeyError, TypeError):
        return "another run"


@contextlib.contextmanager
def run_lock(
    target: str | os.PathLike,
    command: str,
    *,
    wait: bool = False,
    notify: Callable[[str], None] | None = None,
) -> Iterator[Path]:
    """Hold the exclusive lock of `target` (a folder or file) for the duration of the block.

    Raises RunLockBusy when another run holds it (unless `wait`); OSError
    (e.g. a read-only parent) goes to the caller, for fs_errors to report.
    """
    path = lock_path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    with os.fdopen(fd, "r+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(handle)
            if not wait:
                raise RunLockBusy(
                    f"{os.fspath(target)} is in use by {holder}; wait for it to finish, or pass --wait (lock file {path})"
                ) from None
            (notify or _stderr)(f"waiting for {holder} to release {os.fspath(target)} ...")
            fcntl.flock(handle, fcntl.LOCK_EX)
        info = {
            "command": command,
            "pid": os.getpid(),
            "started": time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime()),
            "folder": os.fspath(target),
        }
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(info))
        handle.flush()
        try:
            yield path
        finally:
            # The file stays (removing it would race with a waiter that opened it);
            # closing the handle releases the lock.
            fcntl.flock(handle, fcntl.LOCK_UN)


def _stderr(message: str) -> None:
    print(f"lz: {message}", file=sys.stderr, flush=True)
