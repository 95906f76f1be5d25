"""Filesystem errors as one line for people: the path and the OS reason, exit 2, no traceback.

Every command that writes goes through these, directly or through
`atomic_output` / `output_paths`:

    from landing_zone.fs_errors import FsError, fs_errors

    with fs_errors("write the synth output", target):
        ...  # an OSError becomes FsError("cannot write the synth output: <path>: Read-only file system (...)")

`lz`'s main prints an `FsError` (or any stray `OSError` that names a file)
as `lz <command>: <message>` and exits 2. `describe(exc)` gives the same line
for an OSError caught elsewhere.
"""

from __future__ import annotations

import contextlib
import errno
import os
from typing import Iterator

EXIT_FS = 2

_HINTS = {
    errno.EROFS: "the file system is read-only; choose another folder",
    errno.EACCES: "no permission; choose a folder you can write",
    errno.EPERM: "not permitted; choose a folder you can write",
    errno.ENOSPC: "the disk is full; free some space",
    errno.EDQUOT: "the disk quota is exhausted; free some space",
    errno.ENOTDIR: "a part of the path is a regular file, not a folder",
    errno.ENAMETOOLONG: "shorten the name",
}


class FsError(Exception):
    """A filesystem operation failed (message for people: what, the path, the OS reason)."""


def reason(exc: OSError) -> str:
    """The OS reason with a hint: `Read-only file system (the file system is read-only; ...)`."""
    text = exc.strerror or str(exc) or type(exc).__name__
    hint = _HINTS.get(exc.errno or 0)
    return text + (f" ({hint})" if hint else "")


def describe(exc: OSError, path: str | os.PathLike | None = None, what: str = "") -> str:
    """One line: `cannot <what>: <path>: <OS reason> (<hint>)`; the path is the one the OS named, else `path`."""
    where = exc.filename if exc.filename is not None else path
    parts = [f"cannot {what}" if what else "", os.fspath(where) if where is not None else "", reason(exc)]
    return ": ".join(p for p in parts if p)


@contextlib.contextmanager
def fs_errors(what: str = "", path: str | os.PathLike | None = None) -> Iterator[None]:
    """Turn any OSError of the block into FsError (BlockingIOError and interrupts pass through)."""
    try:
        yield
    except (BlockingIOError, InterruptedError, BrokenPipeError):
        raise
    except OSError as exc:
        raise FsError(describe(exc, path, what)) from None
