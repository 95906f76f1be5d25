"""A change against its base: no account replaced, removed without the two-step closure, or closed beyond the quota."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from landing_zone.config.lifecycle import closure_quota, lifecycle_problems
from landing_zone.environment import load_environment

from .conftest import request

ROOT = Path(__file__).resolve().parents[2]


# An account is closed only from the Suspended OU under a deny-all SCP (the factory_closure rule).
DENY_ALL_ON_SUSPENDED = "guardrails:\n  controls:\n    LZ-DENY-ALL: {ous: [Suspended]}\n"


def _written(write_env, name: str, requests: list[str]) -> Path:
    path = write_env(name, *requests)
    path.write_text(path.read_text() + DENY_ALL_ON_SUSPENDED)
    return path


def _check(write_env, before: list[str], after: list[str]) -> list[str]:
    base = load_environment(_written(write_env, "base", before))
    new = load_environment(_written(write_env, "new", after))
    return [f"{p.path}: {p.message}" for p in lifecycle_problems(base, new)]


def test_unchanged_and_moves_are_fine(write_env):
    assert _check(write_env, [request("a"), request("b")], [request("a", ou="Workloads"), request("b"), request("c")]) == []


def test_email_change_forces_replacement_and_is_rejected(write_env):
    found = _check(write_env, [request("a")], [request("a", email="AWS+a@tiny-corp.io")])
    assert found == [
        "accounts[name=a].email: changing the email of 'a' from 'aws+a@tiny-corp.io' to 'AWS+a@tiny-corp.io' forces replacement "
        "of aws_organizations_account (AWS provider 5.100.0): change the root email in AWS first "
        "(`aws account start-primary-email-update` and `accept-primary-email-update`, or the console as root), "
        "then here, so the plan shows no change"
    ]


def test_rename_is_rejected(write_env):
    found = _check(write_env, [request("a")], [request("b", email="aws+a@tiny-corp.io")])
    assert len(found) == 1 and found[0].startswith("accounts[name=b].name: account 'a' is renamed to 'b'")


def test_removal_needs_suspended_and_close_first(write_env):
    found = _check(write_env, [request("a"), request("b")], [request("b")])
    assert found == [
        "accounts[name=a].name: account 'a' is removed in "
        + str(write_env("new", request("b")))
        + "; an account is removed in two changes: first move it to OU 'Suspended' (deny-all) with close: true and apply, then remove it"
    ]
    # Moved and marked first: now it may go.
    assert _check(write_env, [request("a", ou="Suspended", close="true"), request("b")], [request("b")]) == []
    # Suspended but not marked: still refused.
    assert len(_check(write_env, [request("a", ou="Suspended"), request("b")], [request("b")])) == 1


def test_closures_per_change_respect_the_quota(write_env):
    closing = [request(f"old{i}", ou="Suspended", close="true") for i in range(11)]
    found = _check(write_env, closing + [request("keep")], [request("keep")])
    assert closure_quota(14) == 10 and closure_quota(250) == 25
    assert found == [
        "accounts: 11 accounts are closed in one change (old0, old1, old10, old2, old3, old4, old5, old6, old7, old8, old9); "
        "AWS allows 10 per 30 days (10 % of 14 member accounts, at least 10): close them over several changes"
    ]
    assert _check(write_env, closing[:10] + [request("keep")], [request("keep")]) == []


def test_access_role_change_for_existing_accounts_is_rejected(write_env):
    base = write_env("base", request("a"))
    new = write_env("new", request("a"))
    new.write_text(new.read_text().replace("    ou: Sandbox\n", "    ou: Sandbox\n    access_role_name: Other\n", 1))
    found = lifecycle_problems(load_environment(base), load_environment(new))
    assert [p.path for p in found] == ["accounts[name=a].name"]
    assert "access role of 'a' changes from 'OrganizationAccountAccessRole' to 'Other'" in found[0].message


def test_lz_validate_base_exit_codes(write_env):
    base = write_env("base", request("a"), request("b"))
    new = write_env("new", request("b"))
    cmd = [sys.executable, "-m", "landing_zone.cli.main", "validate", str(new)]
    run = subprocess.run(cmd + ["--base", str(base)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "accounts[name=a].name: account 'a' is removed in" in run.stderr
    assert "valid." not in run.stdout  # issue 23 B.6: no "valid." line above the error
    same = subprocess.run(cmd + ["--base", str(new)], cwd=ROOT, capture_output=True, text=True)
    assert same.returncode == 0 and "valid." in same.stdout


def test_the_closure_quota_error_carries_line_and_column(write_env):
    """Issue 23 A.10: the closure-quota problem points at the new file's accounts, with line:col."""
    closing = [request(f"old{i}", ou="Suspended", close="true") for i in range(11)]
    base = load_environment(_written(write_env, "base", closing + [request("keep")]))
    new = load_environment(_written(write_env, "new", [request("keep")]))
    (problem,) = lifecycle_problems(base, new)
    assert problem.location.file == new.file and problem.location.line > 0 and problem.location.column > 0
    assert str(problem).startswith(f"{new.file}:{problem.location.line}:{problem.location.column}: accounts: 11 accounts")
