"""review/manifest.reusable_entries: an earlier manifest's entries are kept only while attribution would agree."""

from __future__ import annotations

import json

from landing_zone.review.facts import ReviewFacts
from landing_zone.review.manifest import VERSION, reusable_entries

FACTS = ReviewFacts()


def _previous(tmp_path, **changes):
    data = {
        "version": VERSION,
        "environment": {**FACTS.to_json(), "name": "example"},
        "stacks": {},
        "resources": {"a": {"aws_s3_bucket.x": {"type": "aws_s3_bucket"}}, "b": {}},
    }
    data.update(changes)
    path = tmp_path / "lz-manifest.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_copied_stacks_entries_are_kept(tmp_path):
    path = _previous(tmp_path)
    assert reusable_entries(path, {"a", "b"}, True, FACTS, "example") == {
        "a": {"aws_s3_bucket.x": {"type": "aws_s3_bucket"}},
        "b": {},
    }
    assert reusable_entries(path, {"a", "gone"}, True, FACTS, "example") == {"a": {"aws_s3_bucket.x": {"type": "aws_s3_bucket"}}}


def test_nothing_is_kept_when_outputs_facts_name_or_version_changed(tmp_path):
    path = _previous(tmp_path)
    assert reusable_entries(path, {"a"}, False, FACTS, "example") == {}
    assert reusable_entries(path, {"a"}, True, FACTS, "other") == {}
    other_facts = _previous(tmp_path, environment={**FACTS.to_json(), "name": "example", "management_account": "root"})
    assert reusable_entries(other_facts, {"a"}, True, FACTS, "example") == {}
    assert reusable_entries(_previous(tmp_path, version=VERSION + 1), {"a"}, True, FACTS, "example") == {}


def test_an_unreadable_manifest_keeps_nothing(tmp_path):
    assert reusable_entries(tmp_path / "missing.json", {"a"}, True, FACTS, "example") == {}
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert reusable_entries(broken, {"a"}, True, FACTS, "example") == {}
