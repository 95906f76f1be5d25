"""Output that is either whole or untouched: write beside the target, then rename into place.

Folders (`lz synth`, `lz deploy`'s synth):

    from landing_zone.atomic_output import atomic_folder, is_complete

    with atomic_folder(Path("cdktf.out")) as tmp:
        write_everything_into(tmp)
    # cdktf.out is now the new folder, with the marker `.lz-complete` written last

The new content goes to a sibling `.<name>.tmp-<pid>`; when the block ends
normally, whatever the previous folder held that the new one does not write
(terraform's `.terraform/`, local state, `moto.log`) is moved across
(`carry_over`), the completeness marker is written last, and the folders are
swapped by renames. When the block raises, or the process is killed, the
previous folder stays byte-identical; the next `atomic_folder` (or
`remove_leftovers`) removes the temporary folders a killed run left behind.
Readers that need a whole folder check `is_complete(folder)`. `atomic_folder` holds
the folder's run lock (run_lock) while it writes: a second writer gets RunLockBusy. Call
`preflight(target)` before slow work, so a read-only folder or a full disk
fails at once rather than after the synth.

Files (`-o` / `--out` writers; `output_paths.write_output` uses it):

    atomic_write_text(Path("report.md"), text)

writes `.report.md.tmp-<pid>` in the same folder, flushes it to disk and
renames it over the target. Both raise OSError; wrap them in
`fs_errors.fs_errors(...)` (or call `output_paths.write_output`) for a
one-line message. Hold `run_lock.run_lock(target, ...)` around the whole run
so two runs never write the same target at once.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import Callable, Iterator

from .run_lock import run_lock

MARKER = ".lz-complete"
"""Written last into a finished output folder; a folder without it is not to be deployed."""


def _sibling(target: Path, kind: str) -> Path:
    return target.parent / f".{target.name}.{kind}-{os.getpid()}"


def leftovers(target: str | os.PathLike) -> list[Path]:
    """Temporary siblings of `target` that an interrupted or killed run left behind."""
    target = Path(os.path.abspath(os.fspath(target)))
    if not target.parent.is_dir():
        return []
    prefixes = (f".{target.name}.tmp-", f".{target.name}.old-")
    return sorted(p for p in target.parent.iterdir() if p.name.startswith(prefixes))


def remove_leftovers(target: str | os.PathLike) -> list[Path]:
    """Remove what `leftovers` finds (call it holding the target's run lock); returns what was removed.

    A run killed between its two renames leaves no target but an `.old-` folder:
    that folder is put back instead of removed.
    """
    target = Path(os.path.abspath(os.fspath(target)))
    removed = []
    for path in leftovers(target):
        if path.name.startswith(f".{target.name}.old-") and not os.path.lexists(target):
            os.rename(path, target)
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
        removed.append(path)
    return removed


def is_complete(folder: str | os.PathLike) -> bool:
    """True when `folder` was written whole by `atomic_folder` (its marker exists)."""
    return (Path(folder) / MARKER).is_file()


def carry_over(old: Path, new: Path, skip: Callable[[Path], bool] = lambda path: False) -> None:
    """Move into `new` every entry of `old` that `new` does not have, folder by folder.

    `skip(path_in_old)` keeps an entry from moving (it is deleted with `old`).
    """
    for entry in sorted(old.iterdir()):
        if entry.name == MARKER:
            continue
        there = new / entry.name
        if os.path.lexists(there):
            if entry.is_dir() and not entry.is_symlink() and there.is_dir() and not there.is_symlink():
                carry_over(entry, there, skip)
        elif not skip(entry):
            os.rename(entry, there)


PROBE_BYTES = 64 * 1024


def preflight(target: str | os.PathLike) -> None:
    """Before slow work: remove what killed runs left beside `target`, and fail at once (OSError naming
    the folder) when its folder cannot take a small file (read-only, no permission, a full disk)."""
    target = Path(os.path.abspath(os.fspath(target)))
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target)
    _probe(target.parent, f".{target.name}.probe-{os.getpid()}")


def _probe(folder: Path, name: str = ".lz-probe") -> None:
    """Fail at once (OSError naming the folder) when it cannot take a small file: a full disk, a quota."""
    probe = folder / name
    try:
        with open(probe, "wb") as handle:
            handle.write(b"\0" * PROBE_BYTES)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, os.fspath(folder)) from None
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()


@contextlib.contextmanager
def atomic_folder(
    target: str | os.PathLike,
    *,
    keep_previous: bool = True,
    skip: Callable[[Path], bool] = lambda path: False,
) -> Iterator[Path]:
    """Yield a fresh sibling folder to write into; on success it replaces `target` whole.

    `keep_previous`: carry over what the previous folder held that the new one
    does not write (see `carry_over`; `skip` excludes entries of it).
    """
    target = Path(os.path.abspath(os.fspath(target)))
    target.parent.mkdir(parents=True, exist_ok=True)
    with run_lock(target):  # one writer at a time (reentrant: a command that holds it already goes on)
        yield from _atomic_folder(target, keep_previous, skip)


def _atomic_folder(target: Path, keep_previous: bool, skip: Callable[[Path], bool]) -> Iterator[Path]:
    remove_leftovers(target)
    tmp = _sibling(target, "tmp")
    tmp.mkdir()
    try:
        _probe(tmp)
        yield tmp
        if keep_previous and target.is_dir() and not target.is_symlink():
            carry_over(target, tmp, skip)
        with open(tmp / MARKER, "w", encoding="utf-8") as handle:
            handle.write("written whole by lz; a folder without this file is incomplete\n")
        old = _sibling(target, "old")
        if os.path.lexists(target):
            os.rename(target, old)
        os.rename(tmp, target)
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """Write `text` (UTF-8) to a sibling temporary file, flush it to disk, rename it over `path`."""
    path = Path(path)
    if path.exists() and not path.is_file():  # a pipe or device the user named: write it directly
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return path
    tmp = path.parent / f".{path.name}.tmp-{os.getpid()}"
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path
