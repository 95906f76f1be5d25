"""Reading a plan file without trusting it.

`read_plan_json` reads one `terraform show -json` file (a regular file of
bounded size; UTF-8, or UTF-16 with a byte-order mark as Windows PowerShell
writes it; nesting bounded) and `check_plan` checks, before anything else
reads it, every part of the document the review uses: the format's major
version, and the type of each field down to each change's `actions`. A plan
that fails is refused with a message naming the file and the JSON path; a
malformed change can therefore never pass as "no dangerous changes".
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

from ..input_files import InputFileError, read_limited

# `terraform show -json` has written format 1.x since terraform 0.12 (1.2 in 1.11);
# a new major version may change the meaning of fields, so it is refused.
KNOWN_MAJOR_VERSIONS = ("1",)
ACTION_WORDS = ("no-op", "create", "read", "update", "delete", "forget")
MODES = ("managed", "data")
MAX_PLAN_BYTES = 512 * 1024 * 1024
# Terraform's own values nest a few dozen levels at most (nested blocks inside resources).
MAX_DEPTH = 200


class PlanError(ValueError):
    """A plan file is missing, not JSON or not a terraform plan (message for people)."""


def decode(raw: bytes, source: Path) -> str:
    """The text of a plan file: UTF-8 (with or without a BOM) or UTF-16 with a BOM."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise PlanError(
                f"{source}: starts as UTF-16 but is not valid UTF-16; "
                "write the plan with `terraform show -json tfplan > FILE` as UTF-8"
            ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanError(
            f"{source}: byte 0x{raw[exc.start]:02x} at offset {exc.start:,} is not valid UTF-8; "
            "a plan must be the UTF-8 output of `terraform show -json PLANFILE`"
        ) from None


