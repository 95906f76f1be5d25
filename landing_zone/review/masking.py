"""Sensitive values masked, unknown values marked, and attribute diffs.

A plan's `before_sensitive` / `after_sensitive` (and the state's
`sensitive_values`) mirror the values: `true` where a value is sensitive.
Masking happens as a plan is read, so nothing after that (summaries, diffs,
JSON output) can ever show a sensitive value.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any, Iterator

SENSITIVE = "(sensitive)"
SENSITIVE_CHANGED = "(sensitive, changed)"
UNKNOWN = "(known after apply)"


def mask(value: Any, sensitive: Any) -> Any:
    """`value` with every part marked sensitive replaced by SENSITIVE."""
    if sensitive is True:
        return SENSITIVE if value is not None else None
    if isinstance(value, dict) and isinstance(sensitive, dict):
        return {k: mask(v, sensitive.get(k)) for k, v in value.items()}
    if isinstance(value, list) and isinstance(sensitive, list):
        return [mask(v, sensitive[i] if i < len(sensitive) else None) for i, v in enumerate(value)]
    return value


def sensitive_changes(before: Any, after: Any, before_sensitive: Any, after_sensitive: Any, prefix: str = "") -> list[str]:
    """Paths of sensitive values that differ (compared here, as the plan is read; never kept)."""
    if before_sensitive is True or after_sensitive is True:
        return [prefix] if before != after else []
    out: list[str] = []
    if isinstance(before_sensitive, dict) or isinstance(after_sensitive, dict):
        bs, as_ = (
            before_sensitive if isinstance(before_sensitive, dict) else {},
            after_sensitive if isinstance(after_sensitive, dict) else {},
        )
        b, a = before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}
        for key in sorted(set(bs) | set(as_)):
            out += sensitive_changes(b.get(key), a.get(key), bs.get(key), as_.get(key), f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(before_sensitive, list) or isinstance(after_sensitive, list):
        ls, las = (
            before_sensitive if isinstance(before_sensitive, list) else [],
            after_sensitive if isinstance(after_sensitive, list) else [],
        )
        lb, la = before if isinstance(before, list) else [], after if isinstance(after, list) else []
        for i in range(max(len(ls), len(las))):
            out += sensitive_changes(
                lb[i] if i < len(lb) else None,
                la[i] if i < len(la) else None,
                ls[i] if i < len(ls) else None,
                las[i] if i < len(las) else None,
                f"{prefix}[{i}]",
            )
    return out


def mark_unknown(value: Any, unknown: Any) -> Any:
    """`value` with every part terraform will only know after apply set to UNKNOWN."""
    if unknown is True:
        return UNKNOWN
    if isinstance(unknown, dict):
        base = dict(value) if isinstance(value, dict) else {}
        for key, flag in unknown.items():
            base[key] = mark_unknown(base.get(key), flag)
        return base
    if isinstance(unknown, list) and isinstance(value, list):
        return [mark_unknown(v, unknown[i] if i < len(unknown) else None) for i, v in enumerate(value)]
    return value


def flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted path, leaf) pairs; empty containers are leaves."""
    if isinstance(value, dict) and value:
        for key in sorted(value):
            yield from flatten(value[key], f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list) and value:
        for i, item in enumerate(value):
            yield from flatten(item, f"{prefix}[{i}]")
    else:
        yield prefix, value


@dataclass(frozen=True)
class DiffRow:
    attribute: str
    before: str
    after: str
    forces_replacement: bool = False
    diff: str = ""
    """A unified diff of two JSON documents (policies), when both sides are one."""


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)


def _json_document(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "{[" and value not in (SENSITIVE, UNKNOWN):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return None


def json_diff(before: str, after: str) -> str:
    a = json.dumps(_json_document(before), indent=2, sort_keys=True).splitlines()
    b = json.dumps(_json_document(after), indent=2, sort_keys=True).splitlines()
    return "\n".join(difflib.unified_diff(a, b, "before", "after", lineterm="", n=2))


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def diff_rows(before: Any, after: Any, replace_paths: list | None = None, sensitive_changed: list | None = None) -> list[DiffRow]:
    """Attribute rows that differ between two (masked) values.

    JSON documents (SCP content, policies) compare as documents and carry a
    unified diff; `tags_all` repeats `tags` plus the provider's defaults and
    is left out unless it alone changed.
    """
    forced = {_path_text(p) for p in (replace_paths or [])}
    before_map = dict(_top_level_leaves(before))
    after_map = dict(_top_level_leaves(after))
    rows = []
    changed_secrets = set(sensitive_changed or ())
    for key in sorted(set(before_map) | set(after_map)):
        old, new = before_map.get(key), after_map.get(key)
        if key in changed_secrets:
            rows.append(DiffRow(key, SENSITIVE, SENSITIVE_CHANGED, _forced(key, forced)))
            continue
        if old == new or (_is_empty(old) and _is_empty(new)):
            continue
        old_doc, new_doc = _json_document(old), _json_document(new)
        if (
            old_doc is not None and new_doc is not None and isinstance(old, str) and isinstance(new, str)
        ):  # a document is only ever parsed from a string
            if old_doc == new_doc:
                continue
            rows.append(DiffRow(key, "(document)", "(document)", _forced(key, forced), json_diff(old, new)))
            continue
        rows.append(DiffRow(key, _show(old), _show(new), _forced(key, forced)))
    if any(r.attribute.startswith("tags.") or r.attribute == "tags" for r in rows):
        rows = [r for r in rows if not r.attribute.startswith("tags_all")]
    return rows


def _top_level_leaves(value: Any) -> Iterator[tuple[str, Any]]:
    """Leaves, but JSON-document strings and short lists stay whole."""
    if not isinstance(value, dict):
        return
    for key in sorted(value):
        item = value[key]
        if isinstance(item, list) and all(not isinstance(i, (dict, list)) for i in item):
            yield key, item
        else:
            yield from flatten(item, key)


def _path_text(path: list) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _forced(key: str, forced: set[str]) -> bool:
    return any(key == f or key.startswith(f + ".") or key.startswith(f + "[") for f in forced)
