"""Terraform resource names (logical ids) derived from stable YAML keys.

A logical id is part of a resource's address: changing it makes terraform
replace the resource. So ids come from config keys (account names, OU paths),
never from list positions, and stay readable in plans. Pure Python.
"""

from __future__ import annotations

import hashlib
import re

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def logical_id(prefix: str, key: str) -> str:
    """`prefix_key`, safe as a terraform name and unique per key.

    Characters terraform does not allow become `_`; when that changed the key
    (`Workloads/Prod`), a short hash of the original key keeps two keys that
    differ only in those characters apart (`Workloads/Prod` vs `Workloads_Prod`).
    """
    safe = _UNSAFE.sub("_", key)
    if safe != key:
        safe += "_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:6]
    return f"{prefix}_{safe}"
