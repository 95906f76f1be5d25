"""Issue 23 B.2: no Node.js banner on the synth and deploy paths (and the token-trace preload on each).

jsii prints its "Node NN is end-of-life" banner (as Python bytes, b'!!...')
when its node process starts, unless JSII_SILENCE_WARNING_* are set by then.
Every path that loads cdktf must call `node_runtime.prepare_node_runtime()`
before the import. Checked in a fresh interpreter without those variables:
an import hook records them when `jsii` is first imported and stops the
import there, so no path loads cdktf (fast, no node).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from landing_zone.speed import token_traces

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import argparse, json, os, sys, time
from pathlib import Path

VARS = ("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION")
seen = {}

class Stop(Exception):
    pass

class Hook:
    def find_spec(self, name, path=None, target=None):
        if name == "jsii":
            seen["at_import"] = {v: os.environ.get(v) for v in VARS + ("NODE_OPTIONS",)}
            raise Stop()
        return None

sys.meta_path.insert(0, Hook())
from landing_zone.environment import load_environment

EXAMPLE = "environments/example.yaml"
loaded = load_environment(EXAMPLE)

def lz_synth():  # jsii is imported by the background load (app/binding_preload.py): joined, not abandoned, here
    from landing_zone.app import binding_preload
    from landing_zone.cli.commands import synth
    binding_preload.Preload.abandon = lambda self: self._thread.join()
    synth.run(argparse.Namespace(env_file=EXAMPLE, out="/nonexistent/out", allow_destroy=False, wait=False, full=False, jobs=1))

def deploy_local():
    from landing_zone.deploy.orchestrator import synthesize_local
    synthesize_local(loaded, Path("/nonexistent/out"), "http://127.0.0.1:4566", Path("/nonexistent/state"))

def deploy_aws():
    from landing_zone.deploy.orchestrator import Deploy, DeployOptions
    Deploy(DeployOptions(env_file=EXAMPLE))._synthesize(loaded)

def affected():
    from landing_zone.cli.commands.affected import _synthesized
    _synthesized(EXAMPLE, Path("/nonexistent/out"))

def main_py():
    sys.path.insert(0, ".")
    import main
    main.main()

results = {}
for name, path in [("lz synth", lz_synth), ("lz deploy --local", deploy_local), ("lz deploy", deploy_aws),
                   ("lz affected", affected), ("main.py", main_py)]:
    for v in VARS + ("NODE_OPTIONS",):
        os.environ.pop(v, None)
    seen.clear()
    try:
        path()
    except Stop:
        pass
    except BaseException as exc:
        if "at_import" not in seen:
            seen["error"] = repr(exc)
    results[name] = seen.get("at_import") or seen.get("error") or "jsii never imported"
print(json.dumps(results))
"""


def test_every_path_that_loads_cdktf_silences_jsii_first():
    env = {k: v for k, v in os.environ.items() if not k.startswith("JSII_SILENCE_WARNING") and k != "NODE_OPTIONS"}
    env["LZ_SPEED_OFF"] = "optimized_python"  # main.py would run itself again under -O
    proc = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout.strip().splitlines()[-1])
    assert set(results) == {"lz synth", "lz deploy --local", "lz deploy", "lz affected", "main.py"}
    for path, at_import in results.items():
        assert isinstance(at_import, dict), (path, at_import)
        assert at_import["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"], path
        assert at_import["JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION"], path
        assert str(token_traces.PRELOAD) in (at_import["NODE_OPTIONS"] or ""), path  # speed/token_traces.py
    assert "!!" not in proc.stderr and "b'" not in proc.stderr
