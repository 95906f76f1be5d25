"""`extends:`: deep merge of an environment over its base, keeping locations.

Mappings merge key by key; lists of named items (each a mapping with `name`,
or `path` for OUs) merge item by item by that key; other values are replaced.
Each merged value keeps the location of the file where it was written.
"""

from __future__ import annotations

from typing import Any

from .yaml_loader import LocDict, LocList

NAME_KEYS = ("name", "path", "user_name")


def item_key(item: Any) -> str | None:
    """The key that names a list item (`name`, else `path`), or None."""
    if isinstance(item, dict):
        for key in NAME_KEYS:
            value = item.get(key)
            if isinstance(value, str):
                return f"{key}={value}"
    return None


def merge(base: Any, over: Any) -> Any:
    if isinstance(base, LocDict) and isinstance(over, LocDict):
        out = LocDict()
        out.loc = over.loc
        out.key_locs = dict(base.key_locs)
        out.value_locs = dict(base.value_locs)
        for key, value in base.items():
            out[key] = value
        for key, value in over.items():
            out[key] = merge(base[key], value) if key in base else value
            out.key_locs[key] = over.key_locs[key]
            out.value_locs[key] = over.value_locs[key]
        return out
    if isinstance(base, LocList) and isinstance(over, LocList) and _named(base) and _named(over):
        items = LocList()
        items.loc = over.loc
        items.item_locs = []
        index = {item_key(item): i for i, item in enumerate(base)}
        merged = list(zip(base, base.item_locs))
        for item, loc in zip(over, over.item_locs):
            key = item_key(item)
            if key in index:
                i = index[key]
                merged[i] = (merge(merged[i][0], item), loc)
            else:
                index[key] = len(merged)
                merged.append((item, loc))
        for item, loc in merged:
            items.append(item)
            items.item_locs.append(loc)
        return items
    return over


def _named(items: LocList) -> bool:
    return all(item_key(item) is not None for item in items)
