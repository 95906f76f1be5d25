"""The YAML data files that ship inside the package (AWS's names, limits, regions, zones, the CIS table).

Read with libyaml's C loader where PyYAML has it: the pure-Python parser spent about 0.2 s of every
`lz validate` on the ~100 KB of managed policy and Config rule names, a fifth of its budget at 1,000
accounts. Each file is parsed once per process; callers must not change what they get back.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """`text` parsed with the fastest safe loader PyYAML has (for the package's own files)."""
    return yaml.load(text, Loader=_LOADER)


@lru_cache(maxsize=None)
def data_yaml(name: str, package: str = "landing_zone.data") -> Any:
    """The parsed contents of package data file `name` (in `package`, `landing_zone.data` by default)."""
    return parse_yaml(resources.files(package).joinpath(name).read_text("utf-8"))
