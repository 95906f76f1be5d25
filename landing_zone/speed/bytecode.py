"""`make setup`'s bytecode: the virtualenv compiled on every core, the AWS provider's binding also for -O.

pip compiles each module it installs one file at a time, and the provider's
binding alone has 2,137 modules (661 MB of source); the binding's package
imports every one of them, so any synth or test that touches it loads them
all. `make setup` installs with `pip --no-compile` and runs this, which
compiles the whole virtualenv on all cores, plain (tests and most commands)
and the binding also under -O (`lz synth` and `lz deploy` run under
`python -O`: landing_zone/speed/optimized_python.py), and the package
plain. Where PYTHONDONTWRITEBYTECODE is set, as on this project's machines,
Python never writes bytecode at run time: a module compiled here is one that
no command compiles again.

Pure Python (no cdktf): `python -m landing_zone.speed.bytecode`.
"""

from __future__ import annotations

import compileall
import sys
import sysconfig
from pathlib import Path

from .optimized_python import BINDING

PACKAGE = Path(__file__).resolve().parents[1]


def compile_environment(site: Path, package: Path = PACKAGE, workers: int = 0) -> bool:
    """Compile `site` (plain), its binding also under -O, and `package` (plain), on `workers` processes
    (0: one per core). False when a file did not compile (compileall printed which)."""
    ok = bool(compileall.compile_dir(site, quiet=1, workers=workers))
    if (site / BINDING).is_dir():
        ok = bool(compileall.compile_dir(site / BINDING, quiet=1, workers=workers, optimize=1)) and ok
    return bool(compileall.compile_dir(package, quiet=1, workers=workers)) and ok


def main() -> int:
    return 0 if compile_environment(Path(sysconfig.get_path("purelib"))) else 1


if __name__ == "__main__":
    sys.exit(main())
