"""Strict YAML loading that keeps the file, line and column of every value.

PyYAML silently keeps the last of two duplicate keys and expands aliases
without bound; this loader composes the node graph itself so that duplicates
are errors, alias expansion is capped (an "alias bomb" stops in milliseconds),
and each mapping and list remembers where each of its values was written.
"""

from __future__ import annotations

import os
from typing import Any

import yaml

from ..input_files import InputFileError, read_limited
from .problems import ConfigError, Location, Problem

# A landing zone of thousands of accounts has well under a million values;
# an alias bomb reaches that within a few levels and is stopped there.
MAX_VALUES = 1_000_000
# Several MB are fine; a file far larger than any organization is refused
# before parsing so nobody waits on it.
MAX_DEPTH = 100
MAX_FILE_BYTES = 64 * 1024 * 1024

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_STR_TAG = "tag:yaml.org,2002:str"
_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap")


class LocDict(dict):
    """A mapping that knows where it, each key and each value were written."""

    loc: Location
    key_locs: dict[str, Location]
    value_locs: dict[str, Location]
    # Set only on a `network.vpcs` item made from an account request (config/vending_network): (request index, name written).
    origin: tuple[int, bool]


class LocList(list):
    """A list that knows where it and each item were written."""

    loc: Location
    item_locs: list[Location]


def _loc(file: str, node: yaml.Node) -> Location:
    mark = node.start_mark
    return Location(file, mark.line + 1, mark.column + 1)


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.count = 0
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, path: str = "", depth: int = 0) -> Any:
        self.count += 1
        # Recursive anchors would otherwise recurse without end.
        if self.count > MAX_VALUES or depth > MAX_DEPTH:
            raise _TooLarge(node)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
            raise yaml.constructor.ConstructorError(None, None, f"the tag {node.tag!r} is not allowed", node.start_mark)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            out = LocList()
            out.loc = _loc(self.file, node)
            out.item_locs = []
            for i, item in enumerate(node.value):
                out.append(self.build(item, f"{path}[{i}]", depth + 1))
                out.item_locs.append(_loc(self.file, item))
            return out
        return _scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: str, depth: int) -> LocDict:
        out = LocDict()
        out.loc = _loc(self.file, node)
        out.key_locs = {}
        out.value_locs = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(
                    Problem(
                        _loc(self.file, key_node),
                        path,
                        "YAML merge keys ('<<') are not supported; write the keys out or use 'extends'",
                    )
                )
                continue
            key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.problems.append(Problem(_loc(self.file, key_node), path, f"mapping key {key!r} must be a string"))
                continue
            child = f"{path}.{key}" if path else key
            if key in out:
                first = out.key_locs[key]
                self.problems.append(
                    Problem(_loc(self.file, key_node), child, f"duplicate key {key!r} (first defined at line {first.line})")
                )
                continue
            out.key_locs[key] = _loc(self.file, key_node)
            out.value_locs[key] = _loc(self.file, value_node)
            out[key] = self.build(value_node, child, depth + 1)
        return out


