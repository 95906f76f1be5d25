"""Turn a data path (keys and list indexes) into a location and a display path.

Display paths name list items by their `name` (or `path`), never by index:
`accounts[name=log-archive].email`.
"""

from __future__ import annotations

from typing import Any, Sequence

from .merge import item_key
from .problems import Location
from .yaml_loader import LocDict, LocList


def display_path(data: Any, path: Sequence[str | int]) -> str:
    out = ""
    node = data
    for part in path:
        if isinstance(part, int):
            key = item_key(node[part]) if isinstance(node, list) and 0 <= part < len(node) else None
            out += f"[{key}]" if key else f"[{part}]"
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out


def locate(data: Any, path: Sequence[str | int], file: str, key: bool = False) -> Location:
    """The location of the value at `path` (or of its key), else of its nearest parent."""
    node = data
    best = getattr(data, "loc", Location(file, 1, 1))
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, LocDict) and isinstance(part, str):
            if part not in node:
                break
            best = node.key_locs[part] if (key and last) else node.value_locs[part]
            node = node[part]
        elif isinstance(node, LocList) and isinstance(part, int) and 0 <= part < len(node):
            best = node.item_locs[part]
            node = node[part]
        else:
            break
    return best


def value_at(data: Any, path: Sequence[str | int]) -> Any:
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node
