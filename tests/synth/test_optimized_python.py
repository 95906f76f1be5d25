"""`lz synth`, `lz deploy` and main.py run again under `python -O` when its bytecode is there
(speed/optimized_python.py). That the output is the same is checked where both kinds of synth meet:
the e2e tier's one-more-account check compares `lz deploy`'s stacks (-O) with an in-process synth
(checks on) byte for byte, and the cdktf CLI parity test runs main.py (-O) against the session's synth."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from landing_zone.cli import entry
from landing_zone.cli import main as cli_main
from landing_zone.speed import optimized_python as opt


class Exec(Exception):
    pass


@pytest.fixture
def execv(monkeypatch):
    calls = []

    def fake(path, argv):
        calls.append(argv)
        raise Exec

    monkeypatch.setattr(opt.os, "execv", fake)
    return calls


def test_the_same_command_runs_again_under_O_when_the_bytecode_is_ready(monkeypatch):
    monkeypatch.setattr(opt, "optimized_bytecode_ready", lambda: True)
    monkeypatch.setattr(opt.sys, "orig_argv", ["/venv/bin/python", "-X", "utf8", "/venv/bin/lz", "synth", "env.yaml"])
    assert opt.optimized_argv({}) == [sys.executable, "-O", "-X", "utf8", "/venv/bin/lz", "synth", "env.yaml"]


def test_checks_stay_on_when_asked_or_when_O_would_compile_every_run(monkeypatch):
    monkeypatch.setattr(opt, "optimized_bytecode_ready", lambda: True)
    assert opt.optimized_argv({opt.CHECKS_VAR: "1"}) is None
    monkeypatch.setattr(opt, "optimized_bytecode_ready", lambda: False)
    assert opt.optimized_argv({}) is None


def test_bytecode_is_ready_when_written_or_writable(monkeypatch, tmp_path):
    source = tmp_path / "vpc" / "__init__.py"
    source.parent.mkdir()
    source.write_text("x = 1\n")
    monkeypatch.setattr(opt, "_sentinel_source", lambda: source)
    monkeypatch.setattr(opt.sys, "dont_write_bytecode", True)
    assert not opt.optimized_bytecode_ready()  # -O would compile the binding on every run
    monkeypatch.setattr(opt.sys, "dont_write_bytecode", False)
    assert opt.optimized_bytecode_ready()  # the first -O run writes it
    monkeypatch.setattr(opt.sys, "dont_write_bytecode", True)
    cache = importlib.util.cache_from_source(str(source), optimization=1)
    subprocess.run(
        [sys.executable, "-O", "-c", f"import py_compile; py_compile.compile({str(source)!r}, optimize=1)"], check=True
    )
    assert opt.optimized_bytecode_ready() and __import__("os").path.isfile(cache)
    monkeypatch.setattr(opt, "_sentinel_source", lambda: None)  # no binding installed
    assert not opt.optimized_bytecode_ready()


def test_the_sentinel_is_a_module_of_the_installed_binding():
    source = opt._sentinel_source()
    assert source is not None and source.is_file(), source


@pytest.mark.parametrize("command", ["synth", "deploy"])
def test_lz_reruns_the_synthesizing_commands(monkeypatch, execv, command):
    monkeypatch.setattr(opt, "optimized_bytecode_ready", lambda: True)
    monkeypatch.setattr(sys, "argv", ["lz", command, "env.yaml"])
    monkeypatch.delenv(opt.CHECKS_VAR, raising=False)
    with pytest.raises(Exec):
        entry.run()
    assert execv[0][1] == "-O"


def test_lz_runs_the_other_commands_as_they_are(monkeypatch, execv):
    monkeypatch.setattr(opt, "optimized_bytecode_ready", lambda: True)
    monkeypatch.setattr(sys, "argv", ["lz", "validate", "env.yaml"])
    monkeypatch.setattr(cli_main, "main", lambda argv=None: 0)
    monkeypatch.setattr(entry, "exit_after", lambda code: code)  # the session has loaded cdktf
    assert entry.run() == 0 and execv == []


def test_the_synthesizing_commands_are_the_ones_that_load_cdktf():
    names = {m.NAME for m in cli_main._command_modules()}
    assert opt.SYNTHESIZING_COMMANDS <= names
    loading = {
        m.NAME
        for m in cli_main._command_modules()
        # lz plan and lz drift synthesize through the deploy command's run_deploy
        if any(
            text in Path(m.__file__).read_text(encoding="utf-8")
            for text in ("from ...app import", "from ...deploy import", "from .deploy import")
        )
    }
    assert loading == opt.SYNTHESIZING_COMMANDS


def test_lz_decides_before_importing_the_command_line():
    """The rerun happens before the command line's own imports (config models: ~0.5 s)."""
    code = "import sys, landing_zone.cli.entry; print('landing_zone.config' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_the_progress_says_whether_the_types_are_checked():
    code = "from landing_zone.speed.optimized_python import type_checks_note as n; print(n())"
    on = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    off = subprocess.run([sys.executable, "-O", "-c", code], capture_output=True, text=True, check=True).stdout
    assert on.strip() == "type checks on"
    assert "python -O" in off and opt.CHECKS_VAR in off
