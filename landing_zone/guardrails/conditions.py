"""IAM policy matching for the SCP simulator: actions, resources, conditions.

Implements what the catalog and custom SCPs use, as documented for IAM:
String*, Arn*, Bool, Null and Numeric* operators, the `IfExists` suffix and
the `ForAnyValue:` / `ForAllValues:` set prefixes. A key missing from the
request makes a condition false, except for negated operators (true),
`...IfExists` (true), `ForAllValues:` (true) and `Null`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Mapping, Sequence


@lru_cache(maxsize=4096)
def _glob(pattern: str, ignore_case: bool) -> re.Pattern:
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(f"^{body}$", re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


def glob_match(pattern: str, value: str, ignore_case: bool = False) -> bool:
    return bool(_glob(pattern, ignore_case).match(value))


def as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def action_matches(patterns: Any, action: str) -> bool:
    """Actions compare without regard to case; `*` and `?` are wildcards."""
    return any(glob_match(p, action, ignore_case=True) for p in as_list(patterns))


def resource_matches(patterns: Any, resource: str) -> bool:
    """Resource ARNs compare case-sensitively with wildcards; a request on `*` matches only `*`."""
    return any(p == "*" or glob_match(p, resource) for p in as_list(patterns))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


_NUMERIC = {
    "NumericEquals": lambda a, b: a == b,
    "NumericNotEquals": lambda a, b: a != b,
    "NumericLessThan": lambda a, b: a < b,
    "NumericLessThanEquals": lambda a, b: a <= b,
    "NumericGreaterThan": lambda a, b: a > b,
    "NumericGreaterThanEquals": lambda a, b: a >= b,
}
# Operator -> (positive operator it negates, or itself; negated?)
_BASE = {
    "StringEquals": ("StringEquals", False),
    "StringNotEquals": ("StringEquals", True),
    "StringEqualsIgnoreCase": ("StringEqualsIgnoreCase", False),
    "StringNotEqualsIgnoreCase": ("StringEqualsIgnoreCase", True),
    "StringLike": ("StringLike", False),
    "StringNotLike": ("StringLike", True),
    "ArnEquals": ("ArnLike", False),
    "ArnNotEquals": ("ArnLike", True),
    "ArnLike": ("ArnLike", False),
    "ArnNotLike": ("ArnLike", True),
    "Bool": ("Bool", False),
    **{name: (name, False) for name in _NUMERIC},
}


class UnsupportedCondition(ValueError):
    """An operator the simulator does not evaluate."""


def _one(op: str, expected: str, actual: str) -> bool:
    """Does one request value match one policy value under a positive operator?"""
    if op == "StringEquals":
        return actual == expected
    if op == "StringEqualsIgnoreCase":
        return actual.lower() == expected.lower()
    if op in ("StringLike", "ArnLike"):
        return glob_match(expected, actual)
    if op == "Bool":
        return actual.lower() == expected.lower()
    a, b = _number(actual), _number(expected)
    return a is not None and b is not None and _NUMERIC[op](a, b)


def parse_operator(name: str) -> tuple[str | None, str, bool]:
    """`ForAnyValue:StringNotLikeIfExists` -> ("ForAnyValue", "StringNotLike", True)."""
    qualifier = None
    if ":" in name:
        qualifier, name = name.split(":", 1)
        if qualifier not in ("ForAnyValue", "ForAllValues"):
            raise UnsupportedCondition(f"unknown set operator prefix {qualifier!r}")
    if_exists = name.endswith("IfExists")
    base = name[: -len("IfExists")] if if_exists else name
    if base != "Null" and base not in _BASE:
        raise UnsupportedCondition(f"condition operator {name!r} is not supported by the simulator")
    return qualifier, base, if_exists


def condition_holds(operator: str, key: str, expected: Any, context: Mapping[str, Sequence[str]]) -> bool:
    """One key of one operator block, against the request context (keys lower-case)."""
    qualifier, base, if_exists = parse_operator(operator)
    values = context.get(key.lower())
    wanted = [_text(v) for v in as_list(expected)]
    if base == "Null":
        absent = values is None or len(values) == 0
        return any(absent == (w.lower() == "true") for w in wanted)
    if values is None:
        if if_exists or qualifier == "ForAllValues":
            return True
        return _BASE[base][1] and qualifier is None  # negated operators hold on a missing key
    positive, negated = _BASE[base]

    def matches(actual: str) -> bool:
        hit = any(_one(positive, w, actual) for w in wanted)
        return not hit if negated else hit

    if qualifier == "ForAllValues":
        return all(matches(v) for v in values)
    if qualifier == "ForAnyValue":
        return any(matches(v) for v in values)
    # A single-valued key: the request carries one value.
    return matches(values[0])


def conditions_hold(block: Mapping[str, Mapping[str, Any]] | None, context: Mapping[str, Sequence[str]]) -> bool:
    """Every operator and every key of a Condition block holds (AND)."""
    for operator, keys in (block or {}).items():
        for key, expected in keys.items():
            if not condition_holds(operator, key, expected, context):
                return False
    return True
