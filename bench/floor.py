"""The floor: import cdktf and every prebuilt AWS provider module the landing zone's synth imports, nothing else.

As `lz synth` imports them: the binding's package without its other submodules (speed/binding_subset.py);
`LZ_SPEED_OFF=binding_subset` measures the package imported whole (make bench's `floor_whole`).

Run as a fresh process (`python -O bench/floor.py`, as `lz synth` runs); the
module list is read from the package's source so it follows the code.
`--list` prints it. It ends the way `lz synth` ends (landing_zone/speed/fast_exit.py).
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "landing_zone"
IMPORT = re.compile(r"^\s*(?:from\s+(cdktf_cdktf_provider_aws[\w.]*)\s+import|import\s+(cdktf_cdktf_provider_aws[\w.]*))", re.M)


def provider_modules(package: Path = PACKAGE) -> list[str]:
    found = set()
    for source in package.rglob("*.py"):
        for match in IMPORT.finditer(source.read_text(encoding="utf-8")):
            found.add(match.group(1) or match.group(2))
    return sorted(found)


def main() -> int:
    modules = ["cdktf", "constructs", *provider_modules()]
    if "--list" in sys.argv:
        print("\n".join(modules))
        return 0
    from landing_zone.node_runtime import prepare_node_runtime

    prepare_node_runtime()  # as `lz synth` prepares: the binding without its other submodules (speed/binding_subset.py)
    for name in modules:
        importlib.import_module(name)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(PACKAGE.parent))
    from landing_zone.speed.fast_exit import exit_after

    # Ends as `lz synth` does: without the interpreter's teardown of the binding (3-4 s).
    sys.exit(exit_after(main()))
