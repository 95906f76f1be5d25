"""The cheap half of `make audit` in the unit tier: the mutes and their reasons, the mutelist Prowler gets,
the offline environment and the reading of Prowler's findings. Prowler itself runs only in `make audit`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from audit.prowler_audit import (
    MUTES,
    REASON_PREFIXES,
    Finding,
    failures,
    load_mutes,
    offline_env,
    prowler_mutelist,
    read_findings,
)

ROOT = Path(__file__).resolve().parents[2]
IDS = {"management": "123456789012", "network": "111111111111", "workload": "222222222222"}


def test_every_committed_mute_says_why():
    for mute in load_mutes(MUTES):
        assert mute.reason.startswith(REASON_PREFIXES), mute
        assert re.fullmatch(r"[a-z0-9_]+", mute.check), mute.check


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("iam_support_role_created: {reason: flaky}", "must say why, starting with 'moto does not implement '"),
        ("securityhub_enabled: {reason: 'moto does not implement x'}", "must say why"),
        (
            "macie_is_enabled: {reason: 'workload service, not the landing zone''s: Macie classifies workload data', accounts: [audit]}",
            "['audit'] (allowed: management, network, workload",
        ),
        (
            "vpc_flow_logs_enabled: {reason: 'moto does not implement flow log reads', why: no}",
            "expected reason and optional accounts",
        ),
    ],
)
def test_a_mute_without_a_real_reason_is_refused(tmp_path, entry, message):
    path = tmp_path / "mutes.yaml"
    path.write_text(f"checks:\n  {entry}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)):
        load_mutes(path)


def test_the_mutelist_names_each_audited_account_and_check(tmp_path):
    path = tmp_path / "mutes.yaml"
    path.write_text(
        "checks:\n"
        "  guardduty_is_enabled: {reason: 'moto does not implement GuardDuty organization auto-enable reads'}\n"
        "  rds_instance_storage_encrypted: {reason: 'workload service, not the landing zone''s: RDS databases belong to teams', accounts: [workload]}\n",
        encoding="utf-8",
    )
    mutelist = prowler_mutelist(load_mutes(path), IDS)
    everywhere = {"Regions": ["*"], "Resources": ["*"]}
    assert mutelist == {
        "Mutelist": {
            "Accounts": {
                "111111111111": {"Checks": {"guardduty_is_enabled": everywhere}},
                "123456789012": {"Checks": {"guardduty_is_enabled": everywhere}},
                "222222222222": {"Checks": {"guardduty_is_enabled": everywhere, "rds_instance_storage_encrypted": everywhere}},
            }
        }
    }


def test_prowler_reaches_only_the_local_api():
    env = offline_env("http://127.0.0.1:4599", base={"AWS_PROFILE": "prod", "AWS_SESSION_TOKEN": "real", "PATH": "/bin"})
    assert env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:4599"
    assert env["HTTP_PROXY"] == env["HTTPS_PROXY"] == "http://127.0.0.1:4599"
    assert "AWS_PROFILE" not in env and "AWS_SESSION_TOKEN" not in env
    assert env["AWS_SHARED_CREDENTIALS_FILE"] == env["AWS_CONFIG_FILE"] == "/dev/null"
    with pytest.raises(ValueError):
        offline_env("http://10.0.0.5:4599")


def test_findings_are_read_from_prowlers_csv_and_only_unmuted_fails_count(tmp_path):
    report = tmp_path / "prowler.csv"
    report.write_text(
        "ACCOUNT_UID;REGION;CHECK_ID;STATUS;STATUS_EXTENDED;MUTED;RESOURCE_UID\n"
        "111;eu-west-1;vpc_flow_logs_enabled;PASS;on;False;vpc-1\n"
        "111;eu-west-1;guardduty_is_enabled;FAIL;off;True;det-1\n"
        "111;eu-west-1;iam_support_role_created;FAIL;no role;False;arn:aws:iam::111:root\n",
        encoding="utf-8",
    )
    findings = read_findings(report)
    assert [f.check for f in failures(findings)] == ["iam_support_role_created"]
    assert findings[1] == Finding("111", "eu-west-1", "guardduty_is_enabled", "FAIL", True, "det-1", "off")


def test_make_audit_installs_the_pinned_prowler_in_its_own_venv():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    pin = re.search(r'"prowler==([0-9.]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pin, "pyproject.toml's audit extra pins prowler"
    assert "audit:" in makefile and ".venv-audit" in makefile and "audit/prowler_audit.py" in makefile
    assert ".venv-audit" in (ROOT / ".gitignore").read_text(encoding="utf-8")
