"""Phase one of validation: turn pydantic's errors into our Problems.

Walks the model types along each error's location so that unknown keys get
a "did you mean" suggestion with the allowed keys, and the internal parts
pydantic adds for tagged unions are dropped from the path shown.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, Sequence

from pydantic import BaseModel, ValidationError

from .paths import display_path, locate
from .problems import Problem

_KIND = {
    "string_type": "a string",
    "int_type": "an integer",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "float_type": "a number",
    "int_parsing": "an integer",
    "bool_parsing": "true or false",
    "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
}


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) == 1:
                tp = args[0]
                continue
        return tp


def _union_models(tp: Any) -> list[type[BaseModel]]:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return [a for a in typing.get_args(tp) if isinstance(a, type) and issubclass(a, BaseModel)]
    return []


def walk(root: type[BaseModel], loc: Sequence[Any]) -> tuple[list[Any], Any]:
    """Clean a pydantic loc; return it and the type at its parent (for allowed keys)."""
    clean: list[Any] = []
    tp: Any = root
    parent: Any = root
    for part in loc:
        tp = _unwrap(tp)
        members = _union_models(tp)
        if members:
            # pydantic names the chosen union member in the loc: skip that part.
            chosen = [m for m in members if any(str(part) in str(f.default) for f in m.model_fields.values())]
            if chosen:
                tp = chosen[0]
                continue
        parent = tp
        clean.append(part)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(str(part))
            tp = field.annotation if field else None
        elif typing.get_origin(tp) is list:
            tp = typing.get_args(tp)[0]
        elif typing.get_origin(tp) is dict:
            tp = typing.get_args(tp)[1]
        else:
            tp = None
    return clean, parent


def _allowed(parent: Any) -> list[str]:
    parent = _unwrap(parent)
    if isinstance(parent, type) and issubclass(parent, BaseModel):
        return list(parent.model_fields)
    return []


def _short(value: Any) -> str:
    text = repr(value)
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return text if len(text) <= 60 else text[:57] + "..."


def problems_from(error: ValidationError, root: type[BaseModel], data: Any, file: str) -> list[Problem]:
    out = []
    for err in error.errors(include_url=False):
        loc, parent = walk(root, err["loc"])
        kind, value = err["type"], err.get("input")
        key_error = kind in ("extra_forbidden", "missing")
        where = locate(data, loc, file, key=key_error)
        shown = display_path(data, loc)
        if kind == "extra_forbidden":
            key = str(loc[-1])
            allowed = _allowed(parent)
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            message = f"unknown key {key!r}{hint}; allowed: {', '.join(allowed)}"
        elif kind == "missing":
            message = f"required key {str(loc[-1])!r} is missing"
            where = locate(data, loc[:-1], file)
        elif kind in ("value_error", "assertion_error"):
            message = err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        elif kind in _KIND:
            message = f"{_short(value)} is not {_KIND[kind]}"
        elif kind in ("literal_error", "enum"):
            expected = err.get("ctx", {}).get("expected", "")
            message = f"{_short(value)} is not allowed (expected {expected})"
        elif kind == "union_tag_invalid":
            ctx = err.get("ctx", {})
            message = f"{ctx.get('tag')!r} is not allowed (expected {ctx.get('expected_tags')})"
            loc = [*loc, ctx.get("discriminator", "").strip("'")]
            where, shown = locate(data, loc, file), display_path(data, loc)
        elif kind == "greater_than_equal":
            message = f"{_short(value)} is too small (expected at least {err['ctx']['ge']})"
        else:
            message = f"{_short(value)}: {err['msg']}"
        out.append(Problem(where, shown, message, rule="shape"))
    return out
