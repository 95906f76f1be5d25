"""Renderers, masking and attribution details, on the lab's real plans."""

from __future__ import annotations

import json

import pytest
from conftest import run_lz

from landing_zone.review.masking import SENSITIVE, SENSITIVE_CHANGED
from landing_zone.review.render import MAX_COMMENT, render, render_markdown

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SECRETS = ("s3cr3t-before", "s3cr3t-after")


def test_the_plan_itself_holds_the_secret_in_clear(review_lab):
    """What the masking is for: terraform show -json writes sensitive values as they are."""
    text = review_lab.plans["danger"]["danger-lab"].read_text(encoding="utf-8")
    assert all(secret in text for secret in SECRETS)


@pytest.mark.parametrize("fmt", ["markdown", "text", "json"])
def test_sensitive_values_are_masked_in_every_format(review_of, fmt):
    review = review_of("danger", "log-archive-bucket-delete")
    text = render(review, fmt)
    assert not any(secret in text for secret in SECRETS)
    detail = next(d for d in review.details if d.item.change.address == "aws_ssm_parameter.lab_secret")
    (value,) = [r for r in detail.rows if r.attribute == "value"]
    assert (value.before, value.after) == (SENSITIVE, SENSITIVE_CHANGED)


def test_markdown_fits_a_pr_comment_and_says_what_it_cut(review_of):
    review = review_of("destroy")
    full = render(review, "text")
    assert len(full) > 20_000  # a whole landing zone going away is long
    small = render_markdown(review, limit=12_000)
    assert len(small) <= 12_000
    assert "**Cut to fit a pull-request comment" in small or "cut to fit a pull-request comment" in small
    assert small.startswith("## Landing zone plan review\n\n> [!CAUTION]")  # the reason stays at the top
    assert len(render_markdown(review)) <= MAX_COMMENT


def test_markdown_folds_each_diff_under_details(review_of):
    text = render(review_of("routine"), "markdown")
    assert "<details><summary><code>~ update aws_organizations_account.account_web-nonprod" in text
    assert "| `parent_id` |" in text
    for heading in (
        "### Accounts and OUs",
        "### Changes by account and stack",
        "### Guardrails",
        "### Access",
        "### Resource changes",
    ):
        assert heading in text


def test_json_output_has_every_section(review_lab):
    code, out, _ = run_lz("plan-review", *review_lab.args("routine"), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {
        "blocked",
        "summary",
        "totals",
        "stacks",
        "dangers",
        "accounts",
        "events",
        "guardrails",
        "access",
        "permission_sets",
        "network",
        "resources",
    }
    moved = next(r for r in data["resources"] if r["address"].endswith(f"account_{'web-nonprod'}"))
    assert moved["construct_path"] == "management/web-nonprod/account" and moved["ou"] == "Workloads/Prod"


def test_network_changes_name_the_segment(review_of):
    review = review_of("danger")
    rows = {(n.what, n.action, n.segment) for n in review.network}
    assert ("VPC attachment", "delete", "prod") in rows
    assert ("transit gateway", "delete", "") in rows
    assert any(what == "VPC peering" for what, _, _ in rows)
    routes = [n for n in review.network if n.what == "route"]
    assert [n.detail for n in routes] == [
        "destination_cidr_block=10.30.0.0/16; vpc_peering_connection_id="
        + routes[0].detail.split("vpc_peering_connection_id=")[1]
    ]


def test_a_plan_without_manifest_still_names_accounts_from_the_plan(review_lab):
    """The manifest adds construct paths; accounts, OUs and guardrails come from the plan alone too."""
    from landing_zone.review.review import review_plans

    plain = review_plans([str(p) for p in review_lab.plans["email"].values()])
    assert plain.manifest is None
    (danger,) = plain.dangers
    assert danger.rule == "account-replace" and "web-prod" in danger.message
    moved_rows = {(r.account, r.ou) for r in plain.accounts}
    assert ("web-prod", "Workloads/Prod") in moved_rows


def test_a_folder_laid_out_like_the_ci_artifacts_reads_the_same(review_lab, tmp_path):
    """plans/plan-<stack>/<stack>.json (+ the binary plan, ignored), as download-artifact writes them."""
    import shutil

    for stack, path in review_lab.plans["email"].items():
        folder = tmp_path / "plans" / f"plan-{stack}"
        folder.mkdir(parents=True)
        shutil.copy(path, folder / f"{stack}.json")
        (folder / "tfplan").write_bytes(b"PK\x03\x04 binary plan")
    shutil.copy(review_lab.manifests["email"], tmp_path / "plans" / "lz-manifest.json")  # found beside the plans
    code, out, err = run_lz("plan-review", str(tmp_path / "plans"), "--format", "json")
    code_direct, out_direct, _ = run_lz("plan-review", *review_lab.args("email"), "--format", "json")
    assert (code, code_direct) == (3, 3)
    folder_view, direct_view = json.loads(out), json.loads(out_direct)
    for data in (folder_view, direct_view):
        data.pop("stacks"), data.pop("manifest")
    assert folder_view == direct_view
