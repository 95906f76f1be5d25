"""`lz dashboard --evaluate / --live / --history`: the compliance views from the status now and the store,
on moto in process (the example's organization), and the run lock around the write."""

from __future__ import annotations

import json

import pytest
from compliance.test_compliance_command import fix, in_account, org  # noqa: F401 -- the moto organization fixture

from landing_zone.cli.main import main
from landing_zone.compliance import store
from landing_zone.dashboard.compliance import (
    ACCOUNT_LEVEL,
    ComplianceSources,
    ComplianceView,
    Observation,
    from_status,
    read_compliance,
)
from landing_zone.run_lock import EXIT_BUSY

ENV = "environments/example.yaml"
SSH = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}


def model_of(folder) -> dict:
    text = (folder / "data.js").read_text()
    return json.loads(text[len("window.LZ_DASHBOARD=") : -2])


def open_ssh(account_id: str) -> str:
    ec2 = in_account(account_id, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName="open-ssh", Description="drill", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[SSH])
    return group


def test_evaluate_and_history_give_the_heatmap_findings_and_timeline(org, tmp_path, capsys):  # noqa: F811
    group = open_ssh(org["payments-prod"])
    db = tmp_path / "compliance.sqlite"
    record = ["compliance", ENV, "--evaluate", "--record", "--store", str(db), "--account", "payments-prod"]
    record += ["--control", "AWS-GR_RESTRICTED_SSH"]
    assert main(record) == 0
    first = capsys.readouterr().out
    (command,) = [line.split("  ")[-1].strip() for line in first.splitlines() if group in line]
    assert fix(command[command.index("lz respond") :], org["payments-prod"]) == "Success"
    assert main(record) == 0  # now compliant: the second observation ends the violation
    capsys.readouterr()

    out = tmp_path / "site"
    assert main(["dashboard", ENV, "--history", str(db), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"0 non-compliant resources (history {db} (" in err
    data = model_of(out)["compliance"]
    assert data["heatmap"]["AWS-GR_RESTRICTED_SSH"]["payments-prod"][0] == 0  # fixed: no red cell
    ((started, fixed, control, resource, region, seen),) = [v for v in data["timeline"]["payments-prod"] if v[3] == group]
    assert control == "AWS-GR_RESTRICTED_SSH" and region == "eu-west-1" and seen == 1 and fixed and started <= fixed
    assert data["findings"] == []

    # the status now, on top of the history: a new open port shows red, with the command that fixes it
    again = open_ssh(org["web-prod"])
    assert main(["dashboard", ENV, "--evaluate", "--account", "web-prod", "--history", str(db), "--out", str(out)]) == 0
    assert "now from local evaluator; history" in capsys.readouterr().err
    data = model_of(out)["compliance"]
    assert data["heatmap"]["AWS-GR_RESTRICTED_SSH"]["web-prod"][0] == 1
    (finding,) = [f for f in data["findings"] if f["resource"] == again]
    assert finding["command"] == (
        f"lz respond {ENV} --account web-prod --runbook LZ-RevokeOpenAdminIngress --param GroupId={again} --param Port=22"
    )
    assert any(v[3] == group and v[1] for v in data["timeline"]["payments-prod"])  # the history is still there
    assert [v[1] for v in data["timeline"]["web-prod"] if v[3] == again] == [""]  # open
    html = (out / "index.html").read_text()
    assert 'id="compliance-heatmap"' in html and again in html


def test_live_without_an_aggregator_exits_2(org, tmp_path, capsys):  # noqa: F811
    """moto has no Config compliance API: the aggregator read fails with a message, nothing is written."""
    out = tmp_path / "site"
    assert main(["dashboard", ENV, "--live", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lz dashboard: ") and "Config aggregator" in err and "Traceback" not in err
    assert not out.exists()


def test_a_missing_store_a_bad_scope_and_a_scope_without_a_source_exit_2(tmp_path, capsys):
    assert main(["dashboard", ENV, "--history", str(tmp_path / "none.sqlite"), "--out", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert (
        err
        == f"lz dashboard: --history {tmp_path / 'none.sqlite'}: no compliance store here; run `lz compliance ENV --record` first\n"
    )
    assert main(["dashboard", ENV, "--ou", "Workloads", "--out", str(tmp_path / "s")]) == 2
    assert "--account and --ou narrow --live and --evaluate" in capsys.readouterr().err
    assert main(["dashboard", ENV, "--evaluate", "--account", "nobody", "--out", str(tmp_path / "s")]) == 2
    assert "lz dashboard: --account 'nobody' is not an account of the environment" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()


def test_the_write_takes_the_run_lock(tmp_path, capsys):
    """Another process holds the folder's lock (the lock is reentrant within one): exit 75, nothing written."""
    import subprocess
    import sys
    import time

    out = tmp_path / "site"
    holder = subprocess.Popen(
        [sys.executable, "-c", f"from landing_zone.run_lock import run_lock\nwith run_lock({str(out)!r}, 'synth'):\n    print('held', flush=True)\n    import time; time.sleep(60)"],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert main(["dashboard", ENV, "--out", str(out)]) == EXIT_BUSY
        assert "is in use by `lz synth`" in capsys.readouterr().err and not out.exists()
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
    assert main(["dashboard", ENV, "--out", str(out)]) == 0


def test_read_compliance_from_a_store_only(tmp_path, example_loaded):
    db = tmp_path / "s.sqlite"
    rows = [
        store.Observation("2026-01-01T00:00:00Z", "AWS-GR_RESTRICTED_SSH", "web-prod", "eu-west-1", "AWS::EC2::SecurityGroup", "sg-1", "NON_COMPLIANT"),
        store.Observation("2026-01-02T00:00:00Z", "AWS-GR_RESTRICTED_SSH", "web-prod", "eu-west-1", "AWS::EC2::SecurityGroup", "sg-1", "COMPLIANT"),
        store.Observation("2026-01-02T00:00:00Z", "AWS-GR_RESTRICTED_SSH", "web-prod", "eu-west-1", "AWS::EC2::SecurityGroup", "sg-2", "NON_COMPLIANT"),
        store.Observation("2026-01-02T00:00:00Z", "AWS-GR_ROOT_ACCOUNT_MFA_ENABLED", "web-prod", "eu-west-1", "AWS::::Account", "1", "INSUFFICIENT_DATA"),
    ]  # fmt: skip
    store.record(db, "example", rows)
    store.record(db, "other", rows[:1])  # another environment's rows are never shown
    view = read_compliance(example_loaded.facts, ENV, ComplianceSources(history=db), None)
    assert view.source == f"history {db} (3 observations)"
    data = view.as_dict()
    assert data["heatmap"] == {"AWS-GR_RESTRICTED_SSH": {"web-prod": [1, 1]}}
    assert data["timeline"]["web-prod"] == [
        ["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "AWS-GR_RESTRICTED_SSH", "sg-1", "eu-west-1", 1],
        ["2026-01-02T00:00:00Z", "", "AWS-GR_RESTRICTED_SSH", "sg-2", "eu-west-1", 1],
    ]


def test_cells_the_aggregator_judged_without_resources_count_once(example_loaded):
    from landing_zone.compliance.status import scope

    status = scope(example_loaded.facts, account="web-prod")
    status.cell("AWS-GR_RESTRICTED_SSH", "web-prod").merge("COMPLIANT")
    status.cell("AWS-GR_S3_BUCKET_PUBLIC_READ_PROHIBITED", "web-prod").merge("NON_COMPLIANT", 1)
    observed = [store.Observation("2026-01-03T00:00:00Z", "AWS-GR_S3_BUCKET_PUBLIC_READ_PROHIBITED", "web-prod", "eu-west-1", "AWS::S3::Bucket", "b", "NON_COMPLIANT", "config")]  # fmt: skip
    seen = from_status(status, observed, "eu-west-1")
    assert seen[1:] == [
        Observation("AWS-GR_RESTRICTED_SSH", "web-prod", "eu-west-1", ACCOUNT_LEVEL, "COMPLIANT", "2026-01-03T00:00:00Z")
    ]
    data = ComplianceView(
        "live", tuple(seen), since={("AWS-GR_S3_BUCKET_PUBLIC_READ_PROHIBITED", "web-prod", "b"): "2026-01-01T00:00:00Z"}
    ).as_dict()
    assert data["heatmap"]["AWS-GR_RESTRICTED_SSH"]["web-prod"] == [0, 1]
    assert data["findings"][0]["since"] == "2026-01-01T00:00:00Z"  # Config's or Security Hub's earlier start wins


@pytest.mark.parametrize("flags", [["--live"], ["--evaluate"]])
def test_the_status_now_needs_credentials(flags, tmp_path, monkeypatch, capsys):
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "LZ_AWS_ENDPOINT"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    import boto3

    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    assert main(["dashboard", ENV, *flags, "--out", str(tmp_path / "s")]) == 2
    assert "lz dashboard: no AWS credentials" in capsys.readouterr().err
