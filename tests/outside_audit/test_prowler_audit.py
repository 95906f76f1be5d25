"""The cheap half of `make audit` in the unit tier: the mutes and their reasons, the mutelist Prowler gets,
the offline environment and the reading of Prowler's findings. Prowler itself runs only in `make audit`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from audit.prowler_audit import (
    KINDS,
    MOTO_PREFIX,
    MUTES,
    Finding,
    failures,
    load_mutes,
    offline_env,
    premise_problems,
    prowler_mutelist,
    read_findings,
)

ROOT = Path(__file__).resolve().parents[2]
IDS = {"management": "123456789012", "network": "111111111111", "workload": "222222222222"}


def test_every_committed_mute_has_a_kind_a_reason_and_a_scope():
    mutes = load_mutes(MUTES)
    assert mutes
    for mute in mutes:
        assert mute.kind in KINDS, mute
        assert len(mute.reason) >= 40, mute
        assert mute.kind != "local-api" or mute.reason.startswith(MOTO_PREFIX), mute
        assert re.fullmatch(r"[a-z0-9_]+", mute.check), mute.check
        # Nothing the landing zone owns is muted everywhere: a centralized check only in member accounts,
        # a by-design one only on the resources named.
        if mute.kind == "centralized":
            assert "management" not in mute.accounts and "*" not in mute.accounts, mute
        if mute.kind == "by-design":
            assert "*" not in mute.resources, mute


def test_the_committed_centralized_mutes_are_the_cis_4_metric_filters_in_member_accounts():
    from landing_zone.guardrails.monitoring import cis_metric_filters

    centralized = {m.check: m for m in load_mutes(MUTES) if m.kind == "centralized"}
    assert len(centralized) == len(cis_metric_filters()) == 15
    assert all(c.startswith("cloudwatch_") for c in centralized), sorted(centralized)
    assert {m.accounts for m in centralized.values()} == {("network", "workload")}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("iam_support_role_created: {kind: local-api, reason: flaky}", "must say why (at least 40 characters)"),
        (
            "iam_support_role_created: {reason: 'moto does not implement permission set provisioning'}",
            "kind: '' (allowed: local-api, workload, centralized, by-design)",
        ),
        (
            "iam_support_role_created: {kind: local-api, reason: 'the support role is provisioned by Identity Center'}",
            "a local-api mute starts with 'moto does not implement '",
        ),
        (
            "macie_is_enabled: {kind: workload, reason: 'workload service: Macie classifies workload data', accounts: [audit]}",
            "['audit'] (allowed: management, network, workload",
        ),
        (
            "vpc_flow_logs_enabled: {kind: local-api, reason: 'moto does not implement flow log reads at all', why: no}",
            "expected kind, reason and optional accounts, resources and intermittent",
        ),
        (
            "cloudwatch_changes_to_vpcs_alarm_configured: {kind: centralized, reason: 'the filters are in the management account log group'}",
            "a centralized check passes in the management account, so its mute names member accounts only",
        ),
        (
            "iam_aws_attached_policy_no_administrative_privileges: {kind: by-design, reason: 'the access role is the deployment path into the account'}",
            "a by-design mute names the resources it concerns, not '*'",
        ),
        (
            "iam_aws_attached_policy_no_administrative_privileges: {kind: by-design, reason: 'the access role is the deployment path into the account', resources: ['(']}",
            "resources: '(' is not a regular expression",
        ),
    ],
)
def test_a_mute_without_a_kind_a_real_reason_or_a_scope_is_refused(tmp_path, entry, message):
    path = tmp_path / "mutes.yaml"
    path.write_text(f"checks:\n  {entry}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)):
        load_mutes(path)


def test_the_mutelist_names_each_audited_account_check_and_resource(tmp_path):
    path = tmp_path / "mutes.yaml"
    path.write_text(
        "checks:\n"
        "  guardduty_is_enabled: {kind: local-api, reason: 'moto does not implement GuardDuty organization auto-enable reads'}\n"
        "  rds_instance_storage_encrypted: {kind: workload, reason: 'workload service, not the landing zone''s: RDS databases belong to teams', accounts: [workload]}\n"
        "  iam_aws_attached_policy_no_administrative_privileges: {kind: by-design, reason: 'AdministratorAccess on the access role is the deployment path', accounts: [network], resources: ['arn:aws:iam::aws:policy/AdministratorAccess']}\n",
        encoding="utf-8",
    )
    mutelist = prowler_mutelist(load_mutes(path), IDS)
    everywhere = {"Regions": ["*"], "Resources": ["*"]}
    assert mutelist == {
        "Mutelist": {
            "Accounts": {
                "111111111111": {
                    "Checks": {
                        "guardduty_is_enabled": everywhere,
                        "iam_aws_attached_policy_no_administrative_privileges": {
                            "Regions": ["*"],
                            "Resources": ["arn:aws:iam::aws:policy/AdministratorAccess"],
                        },
                    }
                },
                "123456789012": {"Checks": {"guardduty_is_enabled": everywhere}},
                "222222222222": {"Checks": {"guardduty_is_enabled": everywhere, "rds_instance_storage_encrypted": everywhere}},
            }
        }
    }


def test_a_centralized_mute_holds_only_while_the_check_passes_in_the_management_account(tmp_path):
    path = tmp_path / "mutes.yaml"
    check = "cloudwatch_changes_to_vpcs_alarm_configured"
    path.write_text(
        f"checks:\n  {check}: {{kind: centralized, reason: 'the CIS 4.x filters live on the organization trail log group', accounts: [network, workload]}}\n",
        encoding="utf-8",
    )
    mutes = load_mutes(path)
    member = [Finding(IDS[a], "eu-west-1", check, "FAIL", True, "x", "no filter") for a in ("network", "workload")]
    passing = Finding(IDS["management"], "eu-west-1", check, "PASS", False, "trail", "filter and alarm")
    assert premise_problems(mutes, [*member, passing], IDS) == []
    failing = Finding(IDS["management"], "eu-west-1", check, "FAIL", False, "trail", "no alarm")
    assert premise_problems(mutes, [*member, failing], IDS) == [
        f"{check}: muted as centralized, but in the management account (123456789012) it is FAIL, not PASS"
    ]
    assert premise_problems(mutes, [passing], IDS) == [
        f"{check}: the centralized mute silenced no finding; remove it from audit/mutes.yaml"
    ]


def test_an_intermittent_local_api_mute_is_not_stale_when_the_finding_does_not_show(tmp_path):
    path = tmp_path / "mutes.yaml"
    check = "cloudtrail_s3_dataevents_write_enabled"
    reason = "moto does not implement the trail event selectors reliably outside its home region"
    path.write_text(
        f"checks:\n  {check}: {{kind: local-api, reason: '{reason}', intermittent: 'seen in one of two runs, one region only', accounts: [management]}}\n",
        encoding="utf-8",
    )
    assert premise_problems(load_mutes(path), [], IDS) == []
    path.write_text(f"checks:\n  {check}: {{kind: local-api, reason: '{reason}', accounts: [management]}}\n", encoding="utf-8")
    assert premise_problems(load_mutes(path), [], IDS) == [
        f"{check}: the local-api mute silenced no finding; remove it from audit/mutes.yaml"
    ]
    for kind, why in (("by-design", reason), ("local-api", "flaky")):
        path.write_text(
            f"checks:\n  {check}: {{kind: {kind}, reason: '{reason}', intermittent: '{why}', accounts: [management], resources: ['x']}}\n",
            encoding="utf-8",
        )
        with pytest.raises(ValueError, match="only a local-api mute may be intermittent"):
            load_mutes(path)


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
    # make e2e (so make test) builds it in the background and hands the e2e audit test its exit status
    e2e = makefile[makefile.index("\ne2e:") :].split("\n\n")[0]
    assert "$(AUDIT_VENV)/.installed" in e2e and "LZ_AUDIT_VENV_STATUS=$(AUDIT_STATUS) $(PYTEST) -m e2e tests/e2e" in e2e
    deploy_test = (ROOT / "tests" / "e2e" / "test_deploy_local.py").read_text(encoding="utf-8")
    assert deploy_test.index("test_prowler_cis_3_0_finds_no_failure_the_landing_zone_owns") < deploy_test.index(
        "test_the_drill_finds_fixes_and_remembers_a_violation"
    ), "the audit runs before the drill plants its violations"


def test_an_endpoint_nobody_answers_is_a_clear_error_not_a_traceback(monkeypatch, capsys, tmp_path):
    import socket

    from audit import prowler_audit

    with socket.socket() as probe:  # a port on 127.0.0.1 that nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("LZ_AWS_ENDPOINT", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    assert prowler_audit.main(["--out", str(tmp_path)]) == 2
    assert f"LZ_AWS_ENDPOINT=http://127.0.0.1:{port}: no local API answers there" in capsys.readouterr().err
