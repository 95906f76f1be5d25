"""The synthesized stacks of a cdktf output folder, in dependency order.

cdktf writes `manifest.json` with each stack's folder and the stacks it
depends on (cross-stack references). Deploy walks that order; destroy walks
it backwards.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


class StackOrderError(ValueError):
    """The output folder has no usable manifest or the stacks form a cycle."""


@dataclass(frozen=True)
class Stack:
    name: str
    directory: Path
    dependencies: tuple[str, ...]


def load_stacks(out_dir: str | Path) -> dict[str, Stack]:
    out = Path(out_dir)
    manifest = out / "manifest.json"
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StackOrderError(f"{manifest}: not found; synthesize first (`lz synth ENV --out {out}`)") from None
    except json.JSONDecodeError as exc:
        raise StackOrderError(f"{manifest}: not JSON ({exc})") from None
    stacks = {}
    for name, entry in sorted(data.get("stacks", {}).items()):
        folder = out / entry.get("workingDirectory", f"stacks/{name}")
        stacks[name] = Stack(name, folder, tuple(entry.get("dependencies") or ()))
    if not stacks:
        raise StackOrderError(f"{manifest}: lists no stacks")
    return stacks


def deploy_order(stacks: dict[str, Stack], only: list[str] | None = None) -> list[Stack]:
    """Stacks with every dependency before its dependents (ties by name, so stable).

    `only` keeps the named stacks (still in dependency order); an unknown
    name is an error that lists the known ones.
    """
    order: list[Stack] = []
    placed: set[str] = set()
    pending = dict(stacks)
    while pending:
        ready = [s for s in pending.values() if all(d in placed or d not in stacks for d in s.dependencies)]
        if not ready:
            raise StackOrderError(f"stacks depend on each other in a cycle: {', '.join(sorted(pending))}")
        for stack in sorted(ready, key=lambda s: s.name):
            order.append(stack)
            placed.add(stack.name)
            del pending[stack.name]
    if only:
        unknown = sorted(set(only) - set(stacks))
        if unknown:
            raise StackOrderError(f"unknown stack(s) {', '.join(unknown)}; the stacks are: {', '.join(s.name for s in order)}")
        order = [s for s in order if s.name in set(only)]
    return order
