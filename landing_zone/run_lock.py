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

The writers take it themselves (`atomic_output.atomic_folder`,
`output_paths.write_output`, the dashboard's folder, the compliance store), so
every command that writes is covered; `lz`'s main calls `configure(command,
wait)` once, so those locks name the command and honour its `--wait`. The lock
is reentrant within a process: a command that already holds its folder (deploy,
synth) writes it through those helpers without locking itself out.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

EXIT_BUSY = 75
"""Exit code of a command refused because another run holds its folder (EX_TEMPFAIL)."""


_DEFAULTS = {"command": "", "wait": False}
_HELD: dict[str, int] = {}
_HELD_LOCK = threading.Lock()


def configure(command: str, wait: bool = False) -> None:
    """The command name and `--wait` of this process's run, for locks taken by the writing helpers."""
    _DEFAULTS.update(command=command, wait=wait)


def _default_command() -> str:
    return str(_DEFAULTS["command"]) or os.path.basename(sys.argv[0] or "lz")


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


def _holder(fd: int) -> str:
    try:
        info = json.loads(os.pread(fd, 4096, 0).decode("utf-8") or "{}")
        return f"`lz {info['command']}` (pid {info['pid']}, started {info['started']})"
    except (OSError, ValueError, KeyError, TypeError):
        return "another run"


def _check_parents(folder: Path) -> None:
    """A path under a regular file: ENOTDIR naming that file (mkdir would say only "File exists")."""
    for parent in (folder, *folder.parents):
        if os.path.lexists(parent):
            if not parent.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), os.fspath(parent))
            return


@contextlib.contextmanager
def run_lock(
    target: str | os.PathLike,
    command: str | None = None,
    *,
    wait: bool | None = None,
    notify: Callable[[str], None] | None = None,
) -> Iterator[Path]:
    """Hold the exclusive lock of `target` (a folder or file) for the duration of the block.

    Raises RunLockBusy when another run holds it (unless `wait`); OSError
    (e.g. a read-only parent) goes to the caller, for fs_errors to report.
    `command` and `wait` default to what `configure` set. Reentrant: when this
    process already holds the lock, the block just runs.
    """
    path = lock_path(target)
    key = os.fspath(path)
    with _HELD_LOCK:
        if _HELD.get(key):
            _HELD[key] += 1
            nested = True
        else:
            nested = False
    if nested:
        try:
            yield path
        finally:
            with _HELD_LOCK:
                _HELD[key] -= 1
        return
    command = command or _default_command()
    wait = bool(_DEFAULTS["wait"]) if wait is None else wait
    _check_parents(path.parent)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            if not wait:
                raise RunLockBusy(
                    f"{os.fspath(target)} is in use by {holder}; wait for it to finish, or pass --wait (lock file {path})"
                ) from None
            (notify or _stderr)(f"waiting for {holder} to release {os.fspath(target)} ...")
            fcntl.flock(fd, fcntl.LOCK_EX)
        info = {
            "command": command,
            "pid": os.getpid(),
            "started": time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime()),
            "folder": os.fspath(target),
        }
        # Who holds the lock is for the message of a second run only: a full disk must not stop this one
        # (its real writes report that).
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode("utf-8"), 0)
        with _HELD_LOCK:
            _HELD[key] = 1
        try:
            yield path
        finally:
            with _HELD_LOCK:
                _HELD.pop(key, None)
    finally:
        # The file stays (removing it would race with a waiter that opened it); closing releases the lock.
        os.close(fd)


def _stderr(message: str) -> None:
    print(f"lz: {message}", file=sys.stderr, flush=True)
