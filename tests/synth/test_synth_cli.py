"""`lz synth`: validation first, progress and summary, byte-identical output,
and the same stacks as `cdktf synth` through the pinned npm CLI."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from landing_zone.cli.main import main
from landing_zone.render import elide
from landing_zone.speed.synth_cache import KEYS_FILE

from . import EXAMPLE, ROOT

BAD = """\
organization:
  name: acme
  home_region: eu-west-1
  governed_regions: [eu-west-1]
  management_account: {name: management, email: aws+management@acme-corp.io}
  tags: {}
accounts:
  - name: lost
    email: aws+lost@acme-corp.io
    ou: Nowhere
"""


def test_invalid_environment_exits_2_and_writes_nothing(tmp_path, capsys):
    env_file = tmp_path / "bad.yaml"
    env_file.write_text(BAD, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["synth", str(env_file), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml:" in err and "Nowhere" in err
    assert not out.exists()


def test_missing_environment_exits_2(tmp_path, capsys):
    assert main(["synth", str(tmp_path / "absent.yaml"), "--out", str(tmp_path / "out")]) == 2
    assert "not found" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_non_local_endpoint_exits_2_before_synthesizing(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LZ_AWS_ENDPOINT", "https://organizations.us-east-1.amazonaws.com")
    assert main(["synth", str(EXAMPLE), "--out", str(tmp_path / "out")]) == 2
    assert "LZ_AWS_ENDPOINT" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory, synth_out):
    """`lz synth` of the example into a folder beside the session fixture's (same depth: same relative state paths).

    The folder already holds a stale stack from an "earlier synth" and a folder of the user's.
    """
    out = tmp_path_factory.mktemp("cli_synth")
    stale = out / "stacks" / "account-gone"
    stale.mkdir(parents=True)
    (stale / "cdk.tf.json").write_text("{}", encoding="utf-8")
    (out / "stacks" / "notes").mkdir()
    cwd = os.getcwd()
    saved = {k: os.environ.pop(k) for k in ("LZ_AWS_ENDPOINT", "LZ_ALLOW_DESTROY", "CDKTF_OUTDIR") if k in os.environ}
    os.chdir(ROOT)  # local state paths are relative to the project folder, as when run from a checkout
    try:
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main(["synth", str(EXAMPLE), "--out", str(out)])
    finally:
        os.chdir(cwd)
        os.environ.update(saved)
    return code, stdout.getvalue(), stderr.getvalue(), out


@pytest.mark.synth
def test_synth_succeeds_with_progress_and_a_summary(cli_run, synth_out):
    code, stdout, stderr, out = cli_run
    assert code == 0
    assert "is valid" in stderr and f"wrote {len(synth_out.stacks)} stacks" in stderr
    for summary in synth_out.result.stacks:
        assert any(line.split()[:2] == [summary.name, str(summary.resources)] for line in stdout.splitlines()), stdout
    assert "total" in stdout and "deploy order: management" in stdout


@pytest.mark.synth
def test_synth_removes_stale_stack_folders_only(cli_run):
    _, _, stderr, out = cli_run
    assert not (out / "stacks" / "account-gone").exists()
    assert "removed stale stack folder" in stderr
    assert (out / "stacks" / "notes").is_dir()  # not written by cdktf: left alone


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.synth
def test_two_synths_are_byte_identical(cli_run, synth_out):
    _, _, _, out = cli_run
    first, second = files(synth_out.dir), files(out)
    assert set(first) == set(second)
    for name in first:
        assert first[name] == second[name], name


def normalized(folder: Path) -> dict[str, dict]:
    """Every stack's cdk.tf.json with local state paths made absolute (they are relative to the stack folder)."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    stacks = {}
    for name, entry in manifest["stacks"].items():
        doc = json.loads((folder / entry["synthesizedStackPath"]).read_text(encoding="utf-8"))
        working = folder / entry["workingDirectory"]
        local = doc.get("terraform", {}).get("backend", {}).get("local")
        if local:
            local["path"] = str((working / local["path"]).resolve())
        for state in doc.get("data", {}).get("terraform_remote_state", {}).values():
            if state.get("backend") == "local":
                state["config"]["path"] = str((working / state["config"]["path"]).resolve())
        stacks[name] = doc
    return stacks


def cdktf_cli() -> Path:
    """node_modules/.bin/cdktf, installed with `npm ci` from the lock file when a fresh clone lacks it."""
    binary = ROOT / "node_modules" / ".bin" / "cdktf"
    if not binary.exists():
        npm = shutil.which("npm")
        assert npm, "npm is needed for the pinned cdktf CLI (package.json); install Node.js and npm"
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=ROOT, check=True)
    return binary


@pytest.mark.synth
@pytest.mark.slow
def test_cdktf_cli_synth_matches_lz_synth(tmp_path, synth_out):
    cli = cdktf_cli()
    out = tmp_path / "deeper" / "cdktf-cli.out"  # another depth: paths must be compared resolved
    env = {k: v for k, v in os.environ.items() if k not in ("LZ_AWS_ENDPOINT", "LZ_ALLOW_DESTROY", "CDKTF_OUTDIR")}
    env.update(LZ_ENV=str(EXAMPLE.relative_to(ROOT)), CHECKPOINT_DISABLE="1", DISABLE_VERSION_CHECK="true", CI="1")
    start = time.perf_counter()
    proc = subprocess.run(
        [str(cli), "synth", "--output", str(out)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    seconds = time.perf_counter() - start
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    print(f"cdktf synth through the npm CLI took {seconds:.1f} s")
    assert normalized(out) == normalized(synth_out.dir)
    extras = sorted(p.name for p in synth_out.dir.iterdir() if p.is_file() and p.name not in ("manifest.json", KEYS_FILE))
    for name in extras:  # files beside the stacks (the review manifest) hold no paths
        assert (out / name).read_bytes() == (synth_out.dir / name).read_bytes(), name
    # The incremental synth's keys include where the output is (state paths are relative to it): same stacks, other keys.
    keys = json.loads((out / KEYS_FILE).read_text(encoding="utf-8"))["stacks"]
    assert list(keys) == list(json.loads((synth_out.dir / KEYS_FILE).read_text(encoding="utf-8"))["stacks"])


def test_long_stack_lists_are_elided_in_the_one_line_summary():
    names = [f"s{i}" for i in range(1003)]
    assert elide(names) == "s0, s1, s2, s3, s4, s5, s6, … (995 more) …, s1002"
    assert elide(names[:8]) == ", ".join(names[:8])
