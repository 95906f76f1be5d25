"""Helpers shared by the custom checks in landing_zone/checks.

They run inside checkov's process on the raw parsed `cdk.tf.json`: checkov wraps
plain values in one-element lists (`{"type": ["ORGANIZATION"]}`), nested blocks
in lists of dicts, keeps tag maps as `[{key: value}]`, and does not render
`${...}` references for Python checks. Light on imports: no cdktf, no pydantic.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from typing import Any

from ..package_data import data_yaml

# Quota names in landing_zone/data/aws_limits.yaml and the environment variables
# that override them for a scan (`lz scan --env FILE` sets them from `limits:`).
LIMIT_ENV_VARS = {"scp_size": "LZ_SCP_SIZE_LIMIT", "scps_per_target": "LZ_SCPS_PER_TARGET"}


def unwrap(value: Any) -> Any:
    """The plain value behind checkov's one-element list wrapping."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def attribute(conf: dict[str, Any], *path: str, default: Any = None) -> Any:
    """A (nested) attribute of a resource's raw conf, unwrapped; `default` when absent."""
    value: Any = conf
    for key in path:
        value = unwrap(value)
        if not isinstance(value, dict) or key not in value:
            return default
        value = value[key]
    return unwrap(value)


def literal_json(value: Any) -> dict | None:
    """A policy written out as JSON text, as a dict; None for jsonencode(...), a reference or a non-object."""
    if not isinstance(value, str):
        return None
    try:
        document = json.loads(value)
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def is_reference(value: Any) -> bool:
    """True for a value terraform computes (`${...}`), which Python checks cannot see."""
    return isinstance(value, str) and "${" in value


def tags(conf: dict[str, Any]) -> dict[str, Any]:
    """The resource's literal `tags` map ({} when absent or computed)."""
    value = attribute(conf, "tags", default={})
    return value if isinstance(value, dict) else {}


@lru_cache(maxsize=1)
def _limit_table() -> dict[str, dict[str, Any]]:
    return data_yaml("aws_limits.yaml")


def limit(name: str) -> int:
    """An AWS quota: its environment variable when set, else the package default.

    A malformed override raises ValueError: a check must not silently fall back to
    another limit (`lz scan` reports a bad value before checkov starts)."""
    raw = os.environ.get(LIMIT_ENV_VARS[name], "").strip()
    if raw:
        value = int(raw)
        if value < 1:
            raise ValueError(f"{LIMIT_ENV_VARS[name]} must be a positive integer, got {raw!r}")
        return value
    return int(_limit_table()[name]["value"])


def limit_problems() -> list[str]:
    """Messages for limit overrides in the environment that are not positive integers."""
    problems = []
    for name, var in LIMIT_ENV_VARS.items():
        raw = os.environ.get(var, "").strip()
        if raw and not (raw.isdigit() and int(raw) >= 1):
            problems.append(
                f"{var}={raw!r}: must be a positive integer (the {name} quota; package default {_limit_table()[name]['value']})"
            )
    return problems
