"""Writing a review as markdown (a PR comment), text (a CI log) or JSON.

Markdown is cut to fit a GitHub comment (65,536 characters; we keep 65,000):
resource diffs go first, from the end, then table rows, each cut with a
notice saying what was left out. Templates live in review/templates/.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Callable

MAX_COMMENT = 65_000
CELL = 240  # characters of one table cell before it is shortened


@lru_cache(maxsize=1)
def environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("landing_zone.review", "templates"),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["cell"] = markdown_cell
    env.filters["code"] = inline_code
    env.filters["html"] = html_text
    env.filters["table"] = text_table
    env.filters["num"] = lambda n: f"{n:,}"
    env.filters["pick"] = pick
    return env


def markdown_cell(value: Any, limit: int = CELL) -> str:
    """A value safe inside a markdown table cell: one line, pipes escaped, shortened."""
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def inline_code(value: Any) -> str:
    text = "" if value is None else str(value)
    if not text:
        return ""
    fence = "``" if "`" in text else "`"
    return f"{fence}{text.replace('|', '&#124;')}{fence}"


def html_text(value: Any) -> str:
    return ("" if value is None else str(value)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def pick(items, *attributes: str) -> list[list[Any]]:
    """Rows of attribute values (dotted paths into dicts and objects) for `table`."""

    def get(item, path):
        for part in path.split("."):
            item = item.get(part) if isinstance(item, dict) else getattr(item, part, None)
        if isinstance(item, (list, tuple)):
            return ", ".join(map(str, item))
        return item

    return [[get(item, a) for a in attributes] for item in items]


def text_table(rows: list[list[Any]], headers: list[str]) -> str:
    from ..render import text_table as table

    return table(headers, [[("" if c is None else str(c)) for c in row] for row in rows])


def _context(review, details_shown: int, rows_shown: int) -> dict:
    details = review.details[:details_shown]
    return {
        "r": review,
        "details": details,
        "details_omitted": len(review.details) - len(details),
        "rows": rows_shown,
        "limit": MAX_COMMENT,
    }


def _largest_fitting(render: Callable[[int], str], high: int, limit: int) -> tuple[int, str]:
    """The largest n in [0, high] whose rendering fits `limit` (renderings grow with n)."""
    text = render(high)
    if len(text) <= limit:
        return high, text
    low, best = 0, None
    while low < high:
        mid = (low + high) // 2
        candidate = render(mid)
        if len(candidate) <= limit:
            low, best = mid + 1, (mid, candidate)
        else:
            high = mid
    return best if best else (0, render(0))


def render_markdown(review, limit: int = MAX_COMMENT) -> str:
    template = environment().get_template("review.md.j2")
    most_rows = max(
        [
            len(review.accounts),
            len(review.events),
            len(review.guardrails),
            len(review.access),
            len(review.permission_sets),
            len(review.network),
            len(review.dangers),
            1,
        ]
    )

    def with_details(n: int) -> str:
        return template.render(**_context(review, n, most_rows))

    shown, text = _largest_fitting(with_details, len(review.details), limit)
    if len(text) <= limit:
        return text

    def with_rows(n: int) -> str:
        return template.render(**_context(review, 0, n))

    _, text = _largest_fitting(with_rows, most_rows, limit)
    if len(text) <= limit:
        return text
    notice = "\n\n… cut to fit a pull-request comment; run `lz plan-review --format text` for everything.\n"
    return text[: limit - len(notice)].rsplit("\n", 1)[0] + notice


def render_text(review) -> str:
    template = environment().get_template("review.txt.j2")
    return template.render(**_context(review, len(review.details), 10**9))


def render_json(review) -> str:
    return json.dumps(review.to_json(), indent=2) + "\n"


def render(review, fmt: str) -> str:
    return {"markdown": render_markdown, "text": render_text, "json": render_json}[fmt](review)


def render_diff(diff, fmt: str, limit: int = MAX_COMMENT) -> str:
    """An `env_diff.EnvDiff` as markdown (cut to `limit`), text or JSON."""
    if fmt == "json":
        return json.dumps(diff.to_json(), indent=2) + "\n"
    template = environment().get_template("diff.md.j2" if fmt == "markdown" else "diff.txt.j2")
    most = max(
        len(diff.accounts) + len(diff.ous) + len(diff.stacks),
        len(diff.guardrails),
        len(diff.access),
        len(diff.identity),
        len(diff.dangers),
        1,
    )

    def with_rows(n: int) -> str:
        return template.render(d=diff, summary=diff.summary_line(), rows=n, limit=limit)

    if fmt != "markdown":
        return with_rows(most)
    _, text = _largest_fitting(with_rows, most, limit)
    return text
