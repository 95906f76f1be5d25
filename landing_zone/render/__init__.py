"""One renderer for every report: text tables that fit the terminal, markdown, JSON.

A command builds a `Document` (headings, paragraphs, tables) from library rows
and hands it to `emit` with the format the user chose; JSON output is the
command's own data, dumped the same way everywhere. One `--format`
vocabulary for every command (`add_format_argument`): text, markdown, json,
with the older names (`table`, `md`) accepted as aliases.

No table library: the text and markdown tables here are a few dozen lines,
byte-stable under test, and cost nothing at import, which matters for
`lz validate` at 1,000 accounts (rich alone imports in about as long as
validating the example). Pure Python.
"""

from .document import Document, Heading, Paragraph, Table
from .formats import ALIASES, FORMATS, add_format_argument, normalize_format
from .output import dumps_json, emit, render
from .problems import print_problems, render_problems
from .tables import elide, markdown_cell, markdown_table, text_table
from .terminal import colour_enabled, paint, terminal_width

__all__ = [
    "ALIASES",
    "Document",
    "FORMATS",
    "Heading",
    "Paragraph",
    "Table",
    "add_format_argument",
    "colour_enabled",
    "dumps_json",
    "elide",
    "emit",
    "markdown_cell",
    "markdown_table",
    "normalize_format",
    "paint",
    "print_problems",
    "render",
    "render_problems",
    "terminal_width",
    "text_table",
]
