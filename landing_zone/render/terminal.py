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


DEFAULT_WIDTH = 100
"""Columns of text output into a pipe or file when COLUMNS does not say."""


def _columns_variable() -> Optional[int]:
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return None
    return columns if columns > 0 else None


def terminal_width(stream: Optional[IO] = None) -> int:
    """Columns text output to `stream` (default stdout) may take: COLUMNS when set, else the terminal's
    width when it is one, else DEFAULT_WIDTH (a pipe or file)."""
    stream = sys.stdout if stream is None else stream
    columns = _columns_variable()
    if columns is not None:
        return columns
    if _is_terminal(stream):
        return shutil.get_terminal_size().columns
    return DEFAULT_WIDTH


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
