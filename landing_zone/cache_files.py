"""Small generated files this machine's tools read, kept in the user's cache folder.

Terraform's CLI configuration for the provider mirror and the local AWS API's
AWS config file are written here once and read by every terraform run after:
a file's name says what it holds, so the same name always means the same
content. Pure Python.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def cache_root() -> Path:
    """`$XDG_CACHE_HOME/landing_zone`, default `~/.cache/landing_zone`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "landing_zone"


def write_cache_file(name: str, text: str, directory: Path | None = None) -> Path:
    """Write `text` to `name` in `directory` (default: the cache folder; the temporary folder when that
    cannot be made) unless it already holds exactly that, and return the file's path."""
    directory = directory or cache_root()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        directory = Path(tempfile.gettempdir())
    target = directory / name
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        tmp = target.with_name(f"{name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)  # atomic: parallel runs never read half a file
    return target
