"""Run checkov offline as a subprocess and parse its JSON report.

A subprocess keeps checkov's import (seconds, hundreds of MB) out of our process
and gives every run fresh check state (CKV_LZ_4 counts per file).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..atomic_output import atomic_write_text
from ..fs_errors import reason
from .checkov_config import CHECKS_DIR, CheckovConfig


class CheckovFailed(Exception):
    """checkov did not produce a report (crash, bad option)."""


@dataclass
class CheckovRun:
    report: dict[str, Any]  # checkov's terraform_json report: check_type, results, summary
    seconds: float
    command: list[str]
    stderr: str


def external_checks_dirs(config: CheckovConfig) -> list[str]:
    """The config's external checks dirs plus ours, each once.

    A `--external-checks-dir` on the command line replaces the config file's list
    (configargparse), so the config's dirs are passed again explicitly."""
    dirs, seen = [], set()
    for entry in [*config.external_checks_dirs, str(CHECKS_DIR)]:
        real = os.path.realpath(os.path.expanduser(entry))
        if real not in seen and os.path.isdir(real):
            seen.add(real)
            dirs.append(real)
    return dirs


def command(directory: Path, config: CheckovConfig, outputs: str) -> list[str]:
    args = [
        sys.executable,
        "-m",
        "checkov.main",
        "--directory",
        str(directory.resolve()),
        "--config-file",
        str(config.path.resolve()),
        "--framework",
        "terraform_json",
        "--skip-download",
        "--compact",
        "--output-file-path",
        outputs,
    ]
    for directory_ in external_checks_dirs(config):
        args += ["--external-checks-dir", directory_]
    return args


SCAN_ROOT_ENV = "LZ_SCAN_ROOT"
"""Environment variable naming the folder checkov scans (read by checks that open the stack file)."""


def run_checkov(
    directory: Path, config: CheckovConfig, sarif: Path | None = None, extra_env: dict[str, str] | None = None
) -> CheckovRun:
    """checkov on `directory` with `config`; copies its SARIF report to `sarif` when given."""
    # checkov gives a check only the file's path below the scanned folder; checks that read the whole stack
    # (CKV_LZ_42) find the folder here.
    env = {
        **os.environ,
        "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
        SCAN_ROOT_ENV: str(Path(directory).resolve()),
        **(extra_env or {}),
    }
    with tempfile.TemporaryDirectory(prefix="lz-scan-") as tmp:
        # Without a comma, --output-file-path is a folder: results_json.json, results_sarif.sarif.
        args = command(directory, config, tmp) + ["-o", "json"] + (["-o", "sarif"] if sarif else [])
        started = time.perf_counter()
        # From an empty folder, so nothing there can add to the config we name (its relative
        # external-checks-dir entries are already resolved against our working directory).
        proc = subprocess.run(args, env=env, capture_output=True, text=True, cwd=tmp)
        seconds = time.perf_counter() - started
        report_path = Path(tmp) / "results_json.json"
        if not report_path.is_file():
            raise CheckovFailed(
                f"checkov exited with {proc.returncode} and wrote no report:\n{_tail(proc.stderr or proc.stdout)}"
            )
        data = json.loads(report_path.read_text("utf-8"))
        if sarif:
            try:
                sarif.parent.mkdir(parents=True, exist_ok=True)
                # whole or untouched: a sibling temporary file renamed over the target
                atomic_write_text(sarif, (Path(tmp) / "results_sarif.sarif").read_text("utf-8"))
            except OSError as exc:
                raise CheckovFailed(f"{sarif}: cannot write the SARIF report: {reason(exc)}") from exc
    return CheckovRun(report=_terraform_json_report(data), seconds=seconds, command=args, stderr=proc.stderr)


def _terraform_json_report(data: Any) -> dict[str, Any]:
    """The terraform_json part of checkov's output (a list when several runners report)."""
    reports = data if isinstance(data, list) else [data]
    for report in reports:
        if isinstance(report, dict) and report.get("check_type") == "terraform_json":
            return report
    # A bare summary (no check_type) means checkov found nothing to scan.
    return {"check_type": "terraform_json", "results": {}, "summary": reports[0] if reports else {}}


def _tail(text: str, lines: int = 20) -> str:
    return "\n".join((text or "").strip().splitlines()[-lines:])
