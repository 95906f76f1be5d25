"""lz plan-review on real plans of the example (terraform against the local AWS API)."""

from __future__ import annotations

import json

import plan_lab as L
import pytest
from conftest import run_lz

from landing_zone.environment import load_environment
from landing_zone.review.env_diff import diff_environments

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def grants(rows):
    return {(r.change, r.group, r.permission_set, r.account) for r in rows}


# -- routine: added account, moved account, changed SCP, removed guardrail, removed assignment --------
def test_the_cases_are_about_the_management_stack(review_lab):
    """Which stacks each case changes; the management stack's plan is reviewed here, and for the
    routine case the detective-guardrails plan too (its Config rules exclude the new account).

    A changed root email also reaches the account's own stack (its budget
    notifications go to that address); that stack assumes a role in the account
    the management stack replaces, so CI plans it after the management apply.
    A new account also changes the audit stack: the incident-response runbooks
    are shared with every member account.
    """
    assert sorted(review_lab.changed["routine"]) == sorted(["management", "audit", L.DETECTIVE])
    assert sorted(review_lab.changed["email"]) in (["management"], sorted(["management", f"account-{L.REPLACED_ACCOUNT}"]))
    assert review_lab.new_stacks["email"] == []
    assert set(review_lab.new_stacks["routine"]) <= {f"account-{L.NEW_ACCOUNT}"}
    assert list(review_lab.plans["routine"]) == ["management", L.DETECTIVE]
    assert all(list(plans) in (["management"], ["danger-lab"]) for case, plans in review_lab.plans.items() if case != "routine")


def test_routine_changes_pass_with_exit_0_and_a_one_line_summary(review_lab):
    code, out, err = run_lz("plan-review", *review_lab.args("routine"))
    assert code == 0, err
    assert out.startswith("## Landing zone plan review\n")
    assert "Blocked" not in out and "[!CAUTION]" not in out
    summary = err.strip().splitlines()[-1]
    assert summary.startswith("plan-review: 2 stack(s), ") and summary.endswith("; no dangerous changes")


def test_an_added_account_is_created_in_its_ou_and_counted(review_of):
    review = review_of("routine")
    created = [e for e in review.events if e.kind == "account" and e.what == "created"]
    assert [(e.name, e.detail) for e in created] == [(L.NEW_ACCOUNT, f"in {L.NEW_ACCOUNT_OU}")]
    row = next(r for r in review.accounts if r.account == L.NEW_ACCOUNT)
    assert (row.ou, row.stack) == (L.NEW_ACCOUNT_OU, "management")
    assert row.counts["create"] >= 1 and row.counts["delete"] == row.counts["replace"] == 0


def test_a_moved_account_names_both_ous(review_of):
    review = review_of("routine")
    moved = [e for e in review.events if e.what == "moved"]
    assert [(e.name, e.detail) for e in moved] == [(L.MOVED_ACCOUNT, f"moved from Workloads/NonProd to {L.MOVED_TO}")]
    row = next(r for r in review.accounts if r.account == L.MOVED_ACCOUNT and r.stack == "management")
    assert row.ou == L.MOVED_TO and row.counts["update"] >= 1


