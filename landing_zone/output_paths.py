"""Writing a file the user named with `-o` / `--out` / `--output` / `--diagram` / `--sarif`.

`check_output_file` refuses, before any work is done, a path that cannot
take a file: an existing directory, a name ending in `/`, a parent that is a
file, a missing parent folder (unless `make_parents`). `write_output` checks
the same and writes, turning every OS error (permission, read-only file
system, full disk) into an `OutputPathError` whose message names the path
and says what to give instead. The CLI prints it and exits 2.
Writing to an existing pipe or device (`/dev/stdout`, a process
substitution) is allowed: that is a deliberate choice of the user's.
The file is written whole or not at all (atomic_output.atomic_write_text).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from .atomic_output import atomic_write_text
from .fs_errors import FsError, reason
from .run_lock import run_lock


class OutputPathError(FsError):
    """An output path that cannot be written (message for people, naming the path)."""


def check_output_file(path: str | os.PathLike, *, make_parents: bool = False, what: str = "output file") -> Path:
    """`path` as a Path when a file can be written there; OutputPathError otherwise."""
    text = os.fspath(path)
    if not text or not text.strip():
        raise OutputPathError(f"the {what} name is empty")
    if "\0" in text:
        raise OutputPathError(f"{text!r}: the {what} name holds a NUL byte")
    p = Path(text)
    if text.endswith(("/", os.sep)) or p.is_dir():
        raise OutputPathError(f"{text}: is a directory; give a file name for the {what} (such as {Path(text) / _example(what)})")
    parent = p.parent
    for folder in (parent, *parent.parents):
        if folder.exists() or os.path.islink(folder):
            if not folder.is_dir():
                raise OutputPathError(f"{text}: {folder} is not a folder, so the {what} cannot be written inside it")
            break
    if not parent.is_dir() and not make_parents:
        raise OutputPathError(f"{text}: the folder {parent} does not exist; create it first")
    return p


def _example(what: str) -> str:
    return {
        "diagram": "network.mmd",
        "workflow": "landing-zone.yml",
        "SARIF report": "checkov.sarif",
        "schema": "schema.json",
        "environment file": "minimal.yaml",
    }.get(what, "output.md")


def write_output(path: str | os.PathLike, text: str, *, make_parents: bool = False, what: str = "output file") -> Path:
    """Write `text` (UTF-8) to `path`; OutputPathError with a message for people when it cannot be written."""
    p = check_output_file(path, make_parents=make_parents, what=what)
    try:
        if make_parents:
            p.parent.mkdir(parents=True, exist_ok=True)
        # one writer at a time (RunLockBusy, exit 75), except for a pipe or device the user named
        with run_lock(p) if not p.exists() or p.is_file() else contextlib.nullcontext():
            atomic_write_text(p, text)  # whole or untouched: a sibling temporary file renamed over the target
    except OSError as exc:
        raise OutputPathError(f"{os.fspath(path)}: cannot write the {what}: {reason(exc)}") from None
    return p
