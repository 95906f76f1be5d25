"""The speed tricks, each in one module with a switch to turn it off.

- optimized_python: `lz synth` / `lz deploy` / main.py run again under `python -O`
  (the AWS binding's run-time type checks compiled out);
- fast_exit: a process that synthesized ends without the interpreter's teardown;
- parliament_import: parliament imported without pkg_resources;
- backend_lookup: a stack names its own backend instead of cdktf searching the
  whole construct tree for it;
- gc_pause: short read-only commands (`lz validate`, ...) run without the
  cyclic garbage collector;
- token_traces: the jsii node runtime records no stack trace in the tokens
  cdktf creates (NODE_OPTIONS preload);
- binding_subset: the AWS provider binding is loaded without importing its
  2,135 submodules up front (only those the synth imports);
- binding_preload: `lz synth` loads cdktf and the binding in a background
  thread while it validates the environment (app/binding_preload.py: the
  app layer, which may import jsii).

`LZ_SPEED_OFF=all` (or a comma-separated list of these names) turns tricks off,
to rule them out when something looks wrong; the synthesized output is the
same either way (tests/synth/test_speed_switches.py). The local AWS API's
additions (local_aws/additions) are not a speed trick: they answer calls moto
lacks, and the end-to-end tests need them. Pure Python.
"""

from __future__ import annotations

import os
from typing import Mapping, Optional

SWITCH_VAR = "LZ_SPEED_OFF"
TRICKS = (
    "optimized_python",
    "fast_exit",
    "parliament_import",
    "backend_lookup",
    "gc_pause",
    "token_traces",
    "binding_subset",
    "binding_preload",
)


def switched_off(trick: str, environ: Optional[Mapping[str, str]] = None) -> bool:
    """Whether `LZ_SPEED_OFF` turns `trick` off ('all' turns every trick off)."""
    if trick not in TRICKS:
        raise ValueError(f"unknown speed trick {trick!r}; known: {', '.join(TRICKS)}")
    environ = os.environ if environ is None else environ
    names = {n.strip() for n in environ.get(SWITCH_VAR, "").split(",") if n.strip()}
    return "all" in names or trick in names
