"""Issue 23 B.2: what the demo says beyond terraform's progress: what the local API cannot serve, and
the next steps (each of whose lz commands runs)."""

from __future__ import annotations

import shlex
from pathlib import Path

from landing_zone.cli.main import main
from landing_zone.deploy import local_notes
from landing_zone.deploy.local_notes import left_out_lines, next_steps, simulate_example
from landing_zone.environment import load_environment
from landing_zone.local_aws.target import LOCAL_API_GAPS, local_api

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = "environments/example.yaml"


def test_every_resource_type_the_local_api_cannot_serve_is_named_with_why():
    lines = left_out_lines(local_api("http://127.0.0.1:4566").unserved)
    assert lines[0].startswith(f"left out of this local run: {len(LOCAL_API_GAPS)} resource type(s) the local API")
    assert lines[1:] == [f"  {t}: {why}" for t, why in sorted(LOCAL_API_GAPS.items())]
    assert "  aws_accessanalyzer_analyzer: moto has no IAM Access Analyzer" in lines
    assert left_out_lines({}) == []  # real AWS serves everything: nothing to say


def test_next_steps_name_keep_guardrails_access_simulate_and_the_dashboard(tmp_path):
    text = next_steps(
        EXAMPLE, simulate_account="web-prod", simulate_region="us-east-1", dashboard=tmp_path / "dash", lz="lz"
    ).splitlines()
    assert text[:2] == ["", "Next steps:"]
    commands = [line.split(":", 1)[1].strip() for line in text[2:]]
    assert commands == [
        "KEEP=1 make demo",
        f"lz guardrails {EXAMPLE}",
        f"lz access {EXAMPLE}",
        f"lz simulate {EXAMPLE} --account web-prod --action ec2:RunInstances --region us-east-1",
        f"open {(tmp_path / 'dash' / 'index.html').as_uri()}",
    ]


def test_with_a_kept_server_the_next_steps_say_how_to_reach_and_stop_it():
    text = next_steps(
        EXAMPLE, simulate_account="a", simulate_region="us-east-1", kept={"url": "http://127.0.0.1:5000", "pid": 4242}, lz="lz"
    )
    assert "KEEP=1 make demo" not in text
    assert "LZ_AWS_ENDPOINT=http://127.0.0.1:5000 lz tree    (stop it: kill 4242)" in text


def test_the_simulate_example_is_a_workload_account_in_an_ungoverned_region_and_is_denied(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    env = load_environment(EXAMPLE).env
    account, region = simulate_example(env)
    assert account == "payments-prod" and region not in env.organization.governed_regions
    steps = next_steps(EXAMPLE, simulate_account=account, simulate_region=region, lz="lz").splitlines()[2:]
    runs = {}
    for line in steps:
        words = shlex.split(line.split(":", 1)[1])
        if words[0] == "lz" and words[1] in ("guardrails", "access", "simulate"):
            runs[words[1]] = main(words[1:])
    capsys.readouterr()
    assert runs == {"guardrails": 0, "access": 0, "simulate": 1}  # 1: DENIED, by the region guardrail


def test_the_demo_ends_with_the_next_steps(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    assert local_notes.main([EXAMPLE, "--out", str(tmp_path / "no-server"), "--dashboard", "cdktf.out/dashboard"]) == 0
    out = capsys.readouterr().out
    assert "KEEP=1 make demo" in out and out.rstrip().endswith((ROOT / "cdktf.out/dashboard/index.html").as_uri())
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    demo = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0].strip().splitlines()
    assert "landing_zone.deploy.local_notes $(ENV)" in demo[-1]
