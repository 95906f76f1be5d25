"""Every module of landing_zone imports on its own, first, in a fresh interpreter.

An import cycle shows only when the cycle's module is the first one imported,
so each module gets a process of its own: a forked child of one that loaded
every third-party module landing_zone names (cdktf and the AWS binding's
resource modules take seconds each) and nothing of landing_zone. Children end with os._exit, so the jsii runtime the
parent started is not stopped by a child's exit handlers.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = r"""
import json, os, sys, traceback
from pathlib import Path
import ast, importlib
root = Path(sys.argv[1])
# Every third-party module landing_zone names, loaded once here (the AWS binding's resource modules take
# seconds each): a child then spends its time on landing_zone's own code, which is what the check is about.
third_party = set()
for path in (root / "landing_zone").rglob("*.py"):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            third_party.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            third_party.add(node.module)
for name in sorted(third_party):
    if name.split(".")[0] != "landing_zone":
        try:
            importlib.import_module(name)
        except ImportError:
            pass  # optional (extras, a platform's module): the child's own import says what it needs
assert not any(m == "landing_zone" or m.startswith("landing_zone.") for m in sys.modules)
names = []
for path in sorted((root / "landing_zone").rglob("*.py")):
    parts = path.relative_to(root).with_suffix("").parts
    if "__pycache__" in parts or any(p.startswith(".") for p in parts):
        continue
    names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
failures = {}
for name in names:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            __import__(name)
            code = 0
        except BaseException:
            os.write(write, traceback.format_exc().encode()[-4000:])
            code = 1
        os._exit(code)
    os.close(write)
    message = b""
    while chunk := os.read(read, 65536):
        message += chunk
    os.close(read)
    _, status = os.waitpid(pid, 0)
    if status != 0:
        failures[name] = message.decode(errors="replace") or f"exit status {status}"
print(json.dumps({"modules": len(names), "failures": failures}), flush=True)
os._exit(0)
"""


def test_every_module_imports_alone_in_a_fresh_interpreter():
    run = subprocess.run(
        [sys.executable, "-c", PROBE, str(ROOT)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        env={
            "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "14,16,18,20",
            "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
        },
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["modules"] > 150
    assert result["failures"] == {}, "\n\n".join(f"{k}:\n{v}" for k, v in result["failures"].items())
