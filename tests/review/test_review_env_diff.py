"""`lz diff BASE_ENV HEAD_ENV`: config-only summaries, no terraform (fast)."""

from __future__ import annotations

import copy
import json

import plan_lab as L
import pytest
from conftest import run_lz

MANDATORY_ON_SECURITY_OU = "AWS-GR_CT_AUDIT_BUCKET_ENCRYPTION_CHANGES_PROHIBITED"


@pytest.fixture
def write(tmp_path):
    def write(name: str, data: dict) -> str:
        return str(L.write_env(tmp_path / name, data, tmp_path / "state"))

    return write


def diff(base: str, head: str, *extra: str) -> tuple[int, dict, str]:
    code, out, err = run_lz("diff", base, head, "--format", "json", *extra)
    return code, json.loads(out), err


def test_no_change_is_no_change(write):
    data = L.example_data()
    code, result, err = diff(write("a", data), write("b", data))
    assert code == 0
    assert result["summary"].endswith("; no changes")
    assert not any(result[k] for k in ("accounts", "ous", "stacks", "guardrails", "access", "identity", "dangers"))


def test_a_removed_account_is_blocked_until_allowed(write):
    base = L.example_data()
    head = copy.deepcopy(base)
    L.remove_account(head, "sandbox-dev1")
    code, result, _ = diff(write("a", base), write("b", head))
    assert code == 3
    assert [(d["rule"], d["address"]) for d in result["dangers"]] == [("account-delete", "sandbox-dev1")]
    assert {"kind": "account", "name": "sandbox-dev1", "change": "removed", "detail": "was in Sandbox"} in result["accounts"]
    code, result, _ = diff(write("c", base), write("d", head), "--allow", "account-delete")
    assert code == 0 and result["dangers"][0]["allowed"] is True


def test_a_renamed_account_is_a_delete_and_a_create(write):
    base = L.example_data()
    head = copy.deepcopy(base)
    entry = L.account_entry(head, "sandbox-dev1")
    entry.update(name="sandbox-alice", email="aws+sandbox-dev1@acme-corp.io")  # same root email: a rename
    code, result, _ = diff(write("a", base), write("b", head))
    assert code == 3
    removed = next(a for a in result["accounts"] if a["change"] == "removed")
    assert removed["detail"] == "renamed to sandbox-alice: terraform deletes this account and creates another"


def test_a_removed_ou_is_blocked(write):
    base = L.example_data()
    head = copy.deepcopy(base)
    head["organizational_units"] = [o for o in head["organizational_units"] if o["path"] != "Suspended"]
    for control in (head.get("guardrails") or {}).get("controls", {}).values():
        if control and control.get("ous"):
            control["ous"] = [o for o in control["ous"] if o != "Suspended"] or ["PolicyStaging"]
    code, result, err = run_lz("diff", write("a", base), write("b", head), "--format", "text")
    assert code == 3, err
    assert "[ou-delete] removes OU Suspended" in result


def test_an_account_losing_a_mandatory_guardrail_is_blocked(write):
    """Mandatory targets may grow (here: to one sandbox account); taking that back detaches the guardrail there."""
    base = L.example_data()
    base["guardrails"]["controls"][MANDATORY_ON_SECURITY_OU] = {"accounts": ["sandbox-dev1"]}
    head = L.example_data()
    code, result, _ = diff(write("a", base), write("b", head))
    assert code == 3
    assert [(d["rule"], d["message"]) for d in result["dangers"]] == [
        ("mandatory-guardrail-detach", f"account sandbox-dev1 loses mandatory guardrail {MANDATORY_ON_SECURITY_OU}")
    ]


def test_a_moved_account_changes_guardrails_and_access_per_account(write):
    base = L.example_data()
    head = copy.deepcopy(base)
    L.account_entry(head, "sandbox-dev1")["ou"] = "Workloads/NonProd"
    code, result, _ = diff(write("a", base), write("b", head))
    assert code == 0
    assert result["accounts"] == [
        {"kind": "account", "name": "sandbox-dev1", "change": "moved", "detail": "from Sandbox to Workloads/NonProd"}
    ]
    gained = {g["control_id"] for g in result["guardrails"] if g["account"] == "sandbox-dev1" and g["change"] == "added"}
    assert L.removed_elective(base) in gained  # Workloads' electives reach it now
    assert all(g["account"] == "sandbox-dev1" for g in result["guardrails"])
    assert result["access"] and all(a["account"] == "sandbox-dev1" for a in result["access"])


def test_markdown_puts_the_block_reason_first(write):
    base = L.example_data()
    head = copy.deepcopy(base)
    L.account_entry(head, "web-prod")["email"] = "aws+web-prod-new@acme-corp.io"
    code, out, err = run_lz("diff", write("a", base), write("b", head))
    assert code == 3
    lines = out.splitlines()
    assert lines[0].startswith("## Landing zone config diff: ")
    assert lines[2] == "> [!CAUTION]"
    assert lines[4].startswith("> - **`account-replace`**: replaces account web-prod")
    assert err.strip().endswith("BLOCKED by account-replace (allow with --allow account-replace)")


def test_an_invalid_file_exits_2_with_problems(write, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("organization: {}\n", encoding="utf-8")
    code, out, err = run_lz("diff", str(bad), str(L.EXAMPLE))
    assert code == 2 and "error(s)" in err and "Traceback" not in err


def test_unknown_allow_rule_exits_2(write):
    data = L.example_data()
    code, _, err = run_lz("diff", write("a", data), write("b", data), "--allow", "everything")
    assert code == 2 and "unknown rule(s) for --allow: everything" in err