class _TooLarge(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


def _scalar(node: yaml.Node) -> Any:
    # The safe loader's rules resolve plain scalars (ints, bools, null), so a
    # quoted "123456789012" stays a string; unknown tags are refused.
    if node.tag == _STR_TAG:  # most values: the safe constructor would return node.value itself, slower
        return node.value
    try:
        value = _CONSTRUCTOR.construct_object(node, deep=True)
    except (ValueError, OverflowError) as exc:
        # An integer of more than 4,300 digits (Python's limit on reading one),
        # or a date such as 2024-13-45 that looks like a timestamp.
        raise yaml.constructor.ConstructorError(None, None, _unreadable(node, exc), node.start_mark) from None
    finally:
        _CONSTRUCTOR.constructed_objects.clear()
    return value


def _unreadable(node: yaml.Node, exc: Exception) -> str:
    text = str(getattr(node, "value", ""))
    if node.tag == "tag:yaml.org,2002:int":
        digits = sum(c.isdigit() for c in text)
        return (
            f"a number of {digits:,} digits is too large to read (at most 4,300 digits; "
            "no setting needs more than a few, quote it if it is text)"
        )
    shown = text if len(text) <= 40 else text[:37] + "..."
    return f"{shown!r} cannot be read as {node.tag.rsplit(':', 1)[-1]}: {exc} (quote it if it is text)"


_CONSTRUCTOR = yaml.SafeLoader("")  # used only to construct single scalars


def load_yaml_file(path: str | os.PathLike, display: str | None = None) -> Any:
    """Load one YAML file strictly; raise ConfigError with every problem found.

    Only a regular file of at most MAX_FILE_BYTES is read (see input_files):
    a named pipe, a device such as /dev/zero, a directory or a link loop is
    refused before anything is read.
    """
    shown = display or str(path)
    where = Location(shown)
    try:
        raw = read_limited(path, MAX_FILE_BYTES)
    except InputFileError as exc:
        reason = exc.reason
        if reason.startswith("is a directory"):
            reason = "is a directory, expected a YAML environment file"
        raise ConfigError([Problem(where, "", reason)]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ConfigError(
            [Problem(Location(shown, line, col), "", f"byte 0x{raw[exc.start]:02x} is not valid UTF-8 (save the file as UTF-8)")]
        ) from None
    return load_yaml_text(text, shown)


def _position(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


def load_yaml_text(text: str, display: str) -> Any:
    if not text.strip() or all(l.strip().startswith("#") or not l.strip() for l in text.splitlines()):
        raise ConfigError(
            [Problem(Location(display, 1, 1), "", "file is empty; expected a mapping with an 'organization' section")]
        )
    try:
        loader = _SafeLoader(text)
        try:
            nodes = []
            while loader.check_node():
                nodes.append(loader.get_node())
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display)
        what = " ".join(x for x in (exc.context, exc.problem) if x)
        raise ConfigError([Problem(loc, "", f"YAML syntax error: {what}")]) from None
    except yaml.reader.ReaderError as exc:  # a control character such as NUL: no mark, a character offset
        line, col = _position(text, exc.position)
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise ConfigError(
            [
                Problem(
                    Location(display, line, col),
                    "",
                    f"character {char} is not allowed in YAML (control characters such as NUL are refused)",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError([Problem(Location(display), "", f"YAML error: {exc}")]) from None
    documents: list[yaml.Node] = [n for n in nodes if n is not None]
    if not documents:
        raise ConfigError(
            [Problem(Location(display, 1, 1), "", "file is empty; expected a mapping with an 'organization' section")]
        )
    if len(documents) > 1:
        raise ConfigError([Problem(_loc(display, documents[1]), "", "file holds several YAML documents ('---'); expected one")])
    root = documents[0]
    if not isinstance(root, yaml.MappingNode):
        # Never echo the scalar: a file that is not an environment file (`extends: /etc/passwd`) must not be printed.
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value (text or a number)"
        raise ConfigError(
            [
                Problem(
                    _loc(display, root), "", f"top level is {kind}; expected a mapping of sections (organization, accounts, ...)"
                )
            ]
        )
    builder = _Builder(display)
    try:
        data = builder.build(root)
    except _TooLarge as exc:
        raise ConfigError(
            [
                Problem(
                    _loc(display, exc.node),
                    "",
                    f"document expands to more than {MAX_VALUES:,} values or {MAX_DEPTH} levels (runaway or recursive aliases?); refused",
                )
            ]
        ) from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        loc = Location(display, mark.line + 1, mark.column + 1) if mark else Location(display)
        raise ConfigError([Problem(loc, "", f"YAML value error: {exc.problem}")]) from None
    if builder.problems:
        raise ConfigError(builder.problems)
    return data
