"""Aligned text tables that fit a width, markdown tables, one-line lists."""

from __future__ import annotations

import textwrap
from typing import Iterable, Optional, Sequence

MIN_COLUMN = 4
"""A column is never narrowed below this many characters (its header may be longer)."""
READABLE_COLUMN = 20
"""With short headers (`text_table(short_headers=...)`): the narrowest a wrapped column may become
before the long headers give way to the short ones."""
GAP = "  "


def _cells(rows: Iterable[Sequence[object]]) -> list[list[str]]:
    return [["" if c is None else str(c) for c in row] for row in rows]


def _natural(headers: Sequence[str], cells: list[list[str]]) -> list[int]:
    return [max([len(h)] + [len(r[i]) for r in cells if i < len(r)]) for i, h in enumerate(headers)]


def _total(widths: Sequence[int]) -> int:
    return sum(widths) + len(GAP) * (len(widths) - 1)


def _fit(widths: list[int], limit: int, floors: Optional[Sequence[int]] = None) -> list[int]:
    """Narrow the widest columns, one character at a time, until the row fits `limit` (or none can shrink
    below its floor: MIN_COLUMN unless `floors` says otherwise)."""
    widths = list(widths)
    floors = [min(w, MIN_COLUMN) for w in widths] if floors is None else [min(w, f) for w, f in zip(widths, floors)]
    total = _total(widths)
    while total > limit:
        shrinkable = [i for i in range(len(widths)) if widths[i] > floors[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: widths[i])
        widths[widest] -= 1
        total -= 1
    return widths


def _longest_words(headers: Sequence[str], cells: list[list[str]]) -> list[int]:
    """Per column, its longest word: narrower than that, wrapping starts to break words."""
    return [
        max([len(w) for w in h.split()] + [len(w) for r in cells if i < len(r) for w in r[i].split()] + [MIN_COLUMN])
        for i, h in enumerate(headers)
    ]


def _fit_words_first(headers: Sequence[str], cells: list[list[str]], widths: list[int], limit: int) -> list[int]:
    """Fit `limit` by wrapping prose at its spaces first; only when that is not enough are words broken."""
    fitted = _fit(widths, limit, _longest_words(headers, cells))
    return _fit(widths, limit) if _total(fitted) > limit else fitted


def wrap_cell(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` characters: broken at spaces, a longer word anywhere;
    line breaks in the text are kept. Every non-space character stays, in order."""
    out: list[str] = []
    for part in text.splitlines() or [""]:
        if len(part) <= width:
            out.append(part)
        else:
            out += textwrap.wrap(part, width, break_long_words=True, break_on_hyphens=False) or [""]
    return out


def _legend(title: str, headers: Sequence[str], short: Sequence[str]) -> str:
    return f"{title}: " + ", ".join(f"{s} {h}" for h, s in zip(headers, short) if s != h)


def _short_headers_needed(headers: Sequence[str], cells: list[list[str]], short: Sequence[str], limit: int) -> bool:
    """True when the long headers cannot stand unwrapped with every other column at a readable width."""
    natural = _natural(headers, cells)
    floors = [len(h) if s != h else min(w, READABLE_COLUMN) for h, s, w in zip(headers, short, natural)]
    return _total(_fit(natural, limit, floors)) > limit


def text_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    width: Optional[int] = None,
    repeat_first: int = 0,
    short_headers: Optional[Sequence[str]] = None,
    legend_title: str = "Columns",
) -> str:
    """A plain aligned table: header, dashes, rows; trailing spaces trimmed.

    `width`: the most characters a line may take (a terminal's columns). The
    widest columns are narrowed first and their cells wrap onto more lines, so
    nothing is cut. None: no limit.
    `repeat_first`: print the first N cells only when they differ from the
    row above, so the table reads as a list per group (0: always print them).
    `short_headers`: one per column, for matrices whose columns are named by
    long headers over short cells (accounts): when the long headers do not fit
    `width`, the short ones head the columns and a legend line below the table
    names each ("`legend_title`: 1 log-archive, 2 audit, ...").
    """
    cells = _cells(rows)
    if repeat_first and width is not None and _total(_natural(headers, cells)) > width:
        return _grouped(headers, cells, width, repeat_first)
    legend = ""
    if short_headers is not None and width is not None and _short_headers_needed(headers, cells, short_headers, width):
        legend = _legend(legend_title, headers, short_headers)
        headers = list(short_headers)
    widths = _natural(headers, cells)
    if width is not None:
        widths = _fit_words_first(headers, cells, widths, width)

    def lines(values: Sequence[str]) -> list[str]:
        wrapped = [wrap_cell(v, w) for v, w in zip(values, widths)]
        height = max((len(w) for w in wrapped), default=1)
        return [GAP.join((w[i] if i < len(w) else "").ljust(n) for w, n in zip(wrapped, widths)).rstrip() for i in range(height)]

    out = lines(list(headers)) + lines(["-" * w for w in widths])
    previous: Optional[list[str]] = None
    for row in cells:
        shown = row
        if repeat_first and previous is not None and previous[:repeat_first] == row[:repeat_first]:
            shown = [""] * repeat_first + row[repeat_first:]
        out += lines(shown)
        previous = row
    if legend:
        out += [""] + wrap_cell(legend, width or len(legend))
    return "\n".join(out)


def _grouped(headers: Sequence[str], cells: list[list[str]], width: int, n: int) -> str:
    """A `repeat_first` table too wide for `width`: each group's first `n` cells on a line of their own
    ("Account: web-prod  OU: Workloads/Prod"), its rows below, indented, with the other columns."""
    out: list[str] = []
    group: Optional[list[str]] = None
    rows: list[list[str]] = []

    def flush() -> None:
        if group is not None:
            out.extend(wrap_cell("  ".join(f"{h}: {v}" for h, v in zip(headers, group)), width))
            table = text_table(headers[n:], rows, width=width - len(GAP))
            out.extend((GAP + line).rstrip() for line in table.splitlines())

    for row in cells:
        if row[:n] != group:
            flush()
            group, rows = row[:n], []
        rows.append(row[n:])
    flush()
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
