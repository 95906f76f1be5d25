"""The command registry: `lz <name>` imports only that command's module; every command is found by its file name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from landing_zone.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[2]


def subcommands(parser) -> list[str]:
    action = next(a for a in parser._actions if a.dest == "command")
    return list(action.choices)


def test_every_command_lives_in_the_file_its_name_gives():
    """`lz plan-review` is cli/commands/plan_review.py: the fast path finds a command without importing the rest."""
    modules = list(cli_main._command_modules())
    assert len(modules) >= 20
    for module in modules:
        assert Path(module.__file__).stem == module.NAME.replace("-", "_"), module.__file__
        assert callable(module.add_arguments) and callable(module.run) and module.HELP


def test_a_command_gets_a_parser_of_its_own_and_no_command_gets_every_one():
    every = subcommands(cli_main.build_parser())
    assert "validate" in every and "plan-review" in every
    for name in every:
        assert subcommands(cli_main.build_parser(name)) == [name]
    assert subcommands(cli_main.build_parser("no-such-command")) == every
    assert subcommands(cli_main.build_parser(None)) == every


def test_lz_validate_imports_no_other_command():
    code = (
        "import sys\n"
        "from landing_zone.cli.main import main\n"
        "assert main(['validate', 'environments/example.yaml']) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('landing_zone.cli.commands.')))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "['landing_zone.cli.commands.validate']"


@pytest.mark.parametrize(
    "argv,expected",
    [(["valdate", "x"], "invalid choice: 'valdate'"), (["--help"], "plan-review"), (["validate", "--help"], "--strict")],
)
def test_help_and_a_mistyped_command_still_list_what_there_is(argv, expected):
    run = subprocess.run(
        [sys.executable, "-m", "landing_zone.cli.main", *argv], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert expected in run.stdout + run.stderr and "Traceback" not in run.stderr


def test_the_readme_lists_every_command():
    """README.md stays the truth: its command table has a row for every `lz` command."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in subcommands(cli_main.build_parser()) if f"| `lz {name}" not in readme]
    assert not missing, f"README.md's command table lacks: {missing}"
