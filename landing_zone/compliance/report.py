"""CIS coverage as a report (text, markdown) or JSON, for `lz guardrails ENV --cis`."""

from __future__ import annotations

from ..render import Document, render
from .cis import Coverage, RecommendationCoverage


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "n/a"


def summary_lines(cov: Coverage) -> list[str]:
    b = cov.benchmark
    manual = cov.of("manual")
    supported = sum(1 for i in manual if i.active)
    available = [i for i in cov.of("automated") if i.status == "available"]
    lines = [
        f"{b.name} v{b.version}: {len(cov.items)} recommendations",
        f"implemented {cov.implemented} of {cov.automatable} automatable ({_percent(cov.implemented, cov.automatable)}): "
        f"{cov.by_kind('enforced')} enforced by the landing zone, {cov.by_kind('detected')} detected (Config rules, Security Hub)",
        f"available {len(available)} more by configuration; {cov.count('not covered', 'automated')} automatable outside the landing zone",
        f"manual {cov.manual} (need a process; the landing zone supports {supported})",
    ]
    return lines


def _by(item: RecommendationCoverage) -> str:
    if item.active:
        return "; ".join(f"{f.implementation.how} [{f.implementation.kind}]" for f in item.active)
    hints = sorted({f.hint for f in item.findings if f.hint})
    return ("to turn on: " + " or ".join(hints)) if hints else ""


def as_dict(cov: Coverage) -> dict:
    return {
        "benchmark": cov.benchmark.name,
        "version": cov.benchmark.version,
        "summary": {
            "recommendations": len(cov.items),
            "automatable": cov.automatable,
            "implemented": cov.implemented,
            "enforced": cov.by_kind("enforced"),
            "detected": cov.by_kind("detected"),
            "available": cov.count("available", "automated"),
            "manual": cov.manual,
            "manual_supported": sum(1 for i in cov.of("manual") if i.active),
        },
        "recommendations": [
            {
                "id": i.recommendation.id,
                "title": i.recommendation.title,
                "level": i.recommendation.level,
                "assessment": i.recommendation.assessment,
                "security_hub": i.recommendation.security_hub,
                "status": i.status,
                "implemented_by": [
                    {
                        "by": f.implementation.by,
                        "kind": f.implementation.kind,
                        "how": f.implementation.how,
                        "on": f.on,
                        "hint": f.hint,
                    }
                    for f in i.findings
                ],
            }
            for i in cov.items
        ],
    }


def coverage_document(cov: Coverage) -> Document:
    """The coverage report: summary lines, then one row per recommendation."""
    headers = ("id", "level", "assessment", "status", "by (or how to turn it on)")
    rows = [(i.recommendation.id, i.recommendation.level, i.recommendation.assessment, i.status, _by(i)) for i in cov.items]
    return Document().bullets(summary_lines(cov)).table(headers, rows)


def render_coverage(cov: Coverage, fmt: str = "text") -> str:
    return render(coverage_document(cov), fmt, data=as_dict(cov))
