"""Aligned text tables that fit a width, markdown tables, one-line lists."""

from __future__ import annotations

from typing import Iterable, Optional, Sequence

ELLIPSIS = "…"
MIN_COLUMN = 4
"""A column is never cut below this many characters (its header may be longer)."""
GAP = "  "


def _cells(rows: Iterable[Sequence[object]]) -> list[list[str]]:
    return [["" if c is None else str(c) for c in row] for row in rows]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + ELLIPSIS


def _fit(widths: list[int], limit: int) -> list[int]:
    """Narrow the widest columns, one character at a time, until the row fits `limit` (or none can shrink)."""
    widths = list(widths)
    total = sum(widths) + len(GAP) * (len(widths) - 1)
    while total > limit:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= MIN_COLUMN:
            break
        widths[widest] -= 1
        total -= 1
    return widths


def text_table(
    headers: Sequence[str], rows: Iterable[Sequence[object]], *, width: Optional[int] = None, repeat_first: int = 0
) -> str:
    """A plain aligned table: header, dashes, rows; trailing spaces trimmed.

    `width`: the most characters a line may take (a terminal's columns); the
    widest columns are cut with an ellipsis to fit. None: no limit.
    `repeat_first`: print the first N cells only when they differ from the
    row above, so the table reads as a list per group (0: always print them).
    """
    cells = _cells(rows)
    widths = [max([len(h)] + [len(r[i]) for r in cells if i < len(r)]) for i, h in enumerate(headers)]
    if width is not None:
        widths = _fit(widths, width)

    def line(values: Sequence[str]) -> str:
        return GAP.join(_cut(v, w).ljust(w) for v, w in zip(values, widths)).rstrip()

    out = [line(list(headers)), line(["-" * w for w in widths])]
    previous: Optional[list[str]] = None
    for row in cells:
        shown = row
        if repeat_first and previous is not None and previous[:repeat_first] == row[:repeat_first]:
            shown = [""] * repeat_first + row[repeat_first:]
        out.append(line(shown))
        previous = row
    return "\n".join(out)


def markdown_cell(value: object) -> str:
    """A value safe in a markdown table cell: pipes escaped, line breaks as <br>."""
    return str("" if value is None else value).replace("|", "\\|").replace("\r\n", "\n").replace("\n", "<br>")


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A GitHub-flavoured markdown table."""
    out = ["| " + " | ".join(markdown_cell(h) for h in headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(markdown_cell(c) for c in row) + " |" for row in _cells(rows)]
    return "\n".join(out)


def elide(items: Sequence[str], keep: int = 8) -> str:
    """`a, b, c, … (N more) …, z` for one-line summaries: the first `keep - 1` items and the last."""
    if len(items) <= keep:
        return ", ".join(items)
    return ", ".join(items[: keep - 1]) + f", … ({len(items) - keep} more) …, {items[-1]}"
