"""A second signal that arrives after the command has decided to end on the first (Ctrl-C twice, when
terraform stopped at once) keeps the exit code 128+N, in a real process: found by the deploy-interrupt test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import os, signal, sys, time
from landing_zone.interrupts import Interrupted, install_top_level
install_top_level()
import landing_zone.cli.commands.validate as command
def run(args):
    raise Interrupted(signal.{first})
command.run = run
from landing_zone.cli.main import main
code = main(["validate", "environments/example.yaml"])
os.kill(os.getpid(), signal.SIGINT)  # the second signal, after main returned
signal.signal(signal.SIGINT, signal.SIG_DFL)  # as the interpreter's finalization does
os.kill(os.getpid(), signal.SIGINT)  # and one more during it
time.sleep(0.3)
sys.exit(code)
"""


@pytest.mark.parametrize(("first", "code"), [("SIGINT", 130), ("SIGTERM", 143)])
def test_a_signal_after_the_command_ended_on_one_keeps_the_exit_code(first, code):
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(first=first)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == code, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert f"interrupted ({first}); exit {code}" in proc.stderr
