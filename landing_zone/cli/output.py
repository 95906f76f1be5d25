"""Printing problems and tables for people (text) and machines (json)."""
from __future__ import annotations

import json
import sys
from typing import Iterable, Sequence

from ..config.problems import Problem, sort_problems


def print_problems(problems: Sequence[Problem], fmt: str = "text", stream=None) -> None:
    stream = stream or sys.stderr
    ordered = sort_problems(list(problems))
    if fmt == "json":
        json.dump({"valid": False, "problems": [p.as_dict() for p in ordered]}, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    for p in ordered:
        print(p, file=stream)
    errors = sum(1 for p in ordered if p.severity == "error")
    warnings = len(ordered) - errors
    print(f"{errors} error(s), {warnings} warning(s)", file=stream)


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A plain aligned text table."""
    rows = [[str(c) for c in r] for r in rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    return "\n".join(out)


def elide(items: Sequence[str], keep: int = 8) -> str:
    """`a, b, c, … (N more) …, z` for one-line summaries: the first `keep - 1` items and the last."""
    if len(items) <= keep:
        return ", ".join(items)
    return ", ".join(items[:keep - 1]) + f", … ({len(items) - keep} more) …, {items[-1]}"
