"""Rendering a report in the chosen format and writing it."""

from __future__ import annotations

import json
import sys
from typing import IO, Any, Optional

from .document import Document
from .terminal import terminal_width


def dumps_json(data: Any) -> str:
    """Every command's JSON: two-space indent, keys in the order the command built them."""
    return json.dumps(data, indent=2, default=str)


def render(document: Document, fmt: str, *, data: Any = None, width: Optional[int] = None) -> str:
    """`document` as text (fitted to `width`) or markdown; `data` as JSON (the document when no data is given)."""
    if fmt == "json":
        return dumps_json(data if data is not None else _document_data(document))
    if fmt == "markdown":
        return document.to_markdown()
    return document.to_text(width)


def emit(document: Document, fmt: str, *, data: Any = None, stream: Optional[IO] = None) -> None:
    """Print `document` (or `data` for json) to `stream` (stdout), text fitted to its terminal."""
    stream = sys.stdout if stream is None else stream
    print(render(document, fmt, data=data, width=terminal_width(stream)), file=stream)


def _document_data(document: Document) -> list[dict]:
    from .document import Bullets, Heading, Paragraph, Table

    out: list[dict] = []
    for block in document.blocks:
        if isinstance(block, Table):
            out.append({"table": [dict(zip(block.headers, (str(c) for c in row))) for row in block.rows]})
        elif isinstance(block, Heading):
            out.append({"heading": block.text})
        elif isinstance(block, Bullets):
            out.append({"items": list(block.items)})
        elif isinstance(block, Paragraph):
            out.append({"text": block.text})
    return out
