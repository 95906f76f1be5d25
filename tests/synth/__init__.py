"""Tests of what the landing zone synthesizes (constructs, stacks, backends, CLI)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "environments" / "example.yaml"
