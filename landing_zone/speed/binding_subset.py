"""Load the AWS provider binding without importing its 2,135 submodules up front.

Importing anything from `cdktf_cdktf_provider_aws` first runs the package's
`__init__`, which loads the jsii assembly and then imports every one of its
submodules (one per resource and data source type): on this machine 6-7 s
and about 450 MB of Python objects in every process that synthesizes, of
which the landing zone uses about 250 modules.

This trick runs that `__init__` without its `from . import <submodule>`
lines and registers the package, before anything imports it. Each module the
code imports is then loaded when it is imported, as usual, and the jsii
runtime imports the module of any other type it meets (jsii's own support
for lazily loaded submodules, `_try_import_type_module`). What is lost:
reading `cdktf_cdktf_provider_aws.<submodule>` as an attribute without
importing it first (this package never does). The synthesized output is the
same (tests/synth/test_speed_switches.py). `LZ_SPEED_OFF=binding_subset`
imports the package as it is.

Pure Python: the package's source is read, not imported, until `apply`.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

from . import switched_off

BINDING = "cdktf_cdktf_provider_aws"
_SUBMODULE_IMPORT = re.compile(r"^from \. import \w+\n", re.M)


def apply() -> bool:
    """Register the binding's package without its submodules, unless it is imported already or the trick is off;
    True when it did."""
    if BINDING in sys.modules or switched_off("binding_subset"):
        return False
    spec = importlib.util.find_spec(BINDING)  # finds the package without running it
    if spec is None or spec.origin is None or spec.loader is None:
        return False  # not installed: the import that needs it says so
    source = Path(spec.origin).read_text(encoding="utf-8")
    trimmed = _SUBMODULE_IMPORT.sub("", source)
    module = importlib.util.module_from_spec(spec)
    sys.modules[BINDING] = module
    try:
        exec(compile(trimmed, spec.origin, "exec"), module.__dict__)
    except BaseException:
        del sys.modules[BINDING]
        raise
    return True
