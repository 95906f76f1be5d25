"""Issue 23 B.2: the package builds without setuptools' licence deprecation warning."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_licence_is_an_spdx_string_and_setuptools_knows_that_form():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    # A table (`{text = ...}`) makes setuptools >= 77 warn on every install; the SPDX string needs >= 77.
    assert data["project"]["license"] == "Apache-2.0"
    assert not any(c.startswith("License ::") for c in data["project"].get("classifiers", []))  # refused beside SPDX
    [setuptools] = [r for r in data["build-system"]["requires"] if r.startswith("setuptools")]
    match = re.fullmatch(r"setuptools>=(\d+)(?:\.\d+)*", setuptools)
    assert match and int(match[1]) >= 77
