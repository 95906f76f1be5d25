"""Plan first: one saved plan per stack, reviewed, then applied exactly as reviewed.

`plan_stacks` runs `terraform plan -out` in every stack of a synth folder in
dependency order and writes, into the plans folder (whole or untouched, see
atomic_output):

    <plans>/<stack>/tfplan          the saved plan `apply_plans` applies (never a fresh one)
    <plans>/<stack>/<stack>.json    `terraform show -json` of it, what `lz plan-review` reads
    <plans>/lz-manifest.json        the synth's review manifest (so `lz plan-review <plans>` finds it)
    <plans>/lz-plan.json            what was planned: each stack's status, in order

A stack that reads an output of an earlier stack (a cdktf cross-stack
reference, i.e. `data.terraform_remote_state.<stack>.outputs.<name>`) whose
plan changes that output, or that was itself deferred, is not planned: its
inputs are unknown until that stack applies, and a plan made now would use
the old values (or fail). It is marked `deferred` with the reason; the next
`lz plan` (after the apply) plans it. Terraform's plan JSON says which
outputs change (`output_changes`), so a change that leaves the outputs alone
(a new SCP) defers nothing.

With `destroy`, every stack gets a destroy plan (nothing is deferred: the
state holds every output) and the order is reversed. The plan files hold
sensitive values in clear: the folder is private to the user (0700).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..atomic_output import atomic_folder, atomic_write_text

PLAN_INDEX = "lz-plan.json"
PLAN_FILE = "tfplan"
_REMOTE_OUTPUT = re.compile(r"data\.terraform_remote_state\.(?P<source>[A-Za-z0-9_-]+)\.outputs\.(?P<output>[A-Za-z0-9_-]+)")
_CROSS_STACK = "cross-stack-reference-input-"

PLANNED, NO_CHANGES, DEFERRED = "changes", "no changes", "deferred"


class PlanSetError(RuntimeError):
    """A plans folder that cannot be applied (missing, incomplete, or for another synth); message for people."""


@dataclass
class StackPlanStatus:
    """What `lz plan` did for one stack."""

    stack: str
    status: str
    """`changes`, `no changes` or `deferred`."""
    reason: str = ""
    """Why it was deferred (which stack and outputs it waits for)."""
    changed_outputs: list[str] = field(default_factory=list)
    """Outputs of this stack its plan changes (what defers the stacks that read them)."""

    @property
    def plan_file(self) -> str:
        return f"{self.stack}/{PLAN_FILE}"

    @property
    def json_file(self) -> str:
        return f"{self.stack}/{self.stack}.json"


@dataclass
class PlanSet:
    """A plans folder: which stacks were planned, in the order they are to be applied."""

    folder: Path
    stacks: list[StackPlanStatus]
    destroy: bool = False
    synth_dir: str = ""

    @property
    def to_apply(self) -> list[StackPlanStatus]:
        return [s for s in self.stacks if s.status == PLANNED]

    @property
    def deferred(self) -> list[StackPlanStatus]:
        return [s for s in self.stacks if s.status == DEFERRED]

    @property
    def reviewed(self) -> list[StackPlanStatus]:
        return [s for s in self.stacks if s.status != DEFERRED]

    def to_json(self) -> dict:
        return {"destroy": self.destroy, "synth_dir": self.synth_dir, "stacks": [asdict(s) for s in self.stacks]}

    @classmethod
    def read(cls, folder: str | os.PathLike) -> "PlanSet":
        folder = Path(folder)
        index = folder / PLAN_INDEX
        try:
            data = json.loads(index.read_text(encoding="utf-8"))
            stacks = [StackPlanStatus(**entry) for entry in data["stacks"]]
        except FileNotFoundError:
            raise PlanSetError(f"{index}: not found; write the plans with `lz plan ENV -o {folder}`") from None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise PlanSetError(f"{index}: not a plan index written by `lz plan` ({exc})") from None
        for stack in stacks:
            if stack.status == PLANNED and not (folder / stack.plan_file).is_file():
                raise PlanSetError(f"{folder / stack.plan_file}: missing; plan again with `lz plan`")
        return cls(folder, stacks, bool(data.get("destroy")), str(data.get("synth_dir", "")))


def stack_inputs(stack_dir: Path, stack_names: Iterable[str]) -> dict[str, set[str]]:
    """The outputs of other stacks this stack reads: {producing stack: {output names}}."""
    names = set(stack_names)
    text = (Path(stack_dir) / "cdk.tf.json").read_text(encoding="utf-8")
    inputs: dict[str, set[str]] = {}
    for match in _REMOTE_OUTPUT.finditer(text):
        source = match["source"]
        stack = source[len(_CROSS_STACK) :] if source.startswith(_CROSS_STACK) else source
        if stack in names:
            inputs.setdefault(stack, set()).add(match["output"])
    return inputs


def changed_outputs(plan: dict) -> list[str]:
    """Outputs whose value the plan changes (created, updated, deleted, or unknown until apply)."""
    out = []
    for name, change in (plan.get("output_changes") or {}).items():
        if list(change.get("actions") or ()) != ["no-op"] or change.get("after_unknown"):
            out.append(name)
    return sorted(out)


def deferral(inputs: dict[str, set[str]], done: dict[str, StackPlanStatus]) -> str:
    """Why a stack cannot be planned yet ('' when it can), from the plans of the stacks it reads."""
    reasons = []
    for producer in sorted(inputs):
        status = done.get(producer)
        if status is None:
            continue
        if status.status == DEFERRED:
            reasons.append(f"{producer} is deferred")
            continue
        waiting = sorted(inputs[producer] & set(status.changed_outputs))
        if waiting:
            shown = ", ".join(waiting[:3]) + (f" and {len(waiting) - 3} more" if len(waiting) > 3 else "")
            reasons.append(f"reads {shown} of {producer}, which its plan changes")
    return "; ".join(reasons) + ("; plan again after applying" if reasons else "")


def plan_stacks(
    synth_dir: Path,
    plans_dir: Path,
    make_terraform: Callable[[Path], object],
    *,
    only: list[str] | None = None,
    destroy: bool = False,
    workers: int = 1,
    say: Callable[[str], None] = lambda message: None,
) -> PlanSet:
    """Plan every stack of `synth_dir` (or `only` these) into `plans_dir`; see the module's docstring.

    `make_terraform(stack_dir)` gives the runner of one stack (landing_zone.terraform.Terraform).
    """
    from ..review.manifest import MANIFEST_FILE
    from ..terraform.stacks import deploy_order, load_stacks, run_stacks

    stacks = load_stacks(synth_dir)
    order = deploy_order(stacks, only=only)
    done: dict[str, StackPlanStatus] = {}
    with atomic_folder(plans_dir, keep_previous=False) as tmp:
        os.chmod(tmp, 0o700)

        def one(stack) -> None:
            inputs = {} if destroy else stack_inputs(stack.directory, stacks)
            reason = deferral(inputs, done)
            if reason:
                say(f"[{stack.name}] deferred: {reason}")
                done[stack.name] = StackPlanStatus(stack.name, DEFERRED, reason)
                return
            tf = make_terraform(stack.directory)
            folder = tmp / stack.name
            folder.mkdir()
            tf.init()  # type: ignore[attr-defined]
            result = tf.plan_to(folder / PLAN_FILE, destroy=destroy)  # type: ignore[attr-defined]
            plan = tf.show_plan(folder / PLAN_FILE)  # type: ignore[attr-defined]
            atomic_write_text(folder / f"{stack.name}.json", json.dumps(plan, sort_keys=True) + "\n")
            status = PLANNED if result.returncode == 2 else NO_CHANGES
            done[stack.name] = StackPlanStatus(stack.name, status, changed_outputs=changed_outputs(plan))

        run_stacks(order, one, workers=workers, reverse=destroy)
        manifest = Path(synth_dir) / MANIFEST_FILE
        if manifest.is_file():
            shutil.copyfile(manifest, tmp / MANIFEST_FILE)
        ordered = list(reversed(order)) if destroy else order
        plan_set = PlanSet(Path(plans_dir), [done[s.name] for s in ordered], destroy, os.path.abspath(synth_dir))
        atomic_write_text(tmp / PLAN_INDEX, json.dumps(plan_set.to_json(), indent=1, sort_keys=True) + "\n")
    return plan_set


def apply_plans(
    plan_set: PlanSet,
    synth_dir: Path,
    run_one: Callable[[object, Path], None],
    *,
    workers: int = 1,
) -> list[str]:
    """Apply each stack's saved plan (`run_one(stack, plan_file)`), in dependency order (reverse for a
    destroy plan); stacks without changes or deferred are skipped. Returns the applied stacks' names."""
    from ..terraform.stacks import deploy_order, load_stacks, run_stacks

    wanted = [s.stack for s in plan_set.to_apply]
    if not wanted:
        return []
    stacks = load_stacks(synth_dir)
    missing = sorted(set(wanted) - set(stacks))
    if missing:
        raise PlanSetError(f"{plan_set.folder} plans stack(s) {', '.join(missing)} that {synth_dir} does not have: plan again")
    order = deploy_order(stacks, only=wanted)
    run_stacks(
        order, lambda stack: run_one(stack, plan_set.folder / stack.name / PLAN_FILE), workers=workers, reverse=plan_set.destroy
    )
    return [s.name for s in order]
