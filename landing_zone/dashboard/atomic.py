"""Write a folder all at once: build it beside the target, then rename it into place.

A reader (a browser, a CI artifact upload, a web server) sees either the old
folder or the new one, never half of each. Minimal on purpose: the shared
atomic-output helper (being built alongside) can replace it; the contract is
`write_folder(target, {relative name: bytes or text})`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Mapping, Union

from ..output_paths import OutputPathError
from ..run_lock import run_lock

Content = Union[str, bytes]


def write_folder(target: Union[str, os.PathLike], files: Mapping[str, Content]) -> Path:
    """Replace the folder `target` with exactly `files`; OutputPathError (for people) when it cannot."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise OutputPathError(f"{target}: is a file; give a folder for the dashboard (such as {target.parent / 'dashboard'})")
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputPathError(f"{target}: cannot create a folder in {parent}: {exc.strerror or exc}") from exc
    try:
        with run_lock(target):  # one writer at a time: a second run gets RunLockBusy (exit 75)
            return _write_folder(target, parent, files)
    except OSError as exc:  # the lock file itself
        raise OutputPathError(f"{target}: cannot create a folder in {parent}: {exc.strerror or exc}") from exc


def _write_folder(target: Path, parent: Path, files: Mapping[str, Content]) -> Path:
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise OutputPathError(f"{target}: cannot create a folder in {parent}: {exc.strerror or exc}") from exc
    old = None
    try:
        for name, content in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        staging.chmod(0o755)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=parent))
            os.rename(target, old / "previous")  # two renames: POSIX cannot swap a non-empty folder in one
        os.rename(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None and (old / "previous").exists() and not target.exists():
            os.rename(old / "previous", target)  # put the old folder back
        raise OutputPathError(f"{target}: cannot write the dashboard: {exc.strerror or exc}") from exc
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return target
