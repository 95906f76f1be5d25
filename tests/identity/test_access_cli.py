"""`lz access` as a user runs it: the matrix, filters, formats, mistakes. No cdktf."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from landing_zone.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "environments" / "example.yaml")
MINIMAL = str(ROOT / "tests" / "config" / "fixtures" / "good" / "minimal.yaml")


def test_table_lists_every_grant_by_account(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")  # one table: narrower, each account heads its own (tests/render/test_width.py)
    assert main(["access", EXAMPLE]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Identity Center access in example: all accounts:"
    out = out[1:]
    assert out[0].split() == ["Account", "OU", "Group", "Permission", "set", "Via"]
    assert out[2].split() == [
        "management",
        "root",
        "AWSAccountFactory",
        "AWSServiceCatalogEndUserAccess",
        "control-tower-account-factory",
    ]
    # payments-prod is excluded from the platform admins' OU-wide assignment.
    rows = [line.split() for line in out[2:] if line.strip()]
    assert ["developers", "DeveloperAccess", "developers-on-nonprod"] in [r[-3:] for r in rows]
    # preset: 1 + 1 + 3 (core admins) + 10 (Organizations, members) + 1 + 1 + 1 + 11 (auditors) + 10 (power users,
    # members only) + 11 (support) = 50;
    # custom: platform admins 5, developers 3 + 2, network 1 = 11.
    assert out[-3].startswith("61 grant(s): 12 group(s) hold 9 permission set(s) across 11 account(s)")
    # issue 24.1: the management account's broad access is stated, and who can reach member accounts from there.
    assert out[-1] == (
        "Broad access in the management account 'management', where no guardrail applies: AWSControlTowerAdmins holds "
        "AWSAdministratorAccess (AdministratorAccess). The control_tower preset gives it to AWSControlTowerAdmins only. "
        "Member accounts' access roles admit only the deployment role 'LandingZoneDeployment', so broad access here "
        "does not reach them."
    )


def test_one_account(capsys):
    assert main(["access", EXAMPLE, "--account", "payments-prod"]) == 0
    out = capsys.readouterr().out
    assert "platform-engineers" not in out  # excluded by exclude_accounts
    assert "developers                  AWSReadOnlyAccess           developers-read-prod" in out
    assert out.rstrip().endswith("5 grant(s): 5 group(s) hold 4 permission set(s) across 1 account(s).")


def test_one_group_as_json(capsys):
    assert main(["access", EXAMPLE, "--group", "network-engineers", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["identity_source"] == "identity_center"
    assert report["grants"] == [
        {
            "account": "network",
            "ou": "Infrastructure",
            "group": "network-engineers",
            "permission_set": "NetworkAdministrator",
            "via": ["network-admins"],
        }
    ]


def test_markdown_for_pull_requests(capsys):
    assert main(["access", EXAMPLE, "--group", "developers", "--format", "markdown"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "### Identity Center access in example: group developers"
    assert out[2] == "| Account | OU | Group | Permission set | Via |"
    assert "| web-prod | Workloads/Prod | developers | AWSReadOnlyAccess | developers-read-prod |" in out


def test_unknown_names_exit_2_with_a_suggestion(capsys):
    assert main(["access", EXAMPLE, "--account", "paymnts-prod"]) == 2
    assert "unknown account 'paymnts-prod' (did you mean 'payments-prod'?)" in capsys.readouterr().err
    assert main(["access", EXAMPLE, "--group", "develpers"]) == 2
    assert "unknown group 'develpers' (did you mean 'developers'?)" in capsys.readouterr().err


def test_without_identity_section_says_so(capsys):
    assert main(["access", MINIMAL]) == 1
    assert "no identity: section" in capsys.readouterr().err


def test_account_and_group_are_exclusive_and_startup_stays_light():
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from landing_zone.cli.main import main; "
            "rc = main(['access', sys.argv[1], '--account', 'network']); "
            "assert 'cdktf' not in sys.modules and 'jsii' not in sys.modules; sys.exit(rc)",
            EXAMPLE,
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "landing_zone.cli.main", "access", EXAMPLE, "--account", "a", "--group", "b"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "not allowed with argument" in proc.stderr


def test_json_lists_broad_access_in_the_management_account(capsys):
    assert main(["access", EXAMPLE, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["management_broad_access"] == [
        {
            "group": "AWSControlTowerAdmins",
            "permission_set": "AWSAdministratorAccess",
            "grants": "AdministratorAccess",
            "via": ["control-tower-admins"],
        }
    ]
