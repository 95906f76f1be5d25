"""Reading `terraform show -json` output, one file per stack.

Each plan gives two worlds of the same stack: `before` (the prior state) and
`after` (what the plan leaves: planned values with the configuration's
references). Values are masked as they are read (see masking). Which stack a
plan belongs to: `STACK=FILE` on the command line, else the file's name
(`management.json`, `management.tfplan.json`) or its folder's name
(`stacks/management/plan.json`) when that is a stack of the manifest, else
the manifest's stack with the most matching addresses, else the file's stem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

from ..input_files import InputFileError, check_regular
from .masking import mark_unknown, mask, sensitive_changes
from .plan_input import PlanError, check_plan, read_plan_json
from .refs import refs_from_plan_expression
from .views import ResourceView

ACTIONS = {
    ("no-op",): "no-op",
    ("create",): "create",
    ("read",): "read",
    ("update",): "update",
    ("delete",): "delete",
    ("delete", "create"): "replace",
    ("create", "delete"): "replace",
    ("forget",): "forget",
}
SKIP_FILES = {"cdk.tf.json", "manifest.json", "metadata.json", "lz-manifest.json"}


@dataclass
class ResourceChange:
    stack: str
    address: str
    type: str
    action: str
    before: Any = None
    after: Any = None
    replace_paths: list = field(default_factory=list)
    action_reason: Optional[str] = None
    mode: str = "managed"
    sensitive_changed: list[str] = field(default_factory=list)
    """Paths of sensitive values that change (the values themselves are masked)."""

    @property
    def changed(self) -> bool:
        return self.action not in ("no-op", "read")

    @property
    def values(self) -> Any:
        """The values that describe the resource: after, or before for a delete."""
        return self.before if self.action in ("delete", "forget") else self.after


@dataclass
class StackPlan:
    stack: str
    source: Path
    changes: list[ResourceChange]
    before: dict[str, ResourceView]
    after: dict[str, ResourceView]
    terraform_version: str = ""
    errored: bool = False

    @property
    def changed(self) -> list[ResourceChange]:
        return [c for c in self.changes if c.changed and c.mode == "managed"]


def _module_resources(module: dict | None) -> Iterator[dict]:
    if not module:
        return
    yield from module.get("resources") or ()
    for child in module.get("child_modules") or ():
        yield from _module_resources(child)


def _config_resources(module: dict | None, prefix: str = "") -> Iterator[tuple[str, dict]]:
    if not module:
        return
    for resource in module.get("resources") or ():
        yield prefix + resource["address"], resource
    for name, call in (module.get("module_calls") or {}).items():
        yield from _config_resources(call.get("module"), f"{prefix}module.{name}.")


def _action(change: dict) -> str:
    """The change's action; check_plan has made `actions` a non-empty list of known words."""
    actions = tuple(change["actions"])
    action = ACTIONS.get(actions)
    if action is None:
        # A combination this review does not know: whatever removes the old object is read as the
        # removal it is (a replace when it also creates), so no danger rule can miss it.
        if "delete" in actions:
            return "replace" if "create" in actions else "delete"
        action = "+".join(actions)
    if action == "no-op" and change.get("importing"):
        return "import"
    return action


