"""A process that synthesized ends without the interpreter's teardown (speed/fast_exit.py), but
its exit handlers run and nothing it printed is lost."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import atexit, sys
from pathlib import Path
atexit.register(lambda: Path(sys.argv[1]).write_text("handler ran"))
{load}
from landing_zone.speed.fast_exit import exit_after
sys.stdout.write("unflushed output")
sys.exit(exit_after(3) + 10)
"""


def run(tmp_path, load: str):
    marker = tmp_path / "marker"
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(load=load), str(marker)], capture_output=True, text=True, timeout=120
    )
    return proc, marker.read_text() if marker.exists() else None


def test_after_the_jsii_runtime_loaded_the_process_ends_at_once_with_its_handlers_run(tmp_path):
    proc, marker = run(tmp_path, "import jsii")
    assert proc.returncode == 3  # exit_now: the `+ 10` after it never ran
    assert proc.stdout == "unflushed output" and marker == "handler ran"


def test_without_the_runtime_it_returns_and_python_exits_as_usual(tmp_path):
    proc, marker = run(tmp_path, "")
    assert proc.returncode == 13
    assert proc.stdout == "unflushed output" and marker == "handler ran"
