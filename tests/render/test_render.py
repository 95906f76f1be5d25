"""The one renderer: format vocabulary, tables that fit the terminal, NO_COLOR, markdown."""

from __future__ import annotations

import argparse
import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from landing_zone.render import (
    Document,
    add_format_argument,
    colour_enabled,
    markdown_table,
    normalize_format,
    paint,
    render,
    text_table,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "environments" / "example.yaml")


@pytest.mark.parametrize(
    "given, wanted",
    [("text", "text"), ("table", "text"), ("TABLE", "text"), ("markdown", "markdown"), ("md", "markdown"), ("json", "json")],
)
def test_one_vocabulary_with_the_old_names_as_aliases(given, wanted):
    assert normalize_format(given) == wanted


def test_an_unknown_format_names_what_is_allowed(capsys):
    parser = argparse.ArgumentParser(prog="lz x")
    add_format_argument(parser)
    with pytest.raises(SystemExit):
        parser.parse_args(["--format", "yaml"])
    err = capsys.readouterr().err
    assert "unknown format 'yaml'" in err and "text, markdown, json" in err


@pytest.mark.parametrize(
    "command",
    [
        ["access", EXAMPLE],
        ["guardrails", EXAMPLE],
        ["guardrails", "--catalog"],
        ["network", EXAMPLE, "--diagram", "none"],
        ["validate", EXAMPLE],
        ["simulate", EXAMPLE, "--account", "web-prod", "--action", "s3:GetObject"],
        ["guardrails", EXAMPLE, "--cis"],
    ],
)
def test_every_report_command_speaks_the_same_three_formats(command, capsys):
    from landing_zone.cli.main import main

    outputs = {}
    for fmt in ("text", "markdown", "json", "table"):
        main(command + ["--format", fmt])
        outputs[fmt] = capsys.readouterr().out
    assert outputs["table"] == outputs["text"]
    import json

    json.loads(outputs["json"])
    assert outputs["markdown"] != outputs["text"] or "|" not in outputs["text"]


def test_a_text_table_fits_the_width_by_wrapping_its_widest_column():
    rows = [("a", "x" * 80, "ok"), ("bb", "short words wrap at their spaces", "no")]
    wide = text_table(("name", "detail", "fits"), rows)
    assert max(len(line) for line in wide.splitlines()) > 40
    narrow = text_table(("name", "detail", "fits"), rows, width=40).splitlines()
    assert max(len(line) for line in narrow) <= 40
    assert "…" not in "".join(narrow)
    assert "".join(line[6:34].strip() for line in narrow[2:5]) == "x" * 80  # nothing cut: wrapped onto more lines
    assert [line.split() for line in narrow[5:]] == [["bb", "short", "words", "wrap", "at", "their", "no"], ["spaces"]]


def test_a_table_that_fits_is_unchanged_by_the_width():
    rows = [("a", "one two"), ("b", "three")]
    assert text_table(("k", "v"), rows, width=80) == text_table(("k", "v"), rows)


def test_long_headers_give_way_to_short_ones_with_a_legend_when_they_do_not_fit():
    headers, short = ["control", "payments-prod", "web-prod"], ["control", "1", "2"]
    rows = [("AWS-GR_REGION_DENY", "R", "O")]
    assert text_table(headers, rows, width=60, short_headers=short).splitlines()[0].split() == headers
    narrow = text_table(headers, rows, width=30, short_headers=short, legend_title="Accounts").splitlines()
    assert narrow[0].split() == short and " ".join(narrow[-2:]) == "Accounts: 1 payments-prod, 2 web-prod"
    assert max(len(line) for line in narrow) <= 30


def test_a_grouped_table_too_wide_puts_each_group_on_a_line_of_its_own():
    rows = [("web-prod", "Workloads/Prod", "Developers", "PowerUser"), ("web-prod", "Workloads/Prod", "Auditors", "ReadOnly")]
    out = text_table(("Account", "OU", "Group", "Permission set"), rows, width=40, repeat_first=2).splitlines()
    assert out[0] == "Account: web-prod  OU: Workloads/Prod"
    assert [line.split() for line in out[1:]] == [["Group", "Permission", "set"], ["-" * 10, "-" * 14]] + [
        ["Developers", "PowerUser"],
        ["Auditors", "ReadOnly"],
    ]


def test_text_output_is_as_wide_as_columns_says_else_100_into_a_pipe(monkeypatch):
    from landing_zone.render import terminal_width

    monkeypatch.delenv("COLUMNS", raising=False)
    assert terminal_width(io.StringIO()) == 100
    monkeypatch.setenv("COLUMNS", "72")
    assert terminal_width(io.StringIO()) == 72


def test_repeated_leading_cells_print_once_per_group():
    out = text_table(("account", "group"), [("a", "g1"), ("a", "g2"), ("b", "g1")], repeat_first=1).splitlines()
    assert [line.split() for line in out[2:]] == [["a", "g1"], ["g2"], ["b", "g1"]]


def test_markdown_cells_are_escaped():
    assert markdown_table(("a",), [("x|y\nz",)]).splitlines()[2] == "| x\\|y<br>z |"


def test_document_renders_as_text_markdown_and_json():
    doc = Document().heading("Title:").table(("k", "v"), [("a", 1)]).bullets(["one", "two"])
    assert render(doc, "text") == "Title:\nk  v\n-  -\na  1\n\none\ntwo"
    assert render(doc, "markdown") == "### Title\n\n| k | v |\n|---|---|\n| a | 1 |\n\n- one\n- two"
    assert '"k": "a"' in render(doc, "json")


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert colour_enabled(_Tty()) and paint("x", "red", _Tty()) == "\x1b[31mx\x1b[0m"
    assert not colour_enabled(io.StringIO()) and paint("x", "red", io.StringIO()) == "x"
    monkeypatch.setenv("NO_COLOR", "")
    assert not colour_enabled(_Tty())


def test_on_a_real_terminal_the_matrix_fits_its_columns():
    """`lz guardrails --catalog` under a pseudo-terminal 100 columns wide: no line is wider."""
    primary, secondary = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "landing_zone.cli.main", "guardrails", "--catalog"],
        stdout=secondary,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(primary, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(primary)
    lines = b"".join(chunks).decode().splitlines()
    assert len(lines) > 60 and max(len(line) for line in lines) <= 100
