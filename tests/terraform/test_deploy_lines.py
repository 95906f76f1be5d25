"""Issue 23 B.2: `lz deploy`'s terraform step with real terraform on provider-free stacks: one line per
stack by default, the runner's lines per command and resource with -v."""

from __future__ import annotations

import json
import re

import pytest

from landing_zone.deploy import orchestrator
from landing_zone.deploy.orchestrator import Deploy, DeployOptions


def _two_stacks(out, builtin_stack) -> None:
    builtin_stack(out / "stacks" / "first")
    builtin_stack(out / "stacks" / "second", value="two")
    manifest = {
        "stacks": {
            "first": {"workingDirectory": "stacks/first"},
            "second": {"workingDirectory": "stacks/second", "dependencies": ["first"]},
        }
    }
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize("verbose", [0, 1])
def test_one_line_per_stack_and_with_v_a_line_per_resource(tmp_path, tf_env, builtin_stack, monkeypatch, verbose):
    out = tmp_path / "out"
    _two_stacks(out, builtin_stack)
    said: list[str] = []
    monkeypatch.setattr(orchestrator, "progress", said.append)
    deploy = Deploy(DeployOptions(env_file="unused.yaml", out=str(out), parallel=1, verbose=verbose))
    deploy._terraform(tf_env)
    stack_lines = [line for line in said if line.startswith("[")]
    if verbose == 0:
        assert len(stack_lines) == 2, said
        for name, line in zip(("first", "second"), stack_lines):
            assert re.fullmatch(
                rf"\[{name}\] deployed in [\d.]+ s \(init [\d.]+ s, apply [\d.]+ s\): 1 added, 0 changed, 0 destroyed", line
            ), line
    else:
        assert "[first]     1 created terraform_data.marker" in stack_lines
        assert "[second] terraform apply ..." in stack_lines and not any(" deployed in " in line for line in stack_lines)
