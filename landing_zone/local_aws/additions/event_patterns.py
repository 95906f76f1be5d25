"""EventBridge patterns on fields inside arrays of objects.

AWS flattens an event's arrays when it matches a pattern: `detail.findings.AwsAccountId`
names the AwsAccountId of every element of `findings`, and a filter on it holds when
it holds for one of them (`exists: false` when no element has the field). moto 5.2
flattens objects only, so every pattern into Security Hub's `findings[]` (types,
severity, account, resource tags) never matches. This flattens arrays of objects
the same way; arrays of plain values stay as moto keeps them. Event-ruler's array
consistency (fields of one pattern object matched in the same element) is not
reproduced: the tests put one element per array.
"""

from __future__ import annotations

from typing import Any


def _flatten(node: Any, prefix: str, result: dict[str, Any]) -> None:
    if isinstance(node, dict) and node:
        for key, value in node.items():
            _flatten(value, f"{prefix}.{key}" if prefix else key, result)
    elif isinstance(node, list) and any(isinstance(item, dict) for item in node):
        merged: dict[str, list] = {}
        for item in node:
            inner: dict[str, Any] = {}
            _flatten(item, prefix, inner)
            for key, value in inner.items():
                merged.setdefault(key, []).extend(value if isinstance(value, list) else [value])
        result.update(merged)
    else:
        result[prefix] = node


def flatten(node: Any) -> dict[str, Any]:
    """Every leaf of an event by its dotted path; values under arrays of objects collected in lists."""
    result: dict[str, Any] = {}
    _flatten(node, "", result)
    return result


def install() -> None:
    from moto.events.models import EventPattern

    if getattr(EventPattern._flatten_dict, "_lz_arrays", False):
        return

    def _flatten_dict(node: Any, prefix: str = "", result: dict[str, Any] | None = None) -> dict[str, Any]:
        out = result if result is not None else {}
        _flatten(node, prefix, out)
        return out

    _flatten_dict._lz_arrays = True  # type: ignore[attr-defined]  # marks moto's patched code so it is patched once
    EventPattern._flatten_dict = staticmethod(_flatten_dict)  # type: ignore[method-assign]  # patches moto's class at run time
