"""`lz network ENV` as a user runs it: tables, the Mermaid diagram file, JSON; bad input exits 2; no cdktf."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from landing_zone.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "environments" / "example.yaml"
BAD = ROOT / "tests" / "config" / "fixtures" / "bad"


def test_tables_show_segments_vpcs_peering_direct_connect_and_reachability(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")  # whole lines: text output wraps at the width (tests/render/test_width.py)
    diagram = tmp_path / "net.mmd"
    assert main(["network", str(EXAMPLE), "--diagram", str(diagram)]) == 0
    out = capsys.readouterr().out
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert "hub prod prod, shared yes vpc payments-prod, vpc web-prod" in lines
    assert "hub nonprod nonprod, shared yes vpc payments-nonprod, vpc web-nonprod" in lines
    assert "hub shared nonprod, prod, shared yes vpc shared-services, dx corp-dx" in lines
    assert (
        "payments-prod spoke payments-prod eu-west-1 10.10.0.0/16 hub/prod private 2, isolated 2, transit 2 account-payments-prod"
    ) in lines
    assert "hub-egress egress network eu-west-1 10.0.0.0/24 hub/egress public 2, transit 2 network" in lines
    assert (
        "payments-analytics payments-prod analytics cross-account, cross-region 10.40.0.0/16 10.10.0.0/19 account-shared-services"
    ) in lines
    assert "corp-dx 64600 hub/shared 10.0.0.0/8 192.168.0.0/16 -" in lines
    reach = {line.split(" ", 1)[0]: line for line in lines}
    assert "web-nonprod" not in reach["payments-prod"] and "analytics" in reach["payments-prod"]
    assert reach["analytics"] == "analytics payments-prod"


def test_diagram_draws_segments_links_egress_peering_and_on_premises(tmp_path, capsys):
    diagram = tmp_path / "deep" / "net.mmd"
    assert main(["network", str(EXAMPLE), "--diagram", str(diagram)]) == 0
    assert f"wrote {diagram}" in capsys.readouterr().err
    text = diagram.read_text()
    assert text.startswith("---\ntitle: example network\n---\n")
    assert "flowchart LR" in text
    assert 'subgraph tgw_hub["transit gateway hub (ASN 64512, eu-west-1)"]' in text
    assert "seg_hub_prod <--> seg_hub_shared" in text and "seg_hub_nonprod <--> seg_hub_shared" in text
    assert "seg_hub_prod <--> seg_hub_nonprod" not in text and "seg_hub_nonprod <--> seg_hub_prod" not in text
    assert "seg_hub_prod -->|0.0.0.0/0| vpc_hub_egress" in text
    assert "vpc_payments_prod --- seg_hub_prod" in text
    assert "vpc_payments_prod -.-|peering payments-analytics| vpc_analytics" in text
    assert 'onprem_corp_dx[("on-premises<br/>192.168.0.0/16")] --- dx_corp_dx' in text
    assert "dx_corp_dx ---|10.0.0.0/8| seg_hub_shared" in text


def test_json_for_machines_and_diagram_to_stdout(capsys):
    assert main(["network", str(EXAMPLE), "--format", "json", "--diagram", "none"]) == 0
    doc = json.loads(capsys.readouterr().out)
    [hub] = doc["transit_gateways"]
    assert [s["name"] for s in hub["segments"]] == ["prod", "nonprod", "shared"]
    assert doc["reachability"]["payments-prod"] == sorted(
        ["analytics", "hub-egress", "onprem:corp-dx", "shared-services", "web-prod"]
    )
    assert {v["name"]: v["stack"] for v in doc["vpcs"]}["web-prod"] == "account-web-prod"
    assert main(["network", str(EXAMPLE), "--diagram", "-"]) == 0
    assert "flowchart LR" in capsys.readouterr().out


def test_bad_network_input_exits_2_with_the_problem_and_no_traceback():
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "landing_zone.cli.main",
            "network",
            "tests/config/fixtures/bad/network_overlap_via_shared.yaml",
            "--diagram",
            "none",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "overlaps VPC 'app-prod' (10.10.0.0/16, at tests/network/fixtures/org.yaml:50:13)" in run.stderr


def test_network_command_never_imports_cdktf():
    code = (
        "import sys\nfrom landing_zone.cli.main import main\n"
        "assert main(['network', 'environments/example.yaml', '--diagram', 'none']) == 0\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('cdktf', 'constructs', 'jsii', 'cdktf_cdktf_provider_aws'))\n"
        "assert not bad, bad\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
