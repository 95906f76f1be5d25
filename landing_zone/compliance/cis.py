"""CIS AWS Foundations Benchmark v3.0.0: the mapping as data, and coverage for an environment.

Pure Python (no cdktf). Coverage of a recommendation is one of:
- `implemented`: something on in this environment enforces or detects it;
- `available`: the landing zone can, once configured (the hint says how);
- `not covered`: outside what the landing zone builds (workload or process).
`automatable` counts the benchmark's automated recommendations, `manual` its
manual ones (which need a process; the landing zone may support them).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..facts import Facts
from ..guardrails.catalog import catalog
from ..package_data import data_yaml
from .features import FEATURES

DATA_FILE = "cis_aws_foundations_v3.yaml"
KINDS = ("enforced", "detected", "supports")


@dataclass(frozen=True)
class Implementation:
    by: str
    """Feature key (compliance.features) or `guardrail:<control id>`."""
    kind: str
    """enforced, detected or supports."""
    how: str
    test: str = ""
    """`tests/<file>.py::<function>` proving an `enforced` entry on the synthesized example (required for it)."""


@dataclass(frozen=True)
class Recommendation:
    id: str
    title: str
    level: int
    assessment: str
    """automated or manual."""
    security_hub: str | None
    implemented_by: tuple[Implementation, ...]


@dataclass(frozen=True)
class Benchmark:
    name: str
    version: str
    recommendations: tuple[Recommendation, ...]


@lru_cache(maxsize=1)
def benchmark() -> Benchmark:
    """The mapping from the package data (checked when loaded)."""
    data = data_yaml(DATA_FILE)
    recs = []
    for entry in data["controls"]:
        impls = tuple(Implementation(i["by"], i["kind"], i["how"], i.get("test", "")) for i in entry.get("implemented_by") or ())
        for impl in impls:
            if impl.by not in FEATURES or impl.kind not in KINDS:
                raise ValueError(f"{DATA_FILE}: {entry['id']}: unknown feature {impl.by!r} or kind {impl.kind!r}")
            if impl.kind == "enforced" and "::" not in impl.test:
                raise ValueError(
                    f"{DATA_FILE}: {entry['id']}: an enforced entry names the test that proves it (test: file::function)"
                )
        if entry["assessment"] not in ("automated", "manual"):
            raise ValueError(f"{DATA_FILE}: {entry['id']}: assessment must be automated or manual")
        recs.append(
            Recommendation(
                str(entry["id"]), entry["title"], int(entry["level"]), entry["assessment"], entry.get("security_hub"), impls
            )
        )
    ids = [r.id for r in recs]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{DATA_FILE}: recommendation ids repeat")
    return Benchmark(data["benchmark"], str(data["version"]), tuple(recs))


@dataclass(frozen=True)
class Finding:
    """One implementation of a recommendation in this environment."""

    implementation: Implementation
    on: bool
    hint: str
    """How to turn it on (empty when on or when there is nothing to configure)."""


@dataclass(frozen=True)
class RecommendationCoverage:
    recommendation: Recommendation
    findings: tuple[Finding, ...]

    @property
    def status(self) -> str:
        active = [f for f in self.findings if f.on]
        if any(f.implementation.kind in ("enforced", "detected") for f in active):
            return "implemented"
        if active:
            return "supported"
        if self.findings:
            return "available"
        return "not covered"

    @property
    def active(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.on)


@dataclass(frozen=True)
class Coverage:
    benchmark: Benchmark
    items: tuple[RecommendationCoverage, ...]

    def of(self, assessment: str) -> list[RecommendationCoverage]:
        return [i for i in self.items if i.recommendation.assessment == assessment]

    @property
    def automatable(self) -> int:
        return len(self.of("automated"))

    @property
    def manual(self) -> int:
        return len(self.of("manual"))

    @property
    def implemented(self) -> int:
        """Automated recommendations that something on enforces or detects."""
        return sum(1 for i in self.of("automated") if i.status == "implemented")

    def count(self, status: str, assessment: str | None = None) -> int:
        items = self.of(assessment) if assessment else self.items
        return sum(1 for i in items if i.status == status)

    def by_kind(self, kind: str) -> int:
        """Automated recommendations implemented with at least one active implementation of `kind`."""
        return sum(1 for i in self.of("automated") if any(f.implementation.kind == kind for f in i.active))


def guardrail_implementations(facts: Facts) -> dict[str, list[Finding]]:
    """Catalog guardrails that reference a CIS recommendation, on or off in the environment, by recommendation id."""
    on = {c.id for c in facts.enabled_controls}
    out: dict[str, list[Finding]] = {}
    for control in catalog().values():
        for cis_id in (control.references or {}).get("cis", ()) or ():
            kind = "detected" if control.behaviour == "detective" else "enforced"
            impl = Implementation(f"guardrail:{control.id}", kind, f"guardrail {control.id} ({control.title})")
            hint = "" if control.id in on else f"enable guardrails.controls.{control.id}"
            out.setdefault(str(cis_id), []).append(Finding(impl, control.id in on, hint))
    return out


def coverage(facts: Facts) -> Coverage:
    """How much of CIS v3.0.0 the environment's landing zone implements."""
    env = facts.env
    bench = benchmark()
    guardrails = guardrail_implementations(facts)
    items = []
    for rec in bench.recommendations:
        findings = []
        for impl in rec.implemented_by:
            on, hint = FEATURES[impl.by](env)
            findings.append(Finding(impl, on, "" if on else hint))
        findings.extend(guardrails.get(rec.id, ()))
        items.append(RecommendationCoverage(rec, tuple(findings)))
    return Coverage(bench, tuple(items))
