"""`lz drift`: what changed outside terraform, per stack, read with the plan review.

Every stack gets `terraform plan -refresh-only -detailed-exitcode`; its
`resource_drift` (state as recorded -> the real world) becomes a plan the
review reads: recorded state as the prior state, the drift as the changes.
So the review names the accounts, OUs, guardrails and assignments that
drifted, and its danger rules apply. Drift has dangers of its own on top
(`DRIFT_RULES`): an SCP detached outside terraform, and a weakened account
password policy.

Exit status (`DriftReport.exit_code`): 0 no drift, 2 drift, 3 dangerous drift.
A terraform failure is an error of the command (exit 1).
"""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

EXIT_NO_DRIFT, EXIT_DRIFT, EXIT_DANGEROUS = 0, 2, 3
PASSWORD_POLICY = "aws_iam_account_password_policy"
_STRICTER_WHEN_TRUE = (
    "require_lowercase_characters",
    "require_uppercase_characters",
    "require_numbers",
    "require_symbols",
)
_STRICTER_WHEN_HIGHER = ("minimum_password_length", "password_reuse_prevention")


@dataclass(frozen=True)
class DriftedResource:
    stack: str
    address: str
    type: str
    action: str
    """`update` (changed outside terraform) or `delete` (gone)."""
    attributes: tuple[str, ...] = ()
    """Top-level attributes whose value differs from the state (updates)."""


@dataclass(frozen=True)
class DriftDanger:
    rule: str
    message: str
    stack: str
    address: str


@dataclass
class DriftReport:
    stacks: list[str]
    drifted: list[DriftedResource]
    dangers: list[DriftDanger]
    review: Any = None
    """review.review.Review of the drift (None without drift)."""
    errors: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.dangers:
            return EXIT_DANGEROUS
        return EXIT_DRIFT if self.drifted else EXIT_NO_DRIFT

    def summary_line(self) -> str:
        if not self.drifted:
            return f"drift: none in {len(self.stacks)} stack(s)"
        stacks = sorted({d.stack for d in self.drifted})
        line = f"drift: {len(self.drifted)} resource(s) in {len(stacks)} stack(s) ({', '.join(stacks)})"
        if self.dangers:
            line += f"; DANGEROUS: {', '.join(sorted({d.rule for d in self.dangers}))}"
        return line

    def to_json(self) -> dict:
        return {
            "exit_code": self.exit_code,
            "summary": self.summary_line(),
            "stacks": self.stacks,
            "drifted": [d.__dict__ | {"attributes": list(d.attributes)} for d in self.drifted],
            "dangers": [d.__dict__ for d in self.dangers],
            "review": self.review.to_json() if self.review is not None else None,
        }


def _empty(value: Any) -> Any:
    """None for an empty value: an API that returns `{}` where the state has null is no drift."""
    return None if value in (None, "", [], {}) else value


def _changed_keys(before: Any, after: Any) -> tuple[str, ...]:
    if not isinstance(before, dict) or not isinstance(after, dict):
        return ()
    return tuple(sorted(k for k in set(before) | set(after) if _empty(before.get(k)) != _empty(after.get(k))))


# Set by the provider's default_tags (configuration too) without being an expression of the resource.
_CONFIGURED_ELSEWHERE = frozenset({"tags_all"})
_LEAF_KEYS = frozenset({"constant_value", "references"})
_WHOLE: dict = {}
"""The expression of an attribute compared whole (a default tag, or a resource whose configuration is not at hand)."""


def _is_leaf(expression: Any) -> bool:
    """An attribute's expression (`constant_value` / `references`, or `{}` for a computed one), not a block."""
    return isinstance(expression, dict) and set(expression) <= _LEAF_KEYS


def configured_leaves(expression: Any, value: Any) -> Any:
    """`value` cut down to what `expression` (the configuration's `expressions` of a resource or block) sets.

    A nested block's expression is a dict of its attributes' expressions (a list of them for a list or
    set of blocks): the provider fills in the block's other attributes from what the API returns (a stack
    set instance's `deployment_targets.accounts`, an encryption rule's `bucket_key_enabled`), and a refresh
    reads those again, so comparing the whole block reports drift nobody made. Blocks of a list or set are
    compared in order-free form; empty values are None.
    """
    if _is_leaf(expression):
        return _empty(value)
    if isinstance(expression, list):
        template: dict = {}
        for block in expression:
            if isinstance(block, dict):
                template = {**block, **template}
        items = value if isinstance(value, list) else ([] if value is None else [value])
        return _empty(sorted((configured_leaves(template, v) for v in items), key=lambda v: json.dumps(v, sort_keys=True)))
    if isinstance(expression, dict):
        if isinstance(value, list) and len(value) == 1:  # a single block the provider keeps as a list of one
            value = value[0]
        got = value if isinstance(value, dict) else {}
        cut = {k: configured_leaves(e, got.get(k)) for k, e in expression.items()}
        return cut if any(v is not None for v in cut.values()) else None
    return _empty(value)


