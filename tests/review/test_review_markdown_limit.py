"""The markdown review keeps under GitHub's comment size at the default limit (fast, no lab)."""

from __future__ import annotations

import json

from conftest import run_lz

from landing_zone.review.render import MAX_COMMENT, render_markdown
from landing_zone.review.review import review_plans


def _plan_with_many_changes(count: int) -> dict:
    """`count` log groups whose tags change: a routine plan, long only because it is big."""
    changes = []
    for i in range(count):
        address = f"aws_cloudwatch_log_group.group_{i:04d}"
        before = {"name": f"/acme/app-{i:04d}", "retention_in_days": 365, "tags": {"owner": "team-a", "note": "x" * 60}}
        after = {**before, "tags": {"owner": "team-b", "note": "y" * 60}}
        changes.append(
            {
                "address": address,
                "mode": "managed",
                "type": "aws_cloudwatch_log_group",
                "name": f"group_{i:04d}",
                "change": {
                    "actions": ["update"],
                    "before": before,
                    "after": after,
                    "after_unknown": {},
                    "before_sensitive": {},
                    "after_sensitive": {},
                },
            }
        )
    return {"format_version": "1.2", "terraform_version": "1.11.0", "resource_changes": changes}


def test_a_review_longer_than_a_comment_is_cut_to_the_default_limit(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(_plan_with_many_changes(1500)), encoding="utf-8")
    uncut = render_markdown(review_plans([f"account-web={path}"]), limit=10 * MAX_COMMENT)
    assert len(uncut) > 2 * MAX_COMMENT and "Cut to fit" not in uncut  # the whole review does not fit
    code, markdown, _ = run_lz("plan-review", f"account-web={path}", "--format", "markdown")
    assert code == 0
    assert MAX_COMMENT == 65_000 and len(markdown) <= MAX_COMMENT
    assert "**Cut to fit a pull-request comment (65,000 characters):**" in markdown
    assert markdown.startswith("## Landing zone plan review")
