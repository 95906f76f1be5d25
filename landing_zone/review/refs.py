"""Terraform references (`${aws_x.name.attr}`) found in synthesized JSON.

cdktf writes every reference as an interpolation inside a string; a plan's
`configuration` lists them already parsed. Both become `Ref(address, attr)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

# A resource or data source address followed by an attribute, inside ${...}.
_REF = re.compile(r"(?<![\w.-])((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][\w-]*)((?:\.[A-Za-z_][\w-]*|\[\d+\])*)")
_INTERPOLATION = re.compile(r"\$\{(.*?)\}")
_NOT_RESOURCES = ("var.", "local.", "each.", "count.", "path.", "terraform.", "module.", "self.")
REMOTE_STATE = "data.terraform_remote_state."


@dataclass(frozen=True)
class Ref:
    """A reference to `address` (type.name or data.type.name), attribute path `attr` ('' for the whole)."""

    address: str
    attr: str = ""

    @property
    def first_attr(self) -> str:
        return re.split(r"[.\[]", self.attr, maxsplit=1)[0] if self.attr else ""


def refs_in_text(text: str) -> list[Ref]:
    """References inside the `${...}` interpolations of one string."""
    out = []
    for inner in _INTERPOLATION.findall(text):
        for match in _REF.finditer(inner):
            address, rest = match.group(1), match.group(2).lstrip(".")
            if address.startswith(_NOT_RESOURCES) or "(" in address:
                continue
            if address.startswith("data.") and address.count(".") < 2:
                # data.type.name needs three parts; the regex took data.type only
                continue
            if address.startswith("data."):
                parts = (address + ("." + rest if rest else "")).split(".")
                address, rest = ".".join(parts[:3]), ".".join(parts[3:])
            out.append(Ref(address, rest))
    return out


def refs_in_value(value: Any) -> list[Ref]:
    """Every reference anywhere inside a JSON value."""
    found: list[Ref] = []
    for text in _strings(value):
        if "${" in text:
            found.extend(refs_in_text(text))
    return found


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def refs_from_plan_expression(expression: Any) -> list[Ref]:
    """References of one attribute in a plan's `configuration` (its `references` list)."""
    out: list[Ref] = []
    for item in _references(expression):
        parts = item.split(".")
        size = 3 if parts[0] == "data" else 2
        if len(parts) < size or item.startswith(_NOT_RESOURCES):
            continue
        out.append(Ref(".".join(parts[:size]), ".".join(parts[size:])))
    # "a.b.id" and "a.b" both appear: keep the most specific one per address
    best: dict[str, Ref] = {}
    for ref in out:
        if ref.address not in best or len(ref.attr) > len(best[ref.address].attr):
            best[ref.address] = ref
    return list(best.values())


def _references(expression: Any) -> Iterable[str]:
    if isinstance(expression, dict):
        yield from expression.get("references") or ()
        for key, value in expression.items():
            if key not in ("references", "constant_value"):
                yield from _references(value)
        # constant strings in cdktf output still hold ${...} (lists of templates)
        if "constant_value" in expression and not expression.get("references"):
            for ref in refs_in_value(expression["constant_value"]):
                yield f"{ref.address}.{ref.attr}" if ref.attr else ref.address
    elif isinstance(expression, list):
        for item in expression:
            yield from _references(item)
