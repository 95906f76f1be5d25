"""A report as blocks (headings, paragraphs, tables) that renders as text or markdown."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Optional, Sequence, Union

from .tables import markdown_cell, markdown_table, text_table


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 3


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: Sequence[str]
    """Text: one line each; markdown: a list."""


@dataclass(frozen=True)
class Table:
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]
    repeat_first: int = 0
    """Text only: blank the first N cells when they repeat the row above."""
    short_headers: Optional[Sequence[str]] = None
    """Text only: headers to use, with a legend, when `headers` do not fit the width (see `text_table`)."""
    legend_title: str = "Columns"


Block = Union[Heading, Paragraph, Bullets, Table]


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)

    def heading(self, text: str, level: int = 3) -> "Document":
        self.blocks.append(Heading(text, level))
        return self

    def paragraph(self, text: str) -> "Document":
        self.blocks.append(Paragraph(text))
        return self

    def bullets(self, items: Sequence[str]) -> "Document":
        self.blocks.append(Bullets(list(items)))
        return self

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        repeat_first: int = 0,
        short_headers: Optional[Sequence[str]] = None,
        legend_title: str = "Columns",
    ) -> "Document":
        short = list(short_headers) if short_headers is not None else None
        self.blocks.append(Table(list(headers), [list(r) for r in rows], repeat_first, short, legend_title))
        return self

    def to_text(self, width: Optional[int] = None) -> str:
        parts = []
        for block in self.blocks:
            if isinstance(block, Table):
                parts.append(
                    text_table(
                        block.headers,
                        block.rows,
                        width=width,
                        repeat_first=block.repeat_first,
                        short_headers=block.short_headers,
                        legend_title=block.legend_title,
                    )
                )
            elif isinstance(block, Heading):
                parts.append(_wrap(block.text, width))
            elif isinstance(block, Bullets):
                parts.append("\n".join(_wrap(item, width) for item in block.items))
            else:
                parts.append(_wrap(block.text, width))
        return _join(parts, self.blocks)

    def to_markdown(self) -> str:
        parts = []
        for block in self.blocks:
            if isinstance(block, Table):
                parts.append(markdown_table(block.headers, block.rows))
            elif isinstance(block, Heading):
                parts.append("#" * block.level + " " + markdown_cell(block.text).rstrip(":"))
            elif isinstance(block, Bullets):
                parts.append("\n".join(f"- {item}" for item in block.items))
            else:
                parts.append(block.text)
        return "\n\n".join(parts)


def _wrap(text: str, width: Optional[int]) -> str:
    """Prose wrapped at `width` (None: as is), each line keeping its own indent."""
    if width is None:
        return text
    out = []
    for line in text.splitlines() or [""]:
        indent = line[: len(line) - len(line.lstrip())]
        out.append(
            textwrap.fill(line, width, subsequent_indent=indent + "  ", break_long_words=False, break_on_hyphens=False)
            if len(line) > width
            else line
        )
    return "\n".join(out)


def _join(parts: list[str], blocks: list[Block]) -> str:
    """Text: a heading sits directly above its table; other blocks are separated by a blank line."""
    out = ""
    for i, (text, _block) in enumerate(zip(parts, blocks)):
        if i:
            out += "\n" if isinstance(blocks[i - 1], Heading) else "\n\n"
        out += text
    return out
