"""Helpers shared by the network constructs: logical ids and Name tags."""

from __future__ import annotations

from typing import Mapping

from ..ids import logical_id


def lid(resource, prefix: str, *keys: str):
    """Give `resource` the logical id `prefix_key1_key2...` (stable, from config keys) and return it."""
    resource.override_logical_id(logical_id(prefix, "_".join(keys)) if keys else prefix)
    return resource


def tags(name: str, extra: Mapping[str, str] | None = None, **more: str) -> dict[str, str]:
    """A Name tag plus the given tags, sorted (synth output stays byte-identical)."""
    out = {**(extra or {}), **more, "Name": name}
    return dict(sorted(out.items()))