def parse_plan(data: dict, stack: str, source: Path) -> StackPlan:
    check_plan(data, source)  # PlanError for anything malformed: nothing below meets a wrong type
    refs: dict[str, dict] = {}
    for address, resource in _config_resources((data.get("configuration") or {}).get("root_module")):
        expressions = resource.get("expressions") or {}
        refs[address] = {key: found for key, expr in expressions.items() if (found := refs_from_plan_expression(expr))}

    before: dict[str, ResourceView] = {}
    prior = ((data.get("prior_state") or {}).get("values") or {}).get("root_module")
    for resource in _module_resources(prior):
        values = mask(resource.get("values") or {}, resource.get("sensitive_values"))
        before[resource["address"]] = ResourceView(
            stack, resource["address"], resource["type"], resource.get("mode", "managed"), values
        )

    changes: list[ResourceChange] = []
    after: dict[str, ResourceView] = {}
    for rc in data.get("resource_changes") or ():
        change = rc.get("change") or {}
        action = _action(change)
        old = mask(change.get("before"), change.get("before_sensitive"))
        new = mark_unknown(mask(change.get("after"), change.get("after_sensitive")), change.get("after_unknown"))
        if rc.get("mode", "managed") == "managed":
            secrets = (
                sensitive_changes(
                    change.get("before"), change.get("after"), change.get("before_sensitive"), change.get("after_sensitive")
                )
                if action in ("update", "replace")
                else []
            )
            changes.append(
                ResourceChange(
                    stack,
                    rc["address"],
                    rc["type"],
                    action,
                    old,
                    new,
                    list(change.get("replace_paths") or ()),
                    rc.get("action_reason"),
                    sensitive_changed=secrets,
                )
            )
        if action not in ("delete", "forget") and new is not None:
            after[rc["address"]] = ResourceView(
                stack,
                rc["address"],
                rc["type"],
                rc.get("mode", "managed"),
                new if isinstance(new, dict) else {},
                refs.get(rc["address"], {}),
            )
    # data sources read at plan time, and anything the changes did not list, come from the state
    for address, view in before.items():
        if address not in after and (view.mode == "data" or address not in {c.address for c in changes}):
            after[address] = ResourceView(stack, address, view.type, view.mode, view.values, refs.get(address, {}))
    return StackPlan(stack, source, changes, before, after, str(data.get("terraform_version", "")), bool(data.get("errored")))


def _is_plan_file(path: Path) -> bool:
    if path.name in SKIP_FILES or path.suffix != ".json":
        return False
    try:
        check_regular(path)  # a named pipe in the folder would block the read below
        with path.open("rb") as handle:
            head = handle.read(8192)
    except (OSError, InputFileError):
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head[: len(head) - len(head) % 2].decode("utf-16", errors="ignore").encode()
    return b'"format_version"' in head and (
        b'"planned_values"' in head or b'"resource_changes"' in head or b'"prior_state"' in head
    )


def expand_arguments(arguments: list[str]) -> list[tuple[Optional[str], Path]]:
    """(stack given with STACK=PATH or None, file) for every plan file the arguments name."""
    out: list[tuple[Optional[str], Path]] = []
    for argument in arguments:
        stack, _, rest = argument.partition("=") if "=" in argument and not Path(argument).exists() else (None, "", argument)
        path = Path(rest)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.json") if _is_plan_file(p))
            if not found:
                raise PlanError(
                    f"{path}: no plan JSON files found (write them with `terraform show -json tfplan > {path}/STACK.json`)"
                )
            out.extend((None, p) for p in found)
        elif path.is_file():
            out.append((stack or None, path))
        else:
            try:
                check_regular(path)
            except InputFileError as exc:
                raise PlanError(
                    f"{path}: no such file or folder" if exc.reason == "file not found" else f"{path}: {exc.reason}"
                ) from None
            raise PlanError(f"{path}: no such file or folder")
    return out


def _stack_name(path: Path, given: Optional[str], known: set[str], addresses: set[str], manifest) -> str:
    if given:
        return given
    stem = path.name.split(".")[0]
    for candidate in (stem, path.parent.name):
        if candidate in known:
            return candidate
    if manifest is not None:
        guess = manifest.guess_stack(addresses)
        if guess:
            return guess
    return stem


def load_plans(arguments: list[str], manifest=None) -> list[StackPlan]:
    """Every plan named by `arguments` (files, folders, STACK=FILE), in the manifest's stack order."""
    known = set(manifest.stacks) if manifest is not None else set()
    plans = []
    for given, path in expand_arguments(arguments):
        data = read_plan_json(path)
        check_plan(data, path)
        addresses = {rc["address"] for rc in data.get("resource_changes") or ()}
        plans.append(parse_plan(data, _stack_name(path, given, known, addresses, manifest), path))
    order = list(manifest.stacks) if manifest is not None else []
    seen: dict[str, Path] = {}
    for plan in plans:
        if plan.stack in seen:
            raise PlanError(
                f"two plans for stack {plan.stack!r}: {seen[plan.stack]} and {plan.source} (name one of them with STACK=FILE)"
            )
        seen[plan.stack] = plan.source
    return sorted(plans, key=lambda p: (order.index(p.stack) if p.stack in order else len(order), p.stack))