def configured_attributes(plan: dict) -> dict[str, dict[str, Any]]:
    """What each managed resource of the root module sets in its configuration, by address: attribute
    name -> its expression (nested blocks down to the attributes they set).

    What the code does not set is the provider's to compute and the world's to change: an OU's
    `accounts` list, recorded when the OU was created (empty) and read again once accounts have
    moved in, differs in every refresh after the first deploy, on AWS as on the local API.
    """
    resources = ((plan.get("configuration") or {}).get("root_module") or {}).get("resources") or ()
    return {
        r["address"]: {**(r.get("expressions") or {}), **dict.fromkeys(_CONFIGURED_ELSEWHERE, _WHOLE)}
        for r in resources
        if r.get("mode", "managed") == "managed" and "address" in r
    }


def drifted_keys(entry: dict, configured: dict[str, dict[str, Any]]) -> tuple[str, ...]:
    """The attributes of an updated resource whose configured values drifted, down to the nested leaves
    the configuration sets (every drifted attribute, whole, when the configuration is not at hand, as
    for a resource inside a module)."""
    change = entry.get("change") or {}
    before, after = change.get("before"), change.get("after")
    keys = _changed_keys(before, after)
    wanted = configured.get(f"{entry.get('type')}.{entry.get('name')}") if not entry.get("module_address") else None
    if wanted is None or not isinstance(before, dict) or not isinstance(after, dict):
        return keys
    return tuple(
        k
        for k in keys
        if k in wanted and configured_leaves(wanted[k], before.get(k)) != configured_leaves(wanted[k], after.get(k))
    )


def _is_drift(entry: dict, configured: dict[str, dict[str, Any]]) -> bool:
    actions = (entry.get("change") or {}).get("actions")
    if actions in (None, ["no-op"]):
        return False
    if actions == ["update"]:  # null versus empty, or only values the code does not set: not drift
        return bool(drifted_keys(entry, configured))
    return True


def drift_as_plan(plan: dict) -> dict:
    """A refresh-only plan's drift as a plan for the review: prior state = the state as recorded
    (before the refresh), changes = the drift."""
    configured = configured_attributes(plan)
    drift = [d for d in plan.get("resource_drift") or () if _is_drift(d, configured)]
    prior = copy.deepcopy(plan.get("prior_state") or {"values": {"root_module": {"resources": []}}})
    root = prior.setdefault("values", {}).setdefault("root_module", {})
    resources = root.setdefault("resources", [])
    by_address = {r.get("address"): r for r in resources}
    for entry in drift:
        change = entry["change"]
        recorded = {
            "address": entry["address"],
            "mode": entry.get("mode", "managed"),
            "type": entry["type"],
            "name": entry.get("name", ""),
            "values": change.get("before") or {},
            "sensitive_values": change.get("before_sensitive") or {},
        }
        if entry["address"] in by_address:
            by_address[entry["address"]].update(recorded)
        else:
            resources.append(recorded)
    return {
        "format_version": plan.get("format_version", "1.2"),
        "terraform_version": plan.get("terraform_version", ""),
        "resource_changes": drift,
        "prior_state": prior,
        "configuration": plan.get("configuration") or {},
    }


def _weakened_password_policy(before: dict, after: Optional[dict]) -> str | None:
    if after is None:
        return "the account password policy was deleted outside terraform"
    weaker = [k for k in _STRICTER_WHEN_TRUE if before.get(k) and not after.get(k)]
    weaker += [k for k in _STRICTER_WHEN_HIGHER if (after.get(k) or 0) < (before.get(k) or 0)]
    if (
        (before.get("max_password_age") or 0)
        and (after.get("max_password_age") or 0) in (0, None)
        or ((after.get("max_password_age") or 0) > (before.get("max_password_age") or 0) > 0)
    ):
        weaker.append("max_password_age")
    if not weaker:
        return None
    shown = ", ".join(f"{k} {before.get(k)!r} -> {after.get(k)!r}" for k in weaker)
    return f"the account password policy was weakened outside terraform: {shown}"


