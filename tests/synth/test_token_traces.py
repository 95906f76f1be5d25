"""speed/token_traces: the jsii node runtime formats no stack trace for cdktf's tokens, and keeps Error stacks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from landing_zone.speed import token_traces

ROOT = Path(__file__).resolve().parents[2]
OPTION = f'--require "{token_traces.PRELOAD}"'

# What cdktf's captureStackTrace does (lib/tokens/private/stack-trace.js), and an Error's stack beside it.
PROBE = r"""
function capture(below) {
  const object = { stack: "" };
  const previous = Error.stackTraceLimit;
  try { Error.stackTraceLimit = Number.MAX_SAFE_INTEGER; Error.captureStackTrace(object, below || capture); }
  finally { Error.stackTraceLimit = previous; }
  return object.stack ? object.stack.split("\n").slice(1) : [];
}
function deep(n) { return n ? deep(n - 1) : { token: capture(), error: new Error("boom").stack }; }
console.log(JSON.stringify(deep(5)));
"""


def test_apply_adds_the_preload_once_and_keeps_other_options():
    environ = {"NODE_OPTIONS": "--max-old-space-size=2048"}
    token_traces.apply(environ)
    token_traces.apply(environ)
    assert environ["NODE_OPTIONS"] == f"--max-old-space-size=2048 {OPTION}"


def test_switched_off_it_is_taken_out_again():
    """A worker or a subprocess inherits NODE_OPTIONS: switching the trick off must remove what a parent set."""
    environ = {"NODE_OPTIONS": f"--trace-warnings {OPTION}", "LZ_SPEED_OFF": "token_traces"}
    token_traces.apply(environ)
    assert environ["NODE_OPTIONS"] == "--trace-warnings"
    alone = {"NODE_OPTIONS": OPTION, "LZ_SPEED_OFF": "all"}
    token_traces.apply(alone)
    assert "NODE_OPTIONS" not in alone


def test_the_preload_is_package_data():
    assert token_traces.PRELOAD.is_file()
    assert '"speed/*.js"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def _probe(node_options: str | None) -> dict:
    import json

    env = {k: v for k, v in os.environ.items() if k != "NODE_OPTIONS"}
    if node_options:
        env["NODE_OPTIONS"] = node_options
    run = subprocess.run(["node", "-e", PROBE], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.mark.skipif(shutil.which("node") is None, reason="no node on PATH (cdktf needs it: the synth tests fail too)")
def test_plain_object_traces_are_empty_and_error_stacks_stay():
    """What cdktf captures into a plain object is empty; an Error's stack is V8's own, frame for frame."""
    without, preloaded = _probe(None), _probe(OPTION)
    assert len(without["token"]) >= 6  # deep(5) and the script: what cdktf records without the preload
    assert preloaded["token"] == []
    assert preloaded["error"].startswith("Error: boom\n    at deep (")
    assert preloaded["error"] == without["error"]


def test_the_jsii_runtime_gets_it():
    """A cdktf token made in a process that prepared the runtime has no creation stack (it has one without)."""
    script = (
        "from landing_zone.node_runtime import prepare_node_runtime\n"
        "prepare_node_runtime()\n"
        "from cdktf import Lazy, IAnyProducer\n"
        "import jsii\n"
        "@jsii.implements(IAnyProducer)\n"
        "class P:\n"
        "    def produce(self, context):\n"
        "        return 1\n"
        "print(len(Lazy.any_value(P()).creation_stack))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("NODE_OPTIONS", "LZ_SPEED_OFF")}
    counts = []
    for off in ("", "token_traces"):
        run = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**env, "LZ_SPEED_OFF": off},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stderr[-2000:]
        counts.append(int(run.stdout.split()[-1]))
    assert counts[0] == 0 and counts[1] > 0
