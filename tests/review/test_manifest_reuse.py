"""review/manifest.reusable_entries: an earlier manifest's entries are kept only while attribution would agree."""

from __future__ import annotations

import json

import pytest

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


@pytest.mark.synth
def test_an_unchanged_manifest_is_written_again_only_when_its_head_is_the_same(synth_out, tmp_path):
    """keep_unchanged_manifest (a synth that copied every stack): the earlier file's text when version, environment
    and stacks are what this synth's manifest has; otherwise nothing is written and the caller builds it."""
    import dataclasses
    import shutil

    from landing_zone.review.manifest import MANIFEST_FILE, keep_unchanged_manifest

    out = tmp_path / "out"
    shutil.copytree(synth_out.dir, out)
    (out / MANIFEST_FILE).unlink()
    previous = synth_out.dir / MANIFEST_FILE
    docs = dict(synth_out.stacks)
    assert keep_unchanged_manifest(out, synth_out.loaded, docs, previous)
    assert (out / MANIFEST_FILE).read_bytes() == previous.read_bytes()
    (out / MANIFEST_FILE).unlink()
    renamed = dataclasses.replace(synth_out.loaded, name="other")  # the environment's name is in the head
    assert not keep_unchanged_manifest(out, renamed, docs, previous)
    assert not keep_unchanged_manifest(out, synth_out.loaded, {k: v for k, v in docs.items() if k != "audit"}, previous)
    hand_edited = tmp_path / "edited.json"
    hand_edited.write_text(previous.read_text(encoding="utf-8").rstrip("\n"), encoding="utf-8")
    assert not keep_unchanged_manifest(out, synth_out.loaded, docs, hand_edited)
    assert not (out / MANIFEST_FILE).exists()
