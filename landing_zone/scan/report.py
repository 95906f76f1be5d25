"""The gate's result: per-stack counts, every failed check, config skips; text or JSON."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..render import Document
from .checkov_config import CheckovConfig
from .cross_stack import LIFECYCLE_CHECK, lifecycle_elsewhere
from .stacks import StackFile


@dataclass
class StackCounts:
    stack: str
    file: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0


@dataclass
class Finding:
    check_id: str
    check_name: str
    resource: str
    stack: str
    file: str
    lines: list[int]
    details: list[str]
    guideline: str

    def location(self) -> str:
        if len(self.lines) == 2:
            return (
                f"{self.file}:{self.lines[0]}-{self.lines[1]}"
                if self.lines[0] != self.lines[1]
                else f"{self.file}:{self.lines[0]}"
            )
        return self.file


@dataclass
class ScanResult:
    directory: str
    config: str
    checkov_version: str
    seconds: float
    stacks: list[StackCounts]
    failures: list[Finding]
    skips: list[dict[str, str]]
    parsing_errors: list[str] = field(default_factory=list)
    sarif: str | None = None
    # check id -> {"passed", "failed", "skipped"} counts: shows which checks ran at all
    checks: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.failures and not self.parsing_errors

    def exit_code(self) -> int:
        return 0 if self.passed else 1

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["result"] = "pass" if self.passed else "fail"
        data["totals"] = {k: sum(getattr(s, k) for s in self.stacks) for k in ("passed", "failed", "skipped")}
        return data


def _display(path: Path) -> str:
    """Relative to the working directory when inside it, else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def build(
    directory: Path,
    stacks: list[StackFile],
    report: dict[str, Any],
    config: CheckovConfig,
    seconds: float,
    sarif: Path | None = None,
) -> ScanResult:
    by_file = {str(s.path.resolve()): s for s in stacks}
    counts = {str(s.path.resolve()): StackCounts(s.name, _display(s.path)) for s in stacks}
    results = report.get("results", {}) or {}
    failures: list[Finding] = []
    checks: dict[str, dict[str, int]] = {}

    def stack_of(record: dict[str, Any]) -> tuple[str, StackFile | None]:
        # file_path is "/<path relative to the scanned dir>"
        path = str((directory / record.get("file_path", "").lstrip("/")).resolve())
        return path, by_file.get(path)

    # A bucket whose lifecycle configuration a lifecycle stack holds passes CKV2_AWS_61 (scan/cross_stack.py).
    elsewhere = lifecycle_elsewhere(stacks)

    def held_elsewhere(record: dict[str, Any], stack: StackFile | None) -> bool:
        if record.get("check_id") != LIFECYCLE_CHECK or stack is None:
            return False
        lines = record.get("file_line_range") or [0]
        kind, _, name = stack.address(record.get("resource", ""), lines[0]).partition(".")
        return kind == "aws_s3_bucket" and (stack.name, name) in elsewhere

    for key, outcome in (("passed_checks", "passed"), ("failed_checks", "failed"), ("skipped_checks", "skipped")):
        for record in results.get(key, []) or []:
            path, stack = stack_of(record)
            attr = "passed" if outcome == "failed" and held_elsewhere(record, stack) else outcome
            row = counts.setdefault(path, StackCounts(Path(path).parent.name, _display(Path(path))))
            setattr(row, attr, getattr(row, attr) + 1)
            per_check = checks.setdefault(record.get("check_id", ""), {"passed": 0, "failed": 0, "skipped": 0})
            per_check[attr] += 1
            if attr != "failed":
                continue
            lines = list(record.get("file_line_range") or [])
            resource = record.get("resource", "")
            if stack is not None:
                resource = stack.address(resource, lines[0] if lines else 0)
            failures.append(
                Finding(
                    check_id=record.get("check_id", ""),
                    check_name=record.get("check_name", ""),
                    resource=resource,
                    stack=row.stack,
                    file=row.file,
                    lines=lines,
                    details=[str(d) for d in record.get("details") or []],
                    guideline=record.get("guideline") or "",
                )
            )
    failures.sort(key=lambda f: (f.stack, f.check_id, f.resource))
    return ScanResult(
        directory=_display(directory),
        config=_display(config.path),
        checkov_version=str((report.get("summary") or {}).get("checkov_version", "")),
        seconds=round(seconds, 1),
        stacks=sorted(counts.values(), key=lambda c: c.stack),
        failures=failures,
        skips=[{"check_id": s.check_id, "reason": s.reason} for s in config.skips],
        parsing_errors=[_display(Path(p)) for p in results.get("parsing_errors", []) or []],
        sarif=_display(sarif) if sarif else None,
        checks=dict(sorted(checks.items())),
    )


def _id_order(check_id: str) -> tuple:
    prefix, _, number = check_id.rpartition("_")
    return (prefix, int(number)) if number.isdigit() else (check_id, 0)


def scan_document(result: ScanResult) -> Document:
    """The gate's report: stacks, the landing-zone checks, skips, each failure with its fix, the verdict."""
    doc = Document().paragraph(
        f"checkov {result.checkov_version} on {result.directory}: {len(result.stacks)} stack(s) "
        f"in {result.seconds:.1f} s (config {result.config})"
    )
    doc.table(
        ["stack", "passed", "failed", "skipped", "file"],
        [[s.stack, s.passed, s.failed, s.skipped, s.file] for s in result.stacks],
    )
    custom = {k: v for k, v in result.checks.items() if k.startswith("CKV_LZ_")}
    doc.paragraph(
        "landing-zone checks (passed/evaluated): "
        + (
            ", ".join(
                f"{k} {v['passed']}/{v['passed'] + v['failed']}"
                for k, v in sorted(custom.items(), key=lambda kv: _id_order(kv[0]))
            )
            or "none applied to these stacks"
        )
    )
    if result.skips:
        doc.heading(f"skipped everywhere by {result.config}:")
        doc.bullets([f"{s['check_id']}: {s['reason'] or '(no reason given)'}" for s in result.skips])
    for error in result.parsing_errors:
        doc.paragraph(f"PARSE ERROR {error}: checkov could not read it, so none of its checks ran")
    for f in result.failures:
        doc.heading(f"FAILED {f.check_id} {f.resource} (stack {f.stack}, {f.location()})")
        doc.bullets([f.check_name] + [f"- {d}" for d in f.details] + ([f"fix: {f.guideline}"] if f.guideline else []))
    totals = result.as_dict()["totals"]
    verdict = "PASS" if result.passed else "FAIL"
    doc.paragraph(
        f"{verdict}: {totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped"
        + (f", {len(result.parsing_errors)} unreadable file(s)" if result.parsing_errors else "")
        + (f"\nSARIF written to {result.sarif}" if result.sarif else "")
    )
    return doc
