"""The synthesized stacks of a cdktf output folder, in dependency order.

cdktf writes `manifest.json` with each stack's folder and the stacks it
depends on (cross-stack references). Deploy walks that order; destroy walks
it backwards; `run_stacks` runs independent stacks side by side.
"""

from __future__ import annotations

import json
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Callable


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


def run_stacks(
    order: list[Stack],
    action: Callable[[Stack], None],
    workers: int = 1,
    reverse: bool = False,
    unlimited: frozenset[str] = frozenset(),
) -> None:
    """Call `action(stack)` for every stack as soon as what it waits for is done, `workers` at a time; the
    `unlimited` stacks (mostly a provider's fixed wait, no CPU) start when ready, beside that limit.

    Forward, a stack waits for its dependencies; with `reverse` (destroy) it
    waits for every stack that depends on it. When several are ready, the one
    with the longest chain of stacks waiting behind it starts first (the
    critical path: the network stack before an account stack that nothing
    waits for), then in `order`. After a failure nothing new starts; the
    running ones finish and the first error is raised.
    """
    names = {s.name for s in order}
    if reverse:
        waits = {s.name: {t.name for t in order if s.name in t.dependencies} for s in order}
    else:
        waits = {s.name: {d for d in s.dependencies if d in names} for s in order}
    pending = list(reversed(order) if reverse else order)
    chain = _chain_lengths(pending, waits)
    pending.sort(key=lambda s: -chain[s.name])  # stable: `order` among equals
    done: set[str] = set()
    running: dict = {}
    failure: BaseException | None = None
    with ThreadPoolExecutor(max_workers=max(1, workers) + len(unlimited)) as pool:
        while pending or running:
            if failure is None:
                for stack in [s for s in pending if waits[s.name] <= done]:
                    busy = sum(1 for s in running.values() if s.name not in unlimited)
                    if busy >= max(1, workers) and stack.name not in unlimited:
                        continue
                    running[pool.submit(action, stack)] = stack
                    pending.remove(stack)
            if not running:
                break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                stack = running.pop(future)
                if future.exception() is not None:
                    failure = failure or future.exception()
                else:
                    done.add(stack.name)
    if failure is not None:
        raise failure
    if pending:
        raise StackOrderError(f"stacks never became ready: {', '.join(s.name for s in pending)}")


def _chain_lengths(stacks: list[Stack], waits: dict[str, set[str]]) -> dict[str, int]:
    """For each stack, the length of the longest chain of stacks that wait (directly or not) on it.

    `stacks` lists every stack after all it waits for, as run_stacks walks them."""
    behind: dict[str, list[str]] = {s.name: [] for s in stacks}
    for name, before in waits.items():
        for other in before:
            behind[other].append(name)
    chain: dict[str, int] = {}
    for stack in reversed(stacks):  # everything waiting on a stack comes after it
        chain[stack.name] = max((chain[n] + 1 for n in behind[stack.name]), default=0)
    return chain