def drift_dangers(stack: str, drift: list[dict]) -> list[DriftDanger]:
    """The drift-only danger rules: `scp-detached`, `password-policy-weakened`."""
    out = []
    for entry in drift:
        change, rtype = entry.get("change") or {}, entry.get("type")
        actions, before = change.get("actions") or [], change.get("before") or {}
        if rtype == "aws_organizations_policy_attachment" and "delete" in actions:
            message = (
                f"SCP {before.get('policy_id', '?')} was detached from {before.get('target_id', '?')} outside terraform: "
                "its guardrails no longer apply there"
            )
            out.append(DriftDanger("scp-detached", message, stack, entry["address"]))
        elif rtype == PASSWORD_POLICY and actions != ["no-op"]:
            reason = _weakened_password_policy(before, None if "delete" in actions else change.get("after") or {})
            if reason:
                out.append(DriftDanger("password-policy-weakened", reason, stack, entry["address"]))
    return out


def detect_drift(
    synth_dir: Path,
    env: dict,
    *,
    only: Optional[list[str]] = None,
    workers: int = 1,
    verbose: bool = False,
    say: Callable[[str], None] = lambda message: None,
) -> DriftReport:
    """Refresh-only plans of every stack (read-only: nothing is written to the state) and their review."""
    from ..review.manifest import MANIFEST_FILE, read_manifest
    from ..review.plans import load_plans
    from ..review.review import build_review
    from ..terraform import Terraform
    from ..terraform.stacks import deploy_order, load_stacks, run_stacks

    order = deploy_order(load_stacks(synth_dir), only=only)
    work = Path(tempfile.mkdtemp(prefix="lz-drift-"))
    drifted: dict[str, list[DriftedResource]] = {}
    dangers: dict[str, list[DriftDanger]] = {}
    files: dict[str, Path] = {}
    try:

        def one(stack) -> None:
            tf = Terraform(stack.directory, env=env, progress=say, verbose=verbose)
            tf.init()
            plan_file = work / f"{stack.name}.tfplan"
            tf.plan_to(plan_file, refresh_only=True)
            refreshed = tf.show_plan(plan_file)
            configured = configured_attributes(refreshed)
            plan = drift_as_plan(refreshed)
            drift = plan["resource_changes"]
            drifted[stack.name] = [
                DriftedResource(
                    stack.name,
                    d["address"],
                    d["type"],
                    "delete" if "delete" in d["change"]["actions"] else "update",
                    drifted_keys(d, configured),
                )
                for d in drift
            ]
            dangers[stack.name] = drift_dangers(stack.name, drift)
            if drift:
                files[stack.name] = work / f"{stack.name}.json"
                files[stack.name].write_text(json.dumps(plan), encoding="utf-8")
            say(f"[{stack.name}] {len(drift)} resource(s) drifted" if drift else f"[{stack.name}] no drift")

        run_stacks(order, one, workers=workers)
        review = None
        if files:
            manifest_file = Path(synth_dir) / MANIFEST_FILE
            manifest = read_manifest(manifest_file) if manifest_file.is_file() else None
            review = build_review(load_plans([f"{name}={path}" for name, path in files.items()], manifest), manifest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    names = [s.name for s in order]
    report = DriftReport(
        names,
        [d for name in names for d in drifted.get(name, [])],
        [d for name in names for d in dangers.get(name, [])],
        review,
    )
    if review is not None:  # the plan review's own danger rules (an account or OU gone, a mandatory guardrail detached)
        report.dangers.extend(DriftDanger(d.rule, d.message, d.stack, d.address) for d in review.dangers)
    return report


def drift_document(report: DriftReport):
    """The drift report (render.Document): what drifted, the dangers, then the plan review's text."""
    from ..render import Document

    doc = Document()
    doc.heading("Drift: changes made outside terraform")
    doc.paragraph(report.summary_line())
    if report.dangers:
        doc.heading("Dangerous drift")
        doc.bullets([f"[{d.rule}] {d.stack}: {d.address}: {d.message}" for d in report.dangers])
    if report.drifted:
        doc.table(
            ["stack", "resource", "drift", "attributes"],
            [
                [d.stack, d.address, "deleted" if d.action == "delete" else "changed", ", ".join(d.attributes)]
                for d in report.drifted
            ],
        )
    return doc


def render_drift(report: DriftReport, fmt: str) -> str:
    from ..render import dumps_json
    from ..review.render import render

    if fmt == "json":
        return dumps_json(report.to_json())
    doc = drift_document(report)
    text = doc.to_markdown() if fmt == "markdown" else doc.to_text()
    if report.review is not None:
        text = text.rstrip("\n") + "\n\n" + render(report.review, fmt)
    return text if text.endswith("\n") else text + "\n"