def test_a_changed_scp_shows_the_changed_statement_of_the_custom_control(review_of):
    review = review_of("routine")
    changed = [g for g in review.guardrails if g.change == "changed" and g.behaviour == "SCP"]
    assert [(g.target, g.control_id) for g in changed] == [(f"OU {L.OVERLAY_OU}", L.CUSTOM_SCP)]
    assert changed[0].statements == ["reviewdenyiamusers"]
    detail = next(
        d for d in review.details if d.item.change.type == "aws_organizations_policy" and d.item.change.action == "update"
    )
    (content,) = [r for r in detail.rows if r.attribute == "content"]
    added = [line for line in content.diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert any('"iam:CreateLoginProfile"' in line for line in added)
    assert not any(line.startswith("-") and "CreateLoginProfile" in line for line in content.diff.splitlines())


def test_a_removed_guardrail_is_listed_per_target_with_its_control_id(review_of):
    review = review_of("routine")
    removed_id = L.removed_elective(L.example_data())
    removed = [g for g in review.guardrails if g.change == "removed"]
    assert {(g.target, g.control_id, g.behaviour) for g in removed} == {("OU Workloads", removed_id, "SCP")}
    assert removed[0].tier == "elective" and not removed[0].mandatory
    assert not [g for g in review.guardrails if g.change == "added"]
    # organization Config rules (their own stack) that skip the new account's OU now list it among their exclusions
    rules = [g for g in review.guardrails if g.behaviour == "Config rule"]
    assert rules and all(g.change == "changed" and g.detail == f"now excludes {L.NEW_ACCOUNT}" for g in rules)
    assert {g.stack for g in rules} == {L.DETECTIVE}


def test_a_removed_assignment_revokes_exactly_that_grant_and_matches_lz_diff(review_lab, review_of):
    review = review_of("routine")
    group, permission_set = L.overlay_grant(L.example_data())
    assert ("revoked", group, permission_set, L.OVERLAY_ACCOUNT) in grants(review.access)
    # the config-only diff of the same two files finds the same access changes, without terraform
    base = load_environment(review_lab.root / "baseline" / "example.yaml")
    head = load_environment(review_lab.root / "routine" / "example.yaml")
    assert grants(review.access) == grants(diff_environments(base, head).access)
    # the new account got the OU-wide grants of Sandbox, the moved one those of its new OU
    assert {r.account for r in review.access if r.change == "granted"} >= {L.NEW_ACCOUNT}


def test_every_routine_change_is_attributed_to_an_account(review_of):
    review = review_of("routine")
    assert all(not item.account.startswith("(stack") for item in review.items)
    assignment = next(
        i for i in review.items if i.change.type == "aws_ssoadmin_account_assignment" and i.change.action == "delete"
    )
    assert assignment.attribution.account == L.OVERLAY_ACCOUNT
    assert assignment.construct_path is None  # gone from the synthesized config: named from the plan's prior state


def test_lz_diff_of_the_routine_files_summarizes_the_same_changes(review_lab):
    code, out, err = run_lz(
        "diff",
        str(review_lab.root / "baseline" / "example.yaml"),
        str(review_lab.root / "routine" / "example.yaml"),
        "--format",
        "json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert {(a["name"], a["change"]) for a in data["accounts"]} == {(L.NEW_ACCOUNT, "added"), (L.MOVED_ACCOUNT, "moved")}
    removed_id = L.removed_elective(L.example_data())
    lost = {g["account"] for g in data["guardrails"] if g["control_id"] == removed_id and g["change"] == "removed"}
    assert L.MOVED_ACCOUNT in lost and "payments-prod" in lost
    changed = {g["account"] for g in data["guardrails"] if g["control_id"] == L.CUSTOM_SCP}
    assert changed == {L.OVERLAY_ACCOUNT}
    assert data["blocked"] is False


# -- account replacement: blocked ------------------------------------------------------------------
def test_an_account_replacement_is_blocked_with_the_reason_at_the_top(review_lab):
    code, out, err = run_lz("plan-review", *review_lab.args("email"))
    assert code == 3
    head = out.split("\n**1 stack**")[0]
    assert "[!CAUTION]" in head and "`account-replace`" in head
    assert f"replaces account {L.REPLACED_ACCOUNT} (email cannot change in place)" in head
    assert err.strip().endswith("BLOCKED by account-replace (allow with --allow account-replace)")


def test_an_account_replacement_passes_when_allowed(review_lab):
    code, out, err = run_lz("plan-review", *review_lab.args("email"), "--allow", "account-replace", "--format", "text")
    assert code == 0
    assert out.splitlines()[2] == "Allowed dangerous change(s):"
    assert "[account-replace] replaces account web-prod" in out
    assert err.strip().endswith("; allowed: account-replace")


def test_lz_diff_blocks_the_email_change_too(review_lab):
    code, out, err = run_lz(
        "diff", str(review_lab.root / "baseline" / "example.yaml"), str(review_lab.root / "email" / "example.yaml")
    )
    assert code == 3
    assert "**`account-replace`**: replaces account web-prod" in out.split("\n\n")[1]


# -- whole-stack plans: organization replaced, everything destroyed -----------------------------------
def test_replacing_the_organization_rebuilds_ous_but_detaches_no_guardrail(review_of):
    review = review_of("org-replace")
    assert {d.rule for d in review.dangers} == {"organization-replace", "ou-replace", "catalog-share-delete"}
    assert not [g for g in review.guardrails if g.change == "removed"]
    replaced_ous = {e.name for e in review.events if e.kind == "ou" and e.what == "replaced"}
    assert "Workloads/Prod" in replaced_ous and "Security" in replaced_ous


def test_a_destroy_plan_removes_every_mandatory_guardrail_from_its_targets(review_of):
    review = review_of("destroy")
    detached = {(g.target, g.control_id) for g in review.guardrails if g.change == "removed" and g.mandatory}
    assert ("root", "AWS-GR_CLOUDTRAIL_CHANGE_PROHIBITED") in detached
    assert not [g for g in review.guardrails if g.change == "added"]
    assert review.totals["delete"] == sum(1 for c in review.plans[0].changes if c.action == "delete") > 100
