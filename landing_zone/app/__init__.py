"""The landing zone's app: an environment synthesized to one Terraform stack per account role.

    loaded = load_environment("environments/example.yaml")
    result = synthesize(loaded, AppOptions(out_dir=Path("cdktf.out")))  # written whole, incremental
    app = build_app(loaded, AppOptions(out_dir=Path("cdktf.out")))       # the cdktf App; app.synth() writes it

- app.options: AppOptions, what a synth is asked for;
- app.synthesis: `synthesize`, what is copied, patched and built (pure Python until a stack is built);
- app.build: the cdktf App and the steps that build and write stacks (imports cdktf);
- app.stack_sets: which stacks must be built for others to be written.

Importing this package loads no cdktf; `build_app`, `LandingZoneApp`, `stack_settings` and `node_os_error` load
app.build when first asked for.
"""

from __future__ import annotations

from typing import Any

from .options import ALLOW_DESTROY_VAR, DEFAULT_OUT, AppOptions
from .stack_sets import build_set
from .synthesis import StackSummary, SynthResult, synthesize

__all__ = [
    "ALLOW_DESTROY_VAR",
    "DEFAULT_OUT",
    "AppOptions",
    "LandingZoneApp",
    "StackSummary",
    "SynthResult",
    "build_app",
    "build_set",
    "node_os_error",
    "stack_settings",
    "synthesize",
]

_FROM_BUILD = frozenset({"LandingZoneApp", "build_app", "stack_settings", "node_os_error"})


def __getattr__(name: str) -> Any:
    if name in _FROM_BUILD:  # cdktf loads with app.build: only when asked for
        from . import build

        return getattr(build, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
