"""`${name}` placeholders in catalog statements and Config rule parameters.

- A string that is exactly `${name}` becomes the value itself (a list stays a list).
- Inside a list, such a list value is spliced in place (`[a, "${more}"]`).
- Elsewhere `${name}` is replaced by the value's text (keys of mappings too).
"""

from __future__ import annotations

import re
from typing import Any, Mapping

_PLACEHOLDER = re.compile(r"\$\{([a-z_]+)\}")


class TemplateError(KeyError):
    """A placeholder names no known value."""


def _value(name: str, values: Mapping[str, Any]) -> Any:
    if name not in values:
        raise TemplateError(f"unknown placeholder ${{{name}}} (known: {', '.join(sorted(values))})")
    return values[name]


def _text(text: str, values: Mapping[str, Any]) -> str:
    def sub(match: re.Match) -> str:
        value = _value(match.group(1), values)
        if isinstance(value, (list, tuple, dict)):
            raise TemplateError(f"${{{match.group(1)}}} is a list and cannot be part of the text {text!r}")
        return str(value)

    return _PLACEHOLDER.sub(sub, text)


def render(obj: Any, values: Mapping[str, Any]) -> Any:
    """A copy of `obj` with every placeholder replaced."""
    if isinstance(obj, str):
        whole = _PLACEHOLDER.fullmatch(obj)
        if whole:
            value = _value(whole.group(1), values)
            return list(value) if isinstance(value, tuple) else value
        return _text(obj, values)
    if isinstance(obj, list | tuple):
        out: list[Any] = []
        for item in obj:
            whole = _PLACEHOLDER.fullmatch(item) if isinstance(item, str) else None
            value = render(item, values)
            if whole and isinstance(value, list):
                out.extend(value)
            else:
                out.append(value)
        return out
    if isinstance(obj, Mapping):
        return {_text(str(k), values): render(v, values) for k, v in obj.items()}
    return obj


def placeholders(obj: Any) -> set[str]:
    """Every placeholder name used anywhere in `obj`."""
    if isinstance(obj, str):
        return set(_PLACEHOLDER.findall(obj))
    if isinstance(obj, list | tuple):
        return set().union(*(placeholders(i) for i in obj)) if obj else set()
    if isinstance(obj, Mapping):
        return set().union(*(placeholders(k) | placeholders(v) for k, v in obj.items())) if obj else set()
    return set()
