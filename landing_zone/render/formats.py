"""The one `--format` vocabulary of every report command."""

from __future__ import annotations

import argparse

FORMATS = ("text", "markdown", "json")
ALIASES = {"table": "text", "txt": "text", "md": "markdown"}
"""Older names some commands used (`--format table`), kept working."""


def normalize_format(value: str) -> str:
    """The canonical format of `value` (an alias maps to its format); argparse error otherwise."""
    name = ALIASES.get(value.strip().lower(), value.strip().lower())
    if name not in FORMATS:
        allowed = ", ".join(FORMATS) + " (aliases: " + ", ".join(f"{a}={f}" for a, f in ALIASES.items()) + ")"
        raise argparse.ArgumentTypeError(f"unknown format {value!r}; allowed: {allowed}")
    return name


def add_format_argument(parser: argparse.ArgumentParser, default: str = "text") -> None:
    """`--format text|markdown|json` (default `default`)."""
    parser.add_argument(
        "--format",
        type=normalize_format,
        default=default,
        metavar="{text,markdown,json}",
        help=f"output format: text, markdown or json (default {default}; 'table' = text)",
    )
