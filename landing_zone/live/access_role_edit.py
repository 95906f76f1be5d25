"""Set `organization.access_role_name` in an environment file, touching one line.

`lz adopt` does this for a Control Tower organization, whose member accounts are
reached through `AWSControlTowerExecution`: every later command (synth, plan,
deploy, drift, compliance) reads the role from the file, so the file is where it
belongs. The edit replaces the value where this file writes it, else inserts the
key under this file's `organization:` (a base it `extends` may hold the old
value: this file's wins the merge), else appends an `organization:` block.
Nothing else of the text changes, so comments and layout survive; the edited
text is parsed again and must differ from the original in that one value only.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
KEY = "access_role_name"


class EditRefused(Exception):
    """The file is written in a way one line cannot change (flow style, a multi-line value): set it by hand."""


@dataclass(frozen=True)
class AccessRoleEdit:
    file: str
    line: int
    """The line that now holds `access_role_name` (1-based)."""
    previous: Optional[str]
    """The value this file wrote before (None when it came from a base file or the default)."""


def _key(mapping: yaml.MappingNode, name: str) -> Optional[tuple[yaml.Node, yaml.Node]]:
    return next(((k, v) for k, v in mapping.value if isinstance(k, yaml.ScalarNode) and k.value == name), None)


def _block_mapping(node: Any, where: str) -> yaml.MappingNode:
    if not isinstance(node, yaml.MappingNode) or node.flow_style:
        raise EditRefused(f"{where} is not a block mapping")
    return node


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _after_line(text: str, index: int) -> int:
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def edited_text(text: str, role: str) -> tuple[str, int, Optional[str]]:
    """(the new text, the 1-based line of `access_role_name`, the value this text wrote before)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    root = _block_mapping(yaml.compose(text, Loader=_Loader), "the file")
    organization = _key(root, "organization")
    if organization is None:  # `organization:` comes from a base file: this file's block overrides one value
        head = text if not text or text.endswith("\n") else text + newline
        block = f"organization:{newline}  {KEY}: {role}{newline}"
        return head + block, head.count("\n") + 2, None
    org_key, org_value = organization
    mapping = _block_mapping(org_value, "organization")
    found = _key(mapping, KEY)
    if found is not None:
        value = found[1]
        if not isinstance(value, yaml.ScalarNode) or value.start_mark.line != value.end_mark.line:
            raise EditRefused(f"organization.{KEY} is not a one-line value")
        start, end = value.start_mark.index, value.end_mark.index
        return text[:start] + role + text[end:], value.start_mark.line + 1, value.value
    indent = mapping.value[0][0].start_mark.column if mapping.value else 2
    at = _after_line(text, org_key.end_mark.index)  # the line after `organization:` (and its comment)
    prefix = "" if at == 0 or text[at - 1] == "\n" else newline
    line = f"{prefix}{' ' * indent}{KEY}: {role}{newline}"
    return text[:at] + line + text[at:], text.count("\n", 0, at) + 1 + bool(prefix), None


def _checked(old: str, new: str, role: str) -> None:
    """The edit changed `organization.access_role_name` to `role` and nothing else (else a bug: write nothing)."""
    before, after = yaml.load(old, Loader=_Loader) or {}, yaml.load(new, Loader=_Loader)
    expected = copy.deepcopy(before)
    org = expected.get("organization")
    expected["organization"] = dict(org or {}, **{KEY: role})
    if after != expected:
        raise AssertionError(f"editing organization.{KEY} changed more than that value")


def set_access_role(path: Path, role: str, shown: str) -> AccessRoleEdit:
    """Write `organization.access_role_name: role` into the environment file at `path` (atomically)."""
    from ..atomic_output import atomic_write_text

    with open(path, encoding="utf-8", newline="") as handle:
        text = handle.read()
    try:
        new, line, previous = edited_text(text, role)
    except yaml.YAMLError as exc:  # the environment loaded, so this is unexpected; refuse rather than guess
        raise EditRefused(f"the file does not parse: {exc}") from None
    _checked(text, new, role)
    atomic_write_text(path, new)
    return AccessRoleEdit(shown, line, previous)
