"""What the terminal allows: its width, and colour unless NO_COLOR says otherwise (https://no-color.org)."""

from __future__ import annotations

import os
import shutil
import sys
from typing import IO, Optional

_CODES = {"red": "31", "green": "32", "yellow": "33", "blue": "34", "bold": "1", "dim": "2"}


def _is_terminal(stream: Optional[IO]) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


def terminal_width(stream: Optional[IO] = None) -> Optional[int]:
    """Columns of the terminal `stream` (default stdout) writes to; None when it is a pipe or file (no limit)."""
    stream = sys.stdout if stream is None else stream
    if not _is_terminal(stream):
        return None
    return shutil.get_terminal_size().columns  # honours COLUMNS


def colour_enabled(stream: Optional[IO] = None) -> bool:
    """Colour only on a terminal, never with NO_COLOR set (to anything) or TERM=dumb."""
    stream = sys.stdout if stream is None else stream
    if os.environ.get("NO_COLOR") is not None or os.environ.get("TERM") == "dumb":
        return False
    return _is_terminal(stream)


def paint(text: str, colour: str, stream: Optional[IO] = None) -> str:
    """`text` in `colour` (red, green, yellow, blue, bold, dim) when `stream` shows colour, else unchanged."""
    if not colour_enabled(stream):
        return text
    return f"\x1b[{_CODES[colour]}m{text}\x1b[0m"
