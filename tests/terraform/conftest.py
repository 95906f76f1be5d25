"""Fixtures for the terraform runner tests: tiny hand-written stack folders."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from landing_zone.terraform.find_mirror import find_mirror


@pytest.fixture(scope="session")
def tf_env() -> dict:
    """os.environ plus the provider mirror (as make and CI set it), without user CLI config."""
    env = dict(os.environ)
    mirror = env.get("LZ_TF_PROVIDER_MIRROR") or find_mirror()
    if mirror:
        env["LZ_TF_PROVIDER_MIRROR"] = str(mirror)
    return env


def _write_stack(folder: Path, config: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cdk.tf.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    return folder


def _builtin_stack(folder: Path, value: str = "one") -> Path:
    return _write_stack(
        folder,
        {
            "terraform": {"backend": {"local": {"path": "terraform.tfstate"}}},
            "resource": {"terraform_data": {"marker": {"input": value}}},
            "output": {"marker": {"value": "${terraform_data.marker.output}"}},
        },
    )


@pytest.fixture
def write_stack():
    """write_stack(folder, config) -> folder with config as cdk.tf.json."""
    return _write_stack


@pytest.fixture
def builtin_stack():
    """builtin_stack(folder, value) -> a stack with only terraform's built-in provider (no download)."""
    return _builtin_stack
