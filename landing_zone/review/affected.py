"""Which stacks a change touches: two synth folders compared, in dependency waves.

`lz affected BASE HEAD` and the CI workflows use it so that a pull request
plans only what it changes. A stack is affected when its synthesized JSON
changed (or it is new), and so is every stack that depends on an affected
one: its plan reads the changed stack's outputs. Stacks only in BASE are
listed as removed (their destroy is a reviewed, separate step).

Waves: a stack's wave is one more than the highest wave of the affected
stacks it depends on (0 when it depends on none of them), so the stacks of
one wave never depend on each other and run side by side; wave N starts when
wave N-1 is done. Each wave is cut into at most `max_jobs` chunks (GitHub
allows 256 jobs per matrix, GitLab 200 per parallel job), stacks kept in
deploy order within a chunk.

A stack is its whole folder: cdk.tf.json, imports.tf (the import blocks
synth writes beside it), assets, any other file synth put there. Two stack
folders are equal when they hold the same files (by relative path) with equal
contents: JSON files equal as JSON, every other file byte for byte. What
terraform itself leaves in a folder it ran in (`.terraform/`,
`.terraform.lock.hcl`, state and plan files) is not synthesized output and is
not compared. One exception to equal-as-JSON: a local backend's `path` is
relative to the stack's folder, so two folders synthesized at different
depths name the same state file differently; such paths are equal when they
resolve to the same file.
Pure Python (no cdktf): reading 2 x 1,000 stacks is file I/O and json.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..terraform.stacks import Stack, StackOrderError, deploy_order, load_stacks

MAX_JOBS = 256
"""GitHub Actions' limit of jobs per matrix."""


class AffectedError(ValueError):
    """A folder is not a synth output (no usable manifest.json, unreadable stack JSON)."""


@dataclass(frozen=True)
class AffectedStack:
    name: str
    reason: str
    """'changed', 'added', or 'depends on X' (the first affected dependency)."""
    wave: int


@dataclass
class Affected:
    stacks: list[AffectedStack]
    """Affected stacks of HEAD, in deploy order."""
    removed: list[str]
    unchanged: list[str]
    max_jobs: int = MAX_JOBS
    waves: list[list[list[str]]] = field(default_factory=list)
    """waves[w] = chunks of wave w; each chunk a list of stack names."""

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stacks]

    def to_json(self) -> dict:
        return {
            "stacks": [{"name": s.name, "reason": s.reason, "wave": s.wave} for s in self.stacks],
            "removed": self.removed,
            "unchanged": len(self.unchanged),
            "max_jobs": self.max_jobs,
            "waves": [
                [{"chunk": f"{w}-{i}", "stacks": " ".join(chunk)} for i, chunk in enumerate(chunks)]
                for w, chunks in enumerate(self.waves)
            ],
        }


STACK_FILE = "cdk.tf.json"


def terraform_working_file(relative: str) -> bool:
    """True for what terraform writes into a folder it runs in (not synthesized output)."""
    first, _, _ = relative.partition("/")
    name = relative.rsplit("/", 1)[-1]
    return (
        first.startswith(".terraform")  # .terraform/ (providers, modules), .terraform.lock.hcl, .terraform.tfstate.lock.info
        or first == "terraform.tfstate.d"
        or ".tfstate" in name
        or name.endswith(".tfplan")
        or name == "tfplan"
    )


def stack_files(folder: Path) -> dict[str, Path]:
    """Every synthesized file of a stack folder by its path relative to the folder ('/'-separated)."""
    files: dict[str, Path] = {}
    for root, dirs, names in os.walk(folder):
        base = Path(root)
        prefix = base.relative_to(folder).as_posix()
        dirs[:] = sorted(d for d in dirs if not terraform_working_file(d if prefix == "." else f"{prefix}/{d}"))
        for name in names:
            relative = name if prefix == "." else f"{prefix}/{name}"
            if not terraform_working_file(relative) and (base / name).is_file():
                files[relative] = base / name
    if STACK_FILE not in files:
        raise AffectedError(f"{folder / STACK_FILE}: not found (an incomplete synth output?)")
    return files


def _json(path: Path) -> object:
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise AffectedError(f"{path}: unreadable ({exc})") from None


def _local_backend(data: object) -> dict | None:
    if not isinstance(data, dict):
        return None
    local = (data.get("terraform") or {}).get("backend", {}).get("local")
    return local if isinstance(local, dict) and isinstance(local.get("path"), str) else None


def _same_json(before_path: Path, after_path: Path) -> bool:
    before, after = _json(before_path), _json(after_path)
    old, new = _local_backend(before), _local_backend(after)
    if old is not None and new is not None and old["path"] != new["path"]:
        # the same state file, named from two folders at different depths
        if (before_path.parent / old["path"]).resolve() == (after_path.parent / new["path"]).resolve():
            old["path"] = new["path"]
    return before == after


