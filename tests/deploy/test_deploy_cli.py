"""`lz deploy` refuses unsafe or impossible runs early and clearly (no synth, no traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from landing_zone.atomic_output import MARKER
from landing_zone.cli.main import main
from landing_zone.local_aws.endpoints import provider_settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "environments" / "example.yaml")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    monkeypatch.delenv("LZ_AWS_ENDPOINT", raising=False)


def run(capsys, *argv: str) -> tuple[int, str]:
    status = main(["deploy", *argv])
    return status, capsys.readouterr().err


def test_keep_needs_local(capsys):
    assert run(capsys, EXAMPLE, "--keep") == (1, "lz deploy: --keep only applies to --local runs\n")


def test_lifting_prevent_destroy_is_refused_against_aws(capsys):
    status, err = run(capsys, EXAMPLE, "--allow-destroy-accounts")
    assert status == 1
    assert err.startswith("lz deploy: --allow-destroy-accounts only works with --local")


def test_missing_terraform_is_reported_before_anything_runs(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    status, err = run(capsys, EXAMPLE, "--out", str(tmp_path / "out"))
    assert status == 1
    assert err.startswith("lz deploy: terraform is not installed or not on PATH")
    assert not (tmp_path / "out").exists()


def test_an_unusable_mirror_is_reported_before_the_synth(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("LZ_TF_PROVIDER_MIRROR", str(tmp_path))
    status, err = run(capsys, EXAMPLE, "--out", str(tmp_path / "out"))
    assert status == 1
    assert "is not a provider mirror" in err
    assert not (tmp_path / "out").exists()


def test_a_dead_local_endpoint_is_named(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("LZ_AWS_ENDPOINT", "http://127.0.0.1:9")
    status, err = run(capsys, EXAMPLE, "--out", str(tmp_path / "out"))
    assert (status, err) == (
        1,
        "lz deploy: LZ_AWS_ENDPOINT=http://127.0.0.1:9 does not answer; unset it to let --local start a server\n",
    )


def test_output_synthesized_for_a_local_api_is_never_applied_to_aws(capsys, tmp_path):
    out = tmp_path / "out"
    stack = out / "stacks" / "management"
    stack.mkdir(parents=True)
    (out / "manifest.json").write_text(json.dumps({"stacks": {"management": {"workingDirectory": "stacks/management"}}}))
    (stack / "cdk.tf.json").write_text(
        json.dumps({"provider": {"aws": [{"region": "eu-west-1", **provider_settings("http://127.0.0.1:4566")}]}})
    )
    status, err = run(capsys, EXAMPLE, "--no-synth", "--out", str(out))
    # issue 26: without the marker a synth writes last, the output is refused as incomplete first
    assert (status, err) == (
        1,
        f"lz deploy: {out} is not a complete synth output (no {MARKER}: a synth failed, was interrupted or "
        "predates this check): synthesize again (drop --no-synth)\n",
    )
    (out / MARKER).write_text("")
    status, err = run(capsys, EXAMPLE, "--no-synth", "--out", str(out))
    assert status == 1
    assert err == (
        f"lz deploy: {stack}/cdk.tf.json targets http://127.0.0.1:4566, this run targets real AWS: "
        "synthesize again (drop --no-synth)\n"
    )


def test_an_invalid_environment_exits_2_with_its_problems(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("organization: {}\n")
    status, err = run(capsys, str(bad))
    assert status == 2
    assert "bad.yaml:1" in err


def test_a_non_local_endpoint_is_refused(capsys, monkeypatch):
    monkeypatch.setenv("LZ_AWS_ENDPOINT", "http://10.1.2.3:4566")
    status, err = run(capsys, EXAMPLE)
    assert (status, err) == (
        2,
        "lz deploy: LZ_AWS_ENDPOINT must look like http://127.0.0.1:PORT (a local AWS API), got 'http://10.1.2.3:4566'\n",
    )


def test_a_terminated_deploy_stops_the_server_it_started(tmp_path):
    """SIGTERM (a CI timeout, kill) unwinds like Ctrl-C: the moto server this run started does not outlive it."""
    import os
    import re
    import signal
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "LZ_AWS_ENDPOINT"}
    process = subprocess.Popen(
        [sys.executable, "-m", "landing_zone.cli.main", "deploy", EXAMPLE, "--local", "--out", str(tmp_path / "out")],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = process.stderr.readline()
    server_pid = int(re.search(r"\(pid (\d+),", first)[1])
    process.send_signal(signal.SIGTERM)
    rest = process.communicate(timeout=300)[1]
    assert process.returncode == 143  # 128 + SIGTERM (issue 26; was 130 before)
    assert f"local AWS API: stopped (pid {server_pid})" in rest
    with pytest.raises(ProcessLookupError):
        os.kill(server_pid, 0)


def test_keep_message_names_the_endpoint_the_home_region_and_how_to_stop(capsys):
    """`lz deploy --local --keep` (make demo KEEP=1): the AWS CLI lines use the environment's home region."""
    from landing_zone.deploy.orchestrator import keep_message

    keep_message("http://127.0.0.1:45123", 4242, "environments/example.yaml", Path("cdktf.out.local"), "eu-west-1")
    err = capsys.readouterr().err
    assert "AWS_DEFAULT_REGION=eu-west-1" in err and "us-east-1" not in err
    assert "aws --endpoint-url http://127.0.0.1:45123 organizations list-accounts" in err
    assert "LZ_AWS_ENDPOINT=http://127.0.0.1:45123 lz deploy environments/example.yaml --local --out cdktf.out.local" in err
    assert err.rstrip().endswith("Stop it:             kill 4242")


def test_the_default_runs_twice_the_cores_at_least_two_at_most_four():
    """Issue 23 B.3: an apply waits on the provider more than it computes (2 cores: 219 s at 2, 171 s at 4)."""
    from landing_zone.deploy.orchestrator import default_parallel

    assert [default_parallel(n) for n in (None, 1, 2, 3, 8)] == [2, 2, 4, 4, 4]
