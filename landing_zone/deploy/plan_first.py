"""`lz plan` and the plan-first `lz deploy` against AWS: plan, review, confirm, apply the saved plans.

    plan_set = write_plans(synth_dir, plans_dir, env, options, say)   # terraform plan -out per stack
    review = review_plan_set(plan_set, allow)                         # lz plan-review of those plans
    print(render_plan_review(plan_set, review, "text"))
    confirm_apply(plan_set, organization_name, yes=False)             # a terminal, or --yes
    apply_reviewed(plan_set, synth_dir, env, options, say)            # terraform apply <saved plan>

A danger rule that fires (and is not allowed) stops before the question. No
terminal and no `--yes`: nothing applies. A destroy asks for the
organization's name typed out. Stacks deferred by the plan (their inputs wait
for an earlier stack's apply) are not applied: the next run plans them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, Callable, Iterable, Optional

from .planning import DEFERRED, NO_CHANGES, PlanSet, apply_plans, plan_stacks

BLOCKED = 3


class NotConfirmed(RuntimeError):
    """The user did not confirm (or could not: no terminal and no --yes); nothing was applied."""


def write_plans(
    synth_dir: Path,
    plans_dir: Path,
    env: dict,
    *,
    only: Optional[list[str]] = None,
    destroy: bool = False,
    workers: int = 1,
    verbose: bool = False,
    say: Callable[[str], None],
) -> PlanSet:
    """Plan every stack of `synth_dir` with terraform into `plans_dir` (see deploy.planning)."""
    from ..terraform import Terraform

    def make(directory: Path):
        return Terraform(directory, env=env, progress=say, verbose=verbose)

    verb = "destroy plans" if destroy else "plans"
    say(f"writing {verb} of {synth_dir}/ into {plans_dir}/ (saved plans and their JSON; private: they hold secrets)")
    return plan_stacks(synth_dir, plans_dir, make, only=only, destroy=destroy, workers=workers, say=say)


def review_plan_set(plan_set: PlanSet, allow: Iterable[str] = ()):
    """The plan review (review.review.Review) of every stack planned in `plan_set`."""
    from ..review.manifest import MANIFEST_FILE, read_manifest
    from ..review.plans import load_plans
    from ..review.review import build_review

    manifest_file = plan_set.folder / MANIFEST_FILE
    manifest = read_manifest(manifest_file) if manifest_file.is_file() else None
    files = [f"{s.stack}={plan_set.folder / s.json_file}" for s in plan_set.reviewed]
    return build_review(load_plans(files, manifest) if files else [], manifest, allow)


def plan_document(plan_set: PlanSet):
    """What was planned, per stack, in order (render.Document)."""
    from ..render import Document

    doc = Document()
    doc.heading(f"{'Destroy plans' if plan_set.destroy else 'Plans'} in {plan_set.folder}")
    doc.table(["stack", "plan", "detail"], [[s.stack, s.status, s.reason or _detail(s)] for s in plan_set.stacks])
    deferred = plan_set.deferred
    if deferred:
        doc.paragraph(
            f"{len(deferred)} stack(s) deferred: their inputs are known only after the stacks they read apply. "
            "Apply these plans, then plan again to review them."
        )
    return doc


def _detail(status) -> str:
    if status.status == NO_CHANGES:
        return ""
    return f"saved plan {status.plan_file}"


def render_plan_review(plan_set: PlanSet, review, fmt: str) -> str:
    """The stacks' plan table followed by the plan review, in `fmt` (text, markdown or json)."""
    from ..render import dumps_json
    from ..review.render import render

    if fmt == "json":
        return dumps_json({"plans": plan_set.to_json(), "review": review.to_json()})
    table = plan_document(plan_set)
    head = table.to_markdown() if fmt == "markdown" else table.to_text()
    return head.rstrip("\n") + "\n\n" + render(review, fmt)


def confirm_apply(
    plan_set: PlanSet,
    organization: str,
    *,
    yes: bool,
    stdin: Optional[IO[str]] = None,
    stderr: Optional[IO[str]] = None,
) -> None:
    """Ask before applying; NotConfirmed when the answer is not the expected one or no one can answer.

    An apply wants `yes`; a destroy wants the organization's name typed out.
    """
    if yes or not plan_set.to_apply:
        return
    stdin = stdin or sys.stdin
    stderr = stderr or sys.stderr
    count = len(plan_set.to_apply)
    if not _is_terminal(stdin):
        raise NotConfirmed(
            f"no terminal to confirm on, and no --yes: nothing applied. The {count} reviewed plan(s) are in "
            f"{plan_set.folder}/; apply them with `lz deploy ENV --from-plans {plan_set.folder} --yes` once reviewed"
        )
    if plan_set.destroy:
        question, expected = (
            f"DESTROY {count} stack(s) of organization {organization!r}: type the organization's name to confirm: ",
            organization,
        )
    else:
        question, expected = f"Apply these {count} saved plan(s)? Type 'yes' to apply: ", "yes"
    stderr.write(question)
    stderr.flush()
    answer = stdin.readline()
    if answer.strip() != expected:
        raise NotConfirmed(f"not confirmed (expected {expected!r}): nothing applied")


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def apply_reviewed(
    plan_set: PlanSet,
    synth_dir: Path,
    env: dict,
    *,
    workers: int = 1,
    verbose: bool = False,
    say: Callable[[str], None],
    timings: Optional[dict] = None,
) -> list[str]:
    """`terraform apply <saved plan>` in every stack with changes, in dependency order (reverse for a
    destroy). Terraform refuses a plan the state has moved past (stale): plan again."""
    from ..terraform import Terraform
    from .orchestrator import keep_good_copy, local_state_file, repair_state

    def one(stack, plan_file: Path) -> None:
        tf = Terraform(stack.directory, env=env, progress=say, verbose=verbose)
        if timings is not None:
            timings[stack.name] = tf.timings
        state = local_state_file(stack.directory)
        keep_good_copy(state)
        try:
            tf.init()
            tf.apply_saved(plan_file)
        finally:
            repair_state(state, say)

    applied = apply_plans(plan_set, synth_dir, one, workers=workers)
    if plan_set.deferred:
        say(
            f"{len(plan_set.deferred)} stack(s) deferred, not applied: {', '.join(s.stack for s in plan_set.deferred)}; "
            "run again to plan and review them"
        )
    return applied


__all__ = [
    "BLOCKED",
    "DEFERRED",
    "NotConfirmed",
    "apply_reviewed",
    "confirm_apply",
    "plan_document",
    "render_plan_review",
    "review_plan_set",
    "write_plans",
]
