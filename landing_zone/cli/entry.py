"""The `lz` console script, light on purpose: nothing slow is imported before it decides.

A command that synthesizes runs again under `python -O` first (speed/optimized_python.py),
before the 0.5 s of imports the command line itself needs; a process that synthesized
ends without the interpreter's teardown (speed/fast_exit.py); a short read-only
command runs without the cyclic garbage collector (speed/gc_pause.py).
"""

from __future__ import annotations

import sys

from ..speed.fast_exit import exit_after
from ..speed.gc_pause import pause_gc
from ..speed.optimized_python import SYNTHESIZING_COMMANDS, rerun_optimized


def run() -> int:
    if len(sys.argv) > 1 and sys.argv[1] in SYNTHESIZING_COMMANDS:
        rerun_optimized()
    pause_gc(sys.argv)
    from ..interrupts import install_top_level

    install_top_level()  # SIGINT/SIGTERM raise (also in a background job); no traceback from exit handlers
    from .main import main

    return exit_after(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
