"""Issue 23 B.4: every report fits the width it is given (COLUMNS), and nothing is lost on the way.

Each command runs at COLUMNS=80 and 120: no line is wider, the command printed
its document as rendered at that width, and every table of that document,
parsed back column by column, holds every character of every cell (cells
wrap; long headers give way to numbers with a legend).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from landing_zone.cli.main import main
from landing_zone.render.document import Table
from landing_zone.render.tables import text_table

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "environments" / "example.yaml")


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _columns(lines: list[str]) -> tuple[list[str], list[str]]:
    """A plain table's header and body, column by column, whitespace removed (spans from its dash line)."""
    dash = next(i for i, line in enumerate(lines) if line and set(line) <= {"-", " "})
    spans, start = [], 0
    for run in lines[dash].split("  "):
        spans.append((start, start + len(run)))
        start += len(run) + 2
    header = ["".join(_squeeze(line[a:b]) for line in lines[:dash]) for a, b in spans]
    body = ["".join(_squeeze(line[a:b]) for line in lines[dash + 1 :]) for a, b in spans]
    return header, body


def _expected(headers, rows, repeat_first: int = 0) -> tuple[list[str], list[str]]:
    body = []
    for i in range(len(headers)):
        cells, previous = [], None
        for row in rows:
            shown = "" if i < repeat_first and previous is not None and previous[:repeat_first] == row[:repeat_first] else row[i]
            cells.append(_squeeze(str(shown)))
            previous = row
        body.append("".join(cells))
    return [_squeeze(h) for h in headers], body


def assert_whole(table: Table, width: int) -> str:
    """`table` rendered at `width`: every line fits, every cell is all there; returns the text."""
    text = text_table(
        table.headers,
        table.rows,
        width=width,
        repeat_first=table.repeat_first,
        short_headers=table.short_headers,
        legend_title=table.legend_title,
    )
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    rows = [[str(c) for c in row] for row in table.rows]
    if table.repeat_first and lines[0].startswith(f"{table.headers[0]}: "):
        # grouped: "Header: value  Header: value" lines, each followed by its own table of the other columns
        n = table.repeat_first
        groups: list[tuple[list[str], list[list[str]]]] = []
        for row in rows:
            if not groups or groups[-1][0] != row[:n]:
                groups.append((row[:n], []))
            groups[-1][1].append(row[n:])
        starts = [i for i, line in enumerate(lines) if not line.startswith("  ")]
        assert len(starts) == len(groups)
        for (key, group_rows), begin, end in zip(groups, starts, starts[1:] + [len(lines)]):
            assert _squeeze(" ".join(lines[begin : begin + 1])) == _squeeze(
                "  ".join(f"{h}: {v}" for h, v in zip(table.headers, key))
            )
            block = [line[2:] for line in lines[begin + 1 : end]]
            assert _columns(block) == _expected(table.headers[n:], group_rows)
        return text
    legend = ""
    if table.short_headers is not None and lines[-1] and "" in lines:
        blank = len(lines) - 1 - lines[::-1].index("")
        legend, lines = " ".join(lines[blank + 1 :]), lines[:blank]
    header, body = _columns(lines)
    want_header, want_body = _expected(table.headers, rows, table.repeat_first)
    assert body == want_body
    if legend:
        short = _expected(table.short_headers, rows)[0]
        assert header == short
        for number, name in zip(table.short_headers, table.headers):
            if number != name:
                assert f"{number} {name}" in legend
    else:
        assert header == want_header
    return text


def _documents(command: list[str]):
    """The documents the command renders (built by the same library calls)."""
    from landing_zone.environment import load_environment

    if command[:2] == ["guardrails", "--catalog"]:
        from landing_zone.guardrails.report import catalog_report

        return catalog_report()[0]
    loaded = load_environment(EXAMPLE)
    if "--cis" in command:
        from landing_zone.compliance import coverage
        from landing_zone.compliance.report import coverage_document

        return coverage_document(coverage(loaded.facts))
    if command[0] == "guardrails":
        from landing_zone.guardrails.report import matrix_report

        ou = command[command.index("--ou") + 1] if "--ou" in command else None
        return matrix_report(loaded.facts.guardrail_plan, EXAMPLE, None, ou)[0]
    from landing_zone.identity.access import access_document, access_rows, management_statement

    plan = loaded.facts.identity_plan
    return access_document(
        access_rows(loaded.env, plan),
        f"Identity Center access in {loaded.name}: all accounts",
        management_statement(loaded.env, plan),
    )


COMMANDS = [
    ["guardrails", EXAMPLE, "--cis"],
    ["guardrails", "--catalog"],
    ["guardrails", EXAMPLE],
    ["access", EXAMPLE],
]


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("command", COMMANDS, ids=["cis", "catalog", "matrix", "access"])
def test_every_line_fits_and_every_cell_is_all_there(command, width, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(width))
    assert main(command) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= width
    document = _documents(command)
    assert out == document.to_text(width) + "\n"
    tables = [block for block in document.blocks if isinstance(block, Table)]
    assert tables
    for table in tables:
        assert assert_whole(table, width) in out


def test_the_issue_s_widest_outputs_were_wider_than_a_terminal():
    """Without a width the same tables are as wide as the issue measured: the check above is not idle."""
    widest = {}
    for command in COMMANDS:
        document = _documents(command)
        widest[command[0] + command[-1]] = max(len(line) for line in document.to_text(None).splitlines())
    assert widest["guardrails--cis"] > 500 and widest["guardrails--catalog"] > 200
    assert widest["guardrails" + EXAMPLE] > 130 and widest["access" + EXAMPLE] > 130


def test_account_names_head_the_matrix_where_they_fit(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    assert main(["guardrails", EXAMPLE, "--ou", "Workloads"]) == 0
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.startswith("control "))
    assert header.split() == ["control", "P/D", "payments-prod", "payments-nonprod", "web-prod", "web-nonprod"]
    assert "Accounts: 1" not in out
    monkeypatch.setenv("COLUMNS", "80")  # they do not fit: numbers, and the legend names them
    assert main(["guardrails", EXAMPLE, "--ou", "Workloads"]) == 0
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.startswith("control "))
    assert header.split() == ["control", "P/D", "1", "2", "3", "4"]
    assert "Accounts: 1 payments-prod, 2 payments-nonprod, 3 web-prod, 4 web-nonprod" in out
    assert all(len(line) <= 80 for line in out.splitlines())
