"""parliament, imported without pkg_resources (`LZ_SPEED_OFF=parliament_import`: a plain import).

parliament imports pkg_resources only to find its two data files, and that
import alone was half of `lz validate`'s fixed cost (profile: 0.64 s of
1.36 s for `import parliament`). A stand-in answers resource_filename from
importlib.resources during the import only.
"""

from __future__ import annotations

import importlib.resources
import sys
import types
from typing import Any

from . import switched_off


def import_parliament() -> Any:
    if "parliament" in sys.modules or "pkg_resources" in sys.modules or switched_off("parliament_import"):
        import parliament

        return parliament
    stand_in = types.ModuleType("pkg_resources")
    stand_in.resource_filename = lambda package, name: str(importlib.resources.files(package) / name)  # type: ignore[attr-defined]
    sys.modules["pkg_resources"] = stand_in
    try:
        import parliament
    finally:
        if sys.modules.get("pkg_resources") is stand_in:
            del sys.modules["pkg_resources"]  # a later `import pkg_resources` gets the real one
    return parliament
