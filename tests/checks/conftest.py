"""Runs checkov once over the custom checks' fixtures (tests/checks/fixtures/<check>/{pass,fail})."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from landing_zone.scan import checkov_config
from landing_zone.scan.check_support import LIMIT_ENV_VARS
from landing_zone.scan.checkov_runner import run_checkov
from landing_zone.scan.stacks import read_stacks

FIXTURES = Path(__file__).parent / "fixtures"


class Outcomes:
    """checkov results by (fixture stack, check id) -> {resource address: PASSED/FAILED}."""

    def __init__(self, directory: Path, report: dict) -> None:
        stacks = {str(s.path.resolve()): s for s in read_stacks(directory)}
        self.by_stack: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
        self.details: dict[tuple[str, str, str], list[str]] = {}
        self.parsing_errors = report["results"].get("parsing_errors", [])
        for key in ("passed_checks", "failed_checks"):
            for record in report["results"].get(key, []):
                stack = stacks[str((directory / record["file_path"].lstrip("/")).resolve())]
                address = stack.address(record["resource"], record["file_line_range"][0])
                self.by_stack[(stack.name, record["check_id"])][address] = record["check_result"]["result"]
                self.details[(stack.name, record["check_id"], address)] = record.get("details") or []

    def results(self, stack: str, check_id: str) -> dict[str, str]:
        return dict(self.by_stack.get((stack, check_id), {}))


def run_on(directory: Path, **env: str) -> Outcomes:
    config = checkov_config.read(checkov_config.default_config_path())
    return Outcomes(directory, run_checkov(directory, config, extra_env=env).report)


@pytest.fixture(scope="session", autouse=True)
def package_default_quotas():
    """Quota overrides from the caller's environment must not change what these tests see."""
    with pytest.MonkeyPatch.context() as patch:
        for name in LIMIT_ENV_VARS.values():
            patch.delenv(name, raising=False)
        yield


@pytest.fixture(scope="session")
def fixture_outcomes() -> Outcomes:
    return run_on(FIXTURES)
