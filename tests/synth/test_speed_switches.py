"""With every speed trick switched off (LZ_SPEED_OFF=all) the synthesized output is byte-identical."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from landing_zone.speed import TRICKS, switched_off

ROOT = Path(__file__).resolve().parents[2]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix == ".json"}


def test_the_switch_names_each_trick_or_all():
    assert all(switched_off(t, {"LZ_SPEED_OFF": "all"}) for t in TRICKS)
    assert switched_off("fast_exit", {"LZ_SPEED_OFF": "fast_exit, backend_lookup"})
    assert not switched_off("optimized_python", {"LZ_SPEED_OFF": "fast_exit"})
    assert not switched_off("optimized_python", {})
    with pytest.raises(ValueError, match="unknown speed trick"):
        switched_off("warp", {})


def test_synth_with_every_trick_off_is_byte_identical(synth_out, tmp_path_factory):
    out = tmp_path_factory.mktemp("speed_off")  # same depth as synth_out's folder: same relative state paths
    env = {**os.environ, "LZ_SPEED_OFF": "all"}
    env.pop("LZ_AWS_ENDPOINT", None)
    run = subprocess.run(
        [sys.executable, "-m", "landing_zone.cli.main", "synth", "environments/example.yaml", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "type checks on" in run.stderr  # no python -O rerun
    mine, theirs = _files(out), _files(synth_out.dir)
    assert sorted(mine) == sorted(theirs)
    assert [name for name in mine if mine[name] != theirs[name]] == []
