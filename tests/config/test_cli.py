"""`lz validate` and `lz schema` as a user runs them: exit codes, messages, never a traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from landing_zone.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "environments" / "example.yaml"
BAD = Path(__file__).parent / "fixtures" / "bad"


def test_valid_example_prints_a_summary(capsys):
    assert main(["validate", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "valid. Organization 'acme' with 8 OUs" in out and "10 member accounts" in out and "no warnings" in out


def test_invalid_file_exits_2_with_problems_on_stderr(capsys):
    assert main(["validate", str(BAD / "bad_email.yaml")]) == 2
    err = capsys.readouterr().err
    assert "bad_email.yaml:11:12: accounts[name=log-archive].email: 'ops@' is not a valid email address" in err
    assert "1 error(s), 0 warning(s)" in err


def test_json_format_for_machines(capsys):
    assert main(["validate", "--format", "json", str(BAD / "duplicate_ou.yaml"), str(EXAMPLE)]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False
    assert report["environments"][0]["accounts"] == 10
    [problem] = report["problems"]
    assert problem["line"] == 10 and problem["path"] == "organizational_units[path=sandbox].path"


def test_strict_turns_warnings_into_errors(capsys):
    assert main(["validate", str(BAD / "doc_domain_email.yaml")]) == 0
    assert main(["validate", "--strict", str(BAD / "doc_domain_email.yaml")]) == 2


@pytest.mark.parametrize(
    "target, message",
    [
        ("no/such/file.yaml", "no/such/file.yaml: file not found"),
        ("tests/config/fixtures", "tests/config/fixtures: is a directory, expected a YAML environment file"),
    ],
)
def test_missing_file_and_directory_without_traceback(target, message):
    run = subprocess.run(
        [sys.executable, "-m", "landing_zone.cli.main", "validate", target], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 2
    assert message in run.stderr and "Traceback" not in run.stderr


def test_no_traceback_for_any_bad_fixture():
    files = sorted(str(p.relative_to(ROOT)) for p in BAD.glob("*.yaml"))
    run = subprocess.run(
        [sys.executable, "-m", "landing_zone.cli.main", "validate", *files], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr
    reported = {line.split(":", 1)[0] for line in run.stderr.splitlines() if line.startswith("tests/")}
    # A problem in an account request file (<fixture>/accounts/*.yaml) belongs to its fixture.
    reported = {re.sub(r"/([^/]+)/accounts/[^/]+\.yaml$", r"/\1.yaml", f) for f in reported}
    assert reported == set(files)


def test_config_and_cli_never_import_cdktf():
    code = (
        "import sys, landing_zone.config, landing_zone.derived.org_tree\n"
        "from landing_zone.cli.main import build_parser, main\n"
        "build_parser(); main(['validate', 'environments/example.yaml'])\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('cdktf', 'constructs', 'jsii', 'cdktf_cdktf_provider_aws', 'checkov'))\n"
        "assert not bad, bad\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_committed_schema_is_current():
    from landing_zone.cli.commands.schema import render

    committed = (ROOT / "environments" / "schema.json").read_text()
    assert committed == render(), "environments/schema.json is stale: run `lz schema`"
    schema = json.loads(committed)
    assert schema["properties"]["accounts"]["description"] and "organization" in schema["required"]


def test_a_closed_pipe_is_not_a_traceback():
    # About 150 KB of JSON: more than a pipe holds, so the writer meets the closed pipe.
    run = subprocess.run(
        f"{sys.executable} -m landing_zone.cli.main guardrails environments/example.yaml --format json | head -1",
        shell=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.stdout.strip() and "Traceback" not in run.stderr and "BrokenPipe" not in run.stderr
