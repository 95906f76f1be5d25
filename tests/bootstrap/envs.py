"""Small environment files with a ci: section, written for the bootstrap tests."""

from __future__ import annotations

from pathlib import Path

MINIMAL = Path(__file__).resolve().parents[1] / "config" / "fixtures" / "good" / "minimal.yaml"


def write_env(folder: Path, name: str, ci: str) -> Path:
    """MINIMAL plus `ci:` (YAML text, indented two spaces per key) as <folder>/<name>.yaml."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(MINIMAL.read_text() + "ci:\n" + ci, encoding="utf-8")
    return path


GITHUB = "  provider: github\n  repository: tiny-corp/landing-zone\n  branch: main\n"
GITHUB_ENVIRONMENT = GITHUB + "  environment: production\n"
GITLAB = "  provider: gitlab\n  repository: tiny-corp/platform/landing-zone\n  branch: main\n"
