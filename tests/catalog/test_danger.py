"""Plan review: replacing or deleting a catalog product, portfolio or share is a danger rule (fast, a written plan).

tests/catalog/test_local_api.py holds the same rules against a real destroy plan of the applied catalog.
"""

from __future__ import annotations

import json

import pytest

from landing_zone.review.review import review_plans

BEFORE = {
    "aws_servicecatalog_product.catalog_product_ec2-instance": {"name": "ec2-instance", "id": "prod-1"},
    "aws_servicecatalog_portfolio.catalog_portfolio_blueprints": {"name": "blueprints", "id": "port-1"},
    "aws_servicecatalog_portfolio_share.catalog_share_blueprints_Workloads": {
        "principal_id": "arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-abcd-12345678",
        "id": "port-1:ORGANIZATIONAL_UNIT:x",
    },
    "aws_servicecatalog_provisioning_artifact.catalog_version_ec2-instance_v2": {"name": "v2", "id": "pa-1:prod-1"},
}


def _plan(tmp_path, actions: list[str]):
    changes, prior = [], []
    for address, before in BEFORE.items():
        rtype, name = address.split(".")
        common = {"address": address, "mode": "managed", "type": rtype, "name": name}
        prior.append({**common, "values": before, "sensitive_values": {}})
        after = None if actions == ["delete"] else {**before, "id": None}
        changes.append(
            {
                **common,
                "change": {
                    "actions": actions,
                    "before": before,
                    "after": after,
                    "after_unknown": {"id": True} if after else {},
                    "before_sensitive": {},
                    "after_sensitive": {},
                },
            }
        )
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.11.0",
        "prior_state": {"values": {"root_module": {"resources": prior}}},
        "resource_changes": changes,
    }
    path = tmp_path / "management.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    return path


@pytest.mark.parametrize("actions, verb", [(["delete"], "deletes"), (["delete", "create"], "replaces")])
def test_catalog_removals_block_the_merge(tmp_path, actions, verb):
    review = review_plans([f"management={_plan(tmp_path, actions)}"])
    found = {d.rule: d.message for d in review.dangers}
    assert set(found) == {"catalog-product-delete", "catalog-portfolio-delete", "catalog-share-delete"}
    assert found["catalog-product-delete"].startswith(f"{verb} self-service product ec2-instance: ")
    assert found["catalog-portfolio-delete"].startswith(f"{verb} self-service portfolio blueprints: ")
    assert "ou/o-abcdefghij/ou-abcd-12345678" in found["catalog-share-delete"]
    assert review.blocked


def test_allowed_by_name(tmp_path):
    allow = ["catalog-product-delete", "catalog-portfolio-delete", "catalog-share-delete"]
    review = review_plans([f"management={_plan(tmp_path, ['delete'])}"], allow=allow)
    assert review.dangers and not review.blocked


def test_a_version_withdrawn_is_not_a_danger(tmp_path):
    """Only the artifact goes (the product stays): routine, not blocked."""
    path = _plan(tmp_path, ["delete"])
    plan = json.loads(path.read_text(encoding="utf-8"))
    plan["resource_changes"] = [c for c in plan["resource_changes"] if "provisioning_artifact" in c["address"]]
    path.write_text(json.dumps(plan), encoding="utf-8")
    assert not review_plans([f"management={path}"]).dangers
