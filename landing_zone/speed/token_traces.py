"""The jsii node runtime starts with speed/token_traces.js preloaded (NODE_OPTIONS=--require).

cdktf captures a complete JavaScript stack trace, with no depth limit, in
every token it creates (each cross-stack reference makes several), to quote
it if the token later fails to resolve. A node CPU profile of a 1,000-account
re-synth put walking and formatting those traces at 7 s of the synth's 45 s.
The preload makes `Error.captureStackTrace` record nothing into anything but
an Error (cdktf captures into a plain object); an Error's stack is captured
as before. The synthesized JSON is the same: the traces are never written
(the app runs with stack_traces=False). What is lost: the JavaScript frames
an unresolvable-token error would quote, which name cdktf's internals, not
the Python line. `LZ_SPEED_OFF=token_traces` keeps them.

Pure Python: sets an environment variable the node processes inherit.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import MutableMapping, Optional

from . import switched_off

PRELOAD = Path(__file__).resolve().with_name("token_traces.js")
NODE_OPTIONS = "NODE_OPTIONS"
OPTION = f'--require "{PRELOAD}"'  # quoted: NODE_OPTIONS splits on spaces outside double quotes


def apply(environ: Optional[MutableMapping[str, str]] = None) -> None:
    """Add the preload to NODE_OPTIONS (or, switched off, take it out again: child processes inherit it)."""
    environ = os.environ if environ is None else environ
    others = " ".join(environ.get(NODE_OPTIONS, "").replace(OPTION, " ").split())
    wanted = others if switched_off("token_traces", environ) else f"{others} {OPTION}".strip()
    if wanted:
        environ[NODE_OPTIONS] = wanted
    else:
        environ.pop(NODE_OPTIONS, None)
