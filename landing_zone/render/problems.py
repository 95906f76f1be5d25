"""Validation problems for people (text, markdown) and machines (json)."""

from __future__ import annotations

import sys
from typing import IO, Optional, Sequence

from ..config.problems import Problem, sort_problems
from .output import dumps_json
from .tables import markdown_table
from .terminal import paint


def render_problems(problems: Sequence[Problem], fmt: str = "text", stream: Optional[IO] = None) -> str:
    ordered = sort_problems(list(problems))
    errors = sum(1 for p in ordered if p.severity == "error")
    tally = f"{errors} error(s), {len(ordered) - errors} warning(s)"
    if fmt == "json":
        return dumps_json({"valid": errors == 0, "problems": [p.as_dict() for p in ordered]})
    if fmt == "markdown":
        rows = [(p.severity, str(p.location), p.path, p.message) for p in ordered]
        return markdown_table(("severity", "where", "path", "problem"), rows) + f"\n\n{tally}"
    lines = [paint(str(p), "red" if p.severity == "error" else "yellow", stream) for p in ordered]
    return "\n".join(lines + [tally])


def print_problems(problems: Sequence[Problem], fmt: str = "text", stream: Optional[IO] = None) -> None:
    """Text and markdown on `stream` (stderr); json on stdout, where a machine reads it."""
    if fmt == "json":
        print(render_problems(problems, fmt), file=sys.stdout)
        return
    stream = stream or sys.stderr
    print(render_problems(problems, fmt, stream), file=stream)