def _depth_over(value: Any, limit: int) -> bool:
    """Whether `value` nests deeper than `limit` (iterative: no recursion limit on the way)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return False


def read_plan_json(path: Path) -> Any:
    """The parsed JSON of a plan file; PlanError with a message for people otherwise."""
    try:
        raw = read_limited(path, MAX_PLAN_BYTES)
    except InputFileError as exc:
        raise PlanError(f"{path}: {exc.reason}") from None
    text = decode(raw, path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanError(f"{path}: not JSON ({exc}); pass the output of `terraform show -json PLANFILE`") from None
    except RecursionError:
        raise PlanError(f"{path}: JSON nested too deeply to be a terraform plan (at most {MAX_DEPTH} levels)") from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise PlanError(f"{path}: not a terraform plan: {exc}") from None
    if _depth_over(data, MAX_DEPTH):
        raise PlanError(f"{path}: JSON nested too deeply to be a terraform plan (at most {MAX_DEPTH} levels)")
    return data


class _Checker:
    def __init__(self, source: Path) -> None:
        self.source = source

    def fail(self, path: str, message: str) -> None:
        raise PlanError(f"{self.source}: not a valid terraform plan: {path}: {message}")

    def kind(self, value: Any, path: str, *types: type, optional: bool = True) -> Any:
        if value is None and optional:
            return value
        if not isinstance(value, types):
            names = " or ".join({dict: "an object", list: "a list", str: "a string", bool: "true or false"}[t] for t in types)
            self.fail(path, f"expected {names}, found {_describe(value)}")
        return value

    def field(self, parent: dict, key: str, path: str, *types: type, required: bool = False) -> Any:
        if required and key not in parent:
            self.fail(path, f"'{key}' is missing")
        return self.kind(parent.get(key), f"{path}.{key}" if path else key, *types, optional=not required)

    def module(self, module: Any, path: str) -> None:
        if self.kind(module, path, dict) is None:
            return
        for i, resource in enumerate(self.field(module, "resources", path, list) or ()):
            where = f"{path}.resources[{i}]"
            self.kind(resource, where, dict, optional=False)
            self.field(resource, "address", where, str, required=True)
            self.field(resource, "type", where, str, required=True)
            self.mode(resource, where)
            self.field(resource, "values", where, dict)
        for i, child in enumerate(self.field(module, "child_modules", path, list) or ()):
            self.module(child, f"{path}.child_modules[{i}]")

    def mode(self, resource: dict, where: str) -> None:
        mode = self.field(resource, "mode", where, str)
        if mode is not None and mode not in MODES:
            self.fail(f"{where}.mode", f"{mode!r} is not one of {', '.join(MODES)}")

    def change(self, rc: Any, i: int) -> None:
        where = f"resource_changes[{i}]"
        self.kind(rc, where, dict, optional=False)
        address = self.field(rc, "address", where, str, required=True)
        where = f"resource_changes[{i}] ({address})"
        self.field(rc, "type", where, str, required=True)
        self.mode(rc, where)
        self.field(rc, "action_reason", where, str)
        change = self.field(rc, "change", where, dict, required=True)
        actions = self.field(change, "actions", f"{where}.change", list, required=True)
        if not actions:
            self.fail(f"{where}.change.actions", 'is empty (expected a list such as ["create"])')
        for j, action in enumerate(actions):
            if not isinstance(action, str) or action not in ACTION_WORDS:
                self.fail(
                    f"{where}.change.actions[{j}]",
                    f"{_describe(action)} is not an action (expected one of {', '.join(ACTION_WORDS)})",
                )
        if rc.get("mode", "managed") == "managed":
            for key in ("before", "after"):
                self.field(change, key, f"{where}.change", dict)
        self.field(change, "replace_paths", f"{where}.change", list)
        self.field(change, "importing", f"{where}.change", dict)


def check_plan(data: Any, source: Path) -> None:
    """Refuse (PlanError) a document that is not a terraform plan of a known format, or whose parts have the wrong type."""
    if (
        not isinstance(data, dict)
        or "format_version" not in data
        or not ("resource_changes" in data or "planned_values" in data or "prior_state" in data)
    ):
        raise PlanError(f"{source}: not a plan: expected the output of `terraform show -json PLANFILE`")
    check = _Checker(source)
    version = check.field(data, "format_version", "", str, required=True)
    major = version.split(".", 1)[0]
    if major not in KNOWN_MAJOR_VERSIONS:
        raise PlanError(
            f"{source}: plan format_version {version!r} is not supported (this review reads "
            f"{', '.join(v + '.x' for v in KNOWN_MAJOR_VERSIONS)}); a newer terraform may have changed "
            "the format: review this plan by hand or upgrade landing_zone"
        )
    check.field(data, "terraform_version", "", str)
    check.field(data, "errored", "", bool)
    prior = check.field(data, "prior_state", "", dict)
    if prior:
        values = check.field(prior, "values", "prior_state", dict)
        if values:
            check.module(values.get("root_module"), "prior_state.values.root_module")
    configuration = check.field(data, "configuration", "", dict)
    if configuration:
        _check_config_module(check, configuration.get("root_module"), "configuration.root_module")
    for i, rc in enumerate(check.field(data, "resource_changes", "", list) or ()):
        check.change(rc, i)


def _check_config_module(check: _Checker, module: Any, path: str) -> None:
    if check.kind(module, path, dict) is None:
        return
    for i, resource in enumerate(check.field(module, "resources", path, list) or ()):
        where = f"{path}.resources[{i}]"
        check.kind(resource, where, dict, optional=False)
        check.field(resource, "address", where, str, required=True)
        check.field(resource, "expressions", where, dict)
    for name, call in (check.field(module, "module_calls", path, dict) or {}).items():
        where = f"{path}.module_calls.{name}"
        check.kind(call, where, dict, optional=False)
        _check_config_module(check, call.get("module"), f"{where}.module")


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    kind = {dict: "an object", list: "a list", str: "the string", bool: "", int: "the number", float: "the number"}.get(
        type(value), type(value).__name__
    )
    if isinstance(value, (dict, list)):
        return kind
    shown = json.dumps(value)
    return f"{kind} {shown[:40]}".strip()