def _same_file(relative: str, before: Path, after: Path) -> bool:
    try:
        if before.read_bytes() == after.read_bytes():
            return True  # the common case at scale: no parse needed
    except OSError as exc:
        raise AffectedError(f"{exc.filename or before}: unreadable ({exc.strerror or exc})") from None
    return relative.endswith(".json") and _same_json(before, after)


def _same(base: Stack, head: Stack) -> bool:
    """Whether two stack folders hold the same synthesized files (see the module's doc)."""
    before, after = stack_files(base.directory), stack_files(head.directory)
    if before.keys() != after.keys():
        return False
    # cdk.tf.json first: the file that changes most often decides without reading the rest
    names = sorted(before, key=lambda relative: (relative != STACK_FILE, relative))
    return all(_same_file(relative, before[relative], after[relative]) for relative in names)


def _load(folder: str | Path) -> dict[str, Stack]:
    try:
        return load_stacks(folder)
    except StackOrderError as exc:
        raise AffectedError(str(exc)) from None


def chunks(names: list[str], max_jobs: int) -> list[list[str]]:
    """`names` cut into at most `max_jobs` contiguous chunks of near-equal size, order kept."""
    if not names:
        return []
    count = min(len(names), max_jobs)
    size, extra = divmod(len(names), count)
    out, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        out.append(names[start:end])
        start = end
    return out


def waves_of(affected: list[AffectedStack], max_jobs: int) -> list[list[list[str]]]:
    if not affected:
        return []
    depth = max(s.wave for s in affected) + 1
    return [chunks([s.name for s in affected if s.wave == w], max_jobs) for w in range(depth)]


def affected_stacks(base: str | Path | None, head: str | Path, max_jobs: int = MAX_JOBS) -> Affected:
    """Compare the synth folders BASE and HEAD (BASE None: every stack of HEAD is affected, as 'added')."""
    if max_jobs < 1:
        raise AffectedError(f"max jobs must be at least 1, not {max_jobs}")
    head_stacks = _load(head)
    base_stacks = _load(base) if base is not None else {}
    try:
        order = deploy_order(head_stacks)
    except StackOrderError as exc:
        raise AffectedError(str(exc)) from None
    result: dict[str, AffectedStack] = {}
    unchanged = []
    for stack in order:
        before = base_stacks.get(stack.name)
        touched = [d for d in stack.dependencies if d in result]
        wave = 1 + max(result[d].wave for d in touched) if touched else 0
        if before is None:
            result[stack.name] = AffectedStack(stack.name, "added", wave)
        elif not _same(before, stack):
            result[stack.name] = AffectedStack(stack.name, "changed", wave)
        elif touched:
            result[stack.name] = AffectedStack(stack.name, f"depends on {touched[0]}", wave)
        else:
            unchanged.append(stack.name)
    stacks = list(result.values())
    removed = sorted(set(base_stacks) - set(head_stacks))
    return Affected(stacks, removed, unchanged, max_jobs, waves_of(stacks, max_jobs))


def github_outputs(affected: Affected, waves: int) -> list[str]:
    """`key=value` lines for $GITHUB_OUTPUT: `wave_N` (a matrix include list) and `count_N` per wave up to `waves`."""
    data = affected.to_json()["waves"]
    if len(data) > waves:
        raise AffectedError(
            f"the change needs {len(data)} dependency waves but the workflow has {waves}; render it again (`lz ci-workflow`)"
        )
    lines = [f"stacks={json.dumps(affected.names)}", f"any={'true' if affected.stacks else 'false'}"]
    for w in range(waves):
        chunks_w = data[w] if w < len(data) else []
        lines.append(f"wave_{w}={json.dumps(chunks_w, separators=(',', ':'))}")
        lines.append(f"count_{w}={len(chunks_w)}")
    return lines


def environment_name(folder: str | Path) -> str:
    """The environment a synth folder was made from (lz-manifest.json), or the folder's name."""
    try:
        data = json.loads((Path(folder) / "lz-manifest.json").read_bytes())
        name = data["environment"]["name"]
        if isinstance(name, str) and name:
            return name
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return Path(folder).resolve().name


def document(affected: Affected, base: str, head: str):
    """The report `lz affected` prints (text or markdown)."""
    from ..render import Document

    doc = Document()
    doc.heading(f"Affected stacks: {base} -> {head}")
    if not affected.stacks and not affected.removed:
        doc.paragraph(f"No stack changed ({len(affected.unchanged)} unchanged).")
        return doc
    doc.paragraph(
        f"{len(affected.stacks)} affected in {len(affected.waves)} wave(s), "
        f"{len(affected.removed)} removed, {len(affected.unchanged)} unchanged."
    )
    doc.table(("wave", "stack", "why"), [(s.wave, s.name, s.reason) for s in affected.stacks])
    if affected.removed:
        doc.paragraph("Removed (only in the base; destroying them is a separate, reviewed step): " + ", ".join(affected.removed))
    return doc
