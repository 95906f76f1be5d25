"""End a process that loaded cdktf without Python's interpreter teardown.

After a synth, the teardown frees the AWS binding's module objects (over a
gigabyte, about 1,500 modules) one by one: 3-4 s on this 2-core machine, a
fifth of the example's whole synth, for nothing anyone needs. Exit handlers
still run first (the jsii runtime's node process is stopped cleanly,
temporary folders are removed) and the standard streams are flushed.

`LZ_SPEED_OFF=fast_exit` keeps the teardown. Pure Python: no cdktf import.
"""

from __future__ import annotations

import atexit
import os
import sys
from typing import NoReturn

from . import switched_off

RUNTIME_MODULE = "jsii"
"""Loaded only when a command imported cdktf: then the teardown is worth skipping."""


def exit_now(code: int) -> NoReturn:
    """Run the exit handlers, flush stdout and stderr, and end the process with `code`."""
    atexit._run_exitfuncs()  # CPython's own exit path runs these the same way
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more to say there
            pass
    os._exit(code)


def exit_after(code: int) -> int:
    """`exit_now(code)` when this process loaded the jsii runtime (a synth ran), else `code`."""
    if RUNTIME_MODULE in sys.modules and not switched_off("fast_exit"):
        exit_now(code)
    return code
