"""SCP packing: the statements of one target, merged, minified and packed into
as few policies as fit the quotas (slots per target, characters per policy).

- Merge: identical statements are kept once, whichever controls they come
  from (Control Tower's four identical CloudTrail statements collapse to one:
  each of those controls denies exactly what it does). Statements of ONE
  control that differ only in `Action` become one statement with the union of
  the actions, unless the union would not fit one policy. Statements of different controls never merge otherwise, so a
  statement's Sid always names a control that denies every request it denies.
  The statement remembers every contributing control.
- Minify: no whitespace, one-element lists written as the element.
- Pack: first-fit decreasing, then an exact search when that used more
  policies than the size lower bound (bounded; the statement counts here are
  small).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

POLICY_VERSION = "2012-10-17"
_KEY_ORDER = ("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition")
SEARCH_BUDGET = 20000  # nodes of the exact search; FFD's result stands when it runs out


@dataclass(frozen=True)
class SourceStatement:
    """One statement of one control, before merging."""

    control_id: str
    statement: dict


@dataclass
class Statement:
    """A statement as packed: its minified text and the controls behind it."""

    body: dict
    controls: tuple[str, ...]
    order: int  # position of its first contributor, for a stable reading order
    sources: list[SourceStatement] = field(default_factory=list)  # what was merged into it

    @property
    def sid(self) -> str:
        return self.body["Sid"]

    @property
    def text(self) -> str:
        return minify(self.body)

    @property
    def size(self) -> int:
        return len(self.text)


@dataclass
class PackedPolicy:
    statements: list[Statement]

    @property
    def document(self) -> dict:
        return {"Version": POLICY_VERSION, "Statement": [s.body for s in self.statements]}

    @property
    def content(self) -> str:
        return minify(self.document)

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def control_ids(self) -> list[str]:
        seen: dict[str, None] = {}
        for s in self.statements:
            seen.update(dict.fromkeys(s.controls))
        return list(seen)


@dataclass
class PackResult:
    """The policies of one target, or why they do not fit."""

    policies: list[PackedPolicy] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    fits: bool = True
    needed: int = 0  # policies needed when it does not fit (0 when a statement alone is too big)


def _canonical(value: Any) -> Any:
    """Sorted, de-duplicated lists; one-element lists as their element."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        items = sorted({json.dumps(_canonical(v), sort_keys=True) for v in value})
        out = [json.loads(i) for i in items]
        return out[0] if len(out) == 1 else out
    return value


def normalize(statement: dict) -> dict:
    """The statement in canonical form, keys in the conventional order."""
    body = {k: _canonical(statement[k]) for k in _KEY_ORDER if k in statement}
    body.update({k: _canonical(v) for k, v in statement.items() if k not in body})
    if "Condition" in body:
        body["Condition"] = {op: dict(sorted(keys.items())) for op, keys in sorted(body["Condition"].items())}
    return body


def minify(document: Any) -> str:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, list) else [value]


def merge(sources: Sequence[SourceStatement], capacity: int | None = None) -> list[Statement]:
    """Drop exact duplicates; merge one control's statements that differ only in Action, as long as the
    merged statement still fits one policy of `capacity` characters (statements that each fit never
    become one that does not)."""
    groups: dict[str, Statement] = {}
    identical: dict[str, Statement] = {}
    out: list[Statement] = []
    for order, src in enumerate(sources):
        body = normalize(src.statement)
        whole = minify({k: v for k, v in body.items() if k != "Sid"})
        rest = {k: v for k, v in body.items() if k not in ("Sid", "Action")}
        key = minify(
            {
                "control": src.control_id,
                "mergeable": "Action" in body,
                **(rest if "Action" in body else {**rest, "NotAction": body.get("NotAction")}),
            }
        )
        target = identical.get(whole)
        if target is None and key in groups and "Action" in body:
            grouped = groups[key]
            union = _canonical(_as_list(grouped.body["Action"]) + _as_list(body["Action"]))
            if capacity is None or policy_size([len(minify({**grouped.body, "Action": union}))]) <= capacity:
                target = grouped
        if target is not None:
            if "Action" in body:
                target.body["Action"] = _canonical(_as_list(target.body["Action"]) + _as_list(body["Action"]))
            if src.control_id not in target.controls:
                target.controls += (src.control_id,)
            target.sources.append(src)
            continue
        stmt = Statement(body, (src.control_id,), order, [src])
        groups[key] = stmt
        identical[whole] = stmt
        out.append(stmt)
    return out


def overhead() -> int:
    """Characters of an empty policy document."""
    return len(minify({"Version": POLICY_VERSION, "Statement": []}))


def policy_size(sizes: Iterable[int]) -> int:
    sizes = list(sizes)
    return overhead() + sum(sizes) + max(len(sizes) - 1, 0)


def _ffd(items: list[Statement], capacity: int) -> list[list[Statement]]:
    bins: list[list[Statement]] = []
    used: list[int] = []
    for item in sorted(items, key=lambda s: (-s.size, s.order)):
        cost = item.size + 1  # its comma
        for i, u in enumerate(used):
            if u + cost <= capacity:
                bins[i].append(item)
                used[i] += cost
                break
        else:
            bins.append([item])
            used.append(overhead() + item.size)
    return bins


def _exact(items: list[Statement], capacity: int, count: int) -> list[list[Statement]] | None:
    """Items in `count` bins if that is possible within the search budget."""
    ordered = sorted(items, key=lambda s: (-s.size, s.order))
    used = [overhead() - 1] * count  # the first statement has no comma
    bins: list[list[Statement]] = [[] for _ in range(count)]
    budget = [SEARCH_BUDGET]

    def place(i: int) -> bool:
        if i == len(ordered):
            return True
        budget[0] -= 1
        if budget[0] < 0:
            return False
        cost = ordered[i].size + 1
        tried = set()
        for b in range(count):
            if used[b] in tried or used[b] + cost > capacity:
                continue  # bins with the same fill are interchangeable
            tried.add(used[b])
            used[b] += cost
            bins[b].append(ordered[i])
            if place(i + 1):
                return True
            used[b] -= cost
            bins[b].pop()
        return False

    return bins if place(0) else None


def pack(sources: Sequence[SourceStatement], slots: int, capacity: int) -> PackResult:
    """Pack one target's statements into at most `slots` policies of `capacity` characters."""
    statements = merge(sources, capacity)
    if not statements:
        return PackResult([], [], True, 0)
    if any(policy_size([s.size]) > capacity for s in statements):
        return PackResult([], statements, False, 0)
    bins = _ffd(statements, capacity)
    total = policy_size(s.size for s in statements)
    lower = max(1, math.ceil((total - overhead()) / (capacity - overhead())))
    for count in range(lower, len(bins)):
        better = _exact(statements, capacity, count)
        if better is not None:
            bins = [b for b in better if b]
            break
    policies = [PackedPolicy(sorted(b, key=lambda s: s.order)) for b in bins]
    policies.sort(key=lambda p: p.statements[0].order)
    return PackResult(policies, statements, len(policies) <= slots, len(policies))
