"""Reading a file a user named, without trusting it.

Every file the tools read on a user's word (environment files, `extends`
bases, account requests, terraform plan JSON, review manifests) goes through
`read_limited`: only a regular file is opened (a named pipe would block for
ever, `/dev/zero` never ends, a directory or a socket is no document), it is
opened without blocking, and at most `limit` bytes are read, whatever the
file's reported size says. Every refusal is an `InputFileError` whose message
is for people and never echoes the file's contents. No dependencies: the
config and review layers both use it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "is a directory"),
    (stat.S_ISFIFO, "is a named pipe"),
    (stat.S_ISCHR, "is a character device (such as /dev/null or /dev/zero)"),
    (stat.S_ISBLK, "is a block device"),
    (stat.S_ISSOCK, "is a socket"),
)


class InputFileError(Exception):
    """A named file cannot be used; `reason` says why (without the path)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def kind_problem(mode: int) -> str | None:
    """Why a file of this `st_mode` is not a document, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    for test, what in _KINDS:
        if test(mode):
            return f"{what}, not a regular file"
    return "is not a regular file"


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "file not found"
    if exc.errno == errno.ELOOP:
        return "is a symbolic link loop (a link that points back at itself)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "cannot read file: permission denied"
    if exc.errno == errno.ENAMETOOLONG:
        return "the path is too long"
    return f"cannot read file: {exc.strerror or exc}"


def check_regular(path: str | os.PathLike) -> os.stat_result:
    """The file's status when it is a regular file (symbolic links followed); InputFileError otherwise."""
    try:
        info = os.stat(path)
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        raise InputFileError(_os_reason(exc) if isinstance(exc, OSError) else "the path holds a NUL byte") from None
    problem = kind_problem(info.st_mode)
    if problem:
        raise InputFileError(problem)
    return info


def read_limited(path: str | os.PathLike, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; InputFileError otherwise."""
    info = check_regular(path)
    if info.st_size > limit:
        raise InputFileError(f"file is {info.st_size:,} bytes; at most {limit:,} are accepted")
    try:
        # O_NONBLOCK: if the path became a pipe after the check, open must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputFileError(_os_reason(exc)) from None
    try:
        problem = kind_problem(os.fstat(fd).st_mode)
        if problem:
            raise InputFileError(problem)
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise InputFileError(_os_reason(exc)) from None
    finally:
        os.close(fd)
    if total > limit:
        raise InputFileError(f"file is more than {limit:,} bytes; at most {limit:,} are accepted")
    return b"".join(chunks)


def resolve(path: Path) -> Path:
    """`path` made absolute with symbolic links followed; InputFileError on a link loop."""
    try:
        return path.resolve()
    except (RuntimeError, OSError) as exc:  # Python < 3.13 raises RuntimeError on a loop
        if isinstance(exc, OSError) and exc.errno not in (errno.ELOOP, None):
            raise InputFileError(_os_reason(exc)) from None
        raise InputFileError("is a symbolic link loop (a link that points back at itself)") from None
