"""Fixtures for the guardrail tests: the example environment, its plan, and
environment files that extend the example with a few changed lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from landing_zone.environment import load_environment
from landing_zone.guardrails.catalog import catalog
from landing_zone.guardrails.plan import build_plan

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "environments" / "example.yaml"


@pytest.fixture(scope="session")
def example():
    return load_environment(EXAMPLE).env


@pytest.fixture(scope="session")
def example_plan(example):
    return build_plan(example)


@pytest.fixture
def extend_example(tmp_path):
    """extend_example(text) -> path of a file that extends the example with `text` (YAML)."""

    def write(text: str, name: str = "env.yaml") -> Path:
        path = tmp_path / name
        path.write_text(f"extends: {EXAMPLE}\n" + text, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def everything_plan(tmp_path_factory):
    """The example with every catalog control enabled on its default targets."""
    lines = "".join(f"    {cid}: {{}}\n" for cid, c in catalog().items() if c.tier != "mandatory")
    path = tmp_path_factory.mktemp("everything") / "env.yaml"
    path.write_text(f"extends: {EXAMPLE}\nguardrails:\n  controls:\n" + lines, encoding="utf-8")
    return build_plan(load_environment(path).env)
