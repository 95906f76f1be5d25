"""A stack's backend without cdktf's search (`LZ_SPEED_OFF=backend_lookup`: cdktf searches).

cdktf finds a stack's backend by walking its whole construct tree, once for
every stack that references it: every account stack references the management
stack, so that walk was quadratic (profile of the 1,000-account synth: 11.8 s
of node's 50 s in ensureBackendExists/findAll). The stack knows its backend.
No cdktf import: the stack passes itself in.
"""

from __future__ import annotations

from typing import Any, Optional

from . import switched_off


def known_backend(stack: Any) -> Optional[Any]:
    """The backend the stack recorded, or None to let cdktf search for it."""
    if switched_off("backend_lookup"):
        return None
    return getattr(stack, "backend", None)
