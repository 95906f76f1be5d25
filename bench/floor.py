"""The floor: import cdktf and every prebuilt AWS provider module the landing zone's synth imports, nothing else.

Run as a fresh process (`python bench/floor.py`); the module list is read
from the package's source so it follows the code. `--list` prints it.
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
    for name in modules:
        importlib.import_module(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
