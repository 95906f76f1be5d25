"""Session-wide fixtures shared by the test tiers."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "environments" / "example.yaml"

# Tests write variants in temporary folders that extend the repository's files by absolute
# path: name that folder as a shared-base folder (`extends` stays inside the repository otherwise).
os.environ.setdefault("LZ_EXTENDS_ALLOW", str(ROOT))


@dataclass(frozen=True)
class SynthOutput:
    """The example environment synthesized once per test session."""

    dir: Path
    """The output folder (manifest.json, stacks/<name>/cdk.tf.json)."""
    stacks: dict[str, dict]
    """Stack name -> parsed cdk.tf.json."""
    manifest: dict = field(repr=False)
    """Parsed manifest.json (stack folders and dependencies)."""
    loaded: object = field(repr=False)
    """The LoadedEnvironment it was synthesized from."""
    result: object = field(repr=False)
    """landing_zone.app.SynthResult (per-stack summary)."""

    def stack_dir(self, name: str) -> Path:
        return self.dir / "stacks" / name


def read_synth_output(out_dir: Path, loaded, result=None) -> SynthOutput:
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    stacks = {
        name: json.loads((out_dir / entry["synthesizedStackPath"]).read_text(encoding="utf-8"))
        for name, entry in manifest["stacks"].items()
    }
    return SynthOutput(out_dir, stacks, manifest, loaded, result)


def synthesize_env(env_file: Path, out_dir: Path, **options) -> SynthOutput:
    """Synthesize `env_file` in this process (cdktf loads once per session) with explicit options.

    Options never come from the caller's environment variables, so a stray
    LZ_AWS_ENDPOINT cannot change what the tests see.
    """
    from landing_zone.environment import load_environment
    from landing_zone.node_runtime import prepare_node_runtime

    prepare_node_runtime()
    from landing_zone.app import AppOptions, synthesize
    from landing_zone.deploy_target import AWS
    from landing_zone.local_aws.target import local_api

    loaded = load_environment(env_file)
    url = options.pop("local_endpoint", None)  # the tests' shorthand for a local API target
    settings = dict(out_dir=out_dir, project_dir=ROOT, target=local_api(url) if url else AWS, allow_destroy=False)
    settings.update(options)
    result = synthesize(loaded, AppOptions(**settings))
    return read_synth_output(out_dir, loaded, result)


@pytest.fixture(scope="session")
def synth_out(tmp_path_factory) -> SynthOutput:
    """environments/example.yaml synthesized once: `.dir` (Path) and `.stacks` (name -> cdk.tf.json)."""
    return synthesize_env(EXAMPLE, tmp_path_factory.mktemp("synth_out"))


@pytest.fixture(scope="session")
def synth_env():
    """synth_env(env_file, out_dir, **AppOptions fields) -> SynthOutput, for small variants (in-process, ~1 s each)."""
    return synthesize_env


@pytest.fixture(autouse=True)
def _no_fast_exit_in_the_test_process(monkeypatch):
    """speed/fast_exit.exit_now ends the process at once with the code it is given: called from a test
    once cdktf is loaded, it would end the whole pytest session quietly, with exit status 0."""
    from landing_zone.speed import fast_exit

    def refuse(code: int):
        raise AssertionError(f"fast_exit.exit_now({code}) called inside the test process")

    monkeypatch.setattr(fast_exit, "exit_now", refuse)
