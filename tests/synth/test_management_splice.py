"""Patching the management stack (issue 21): the keys that allow it, the splice itself, and what attribution reads.

Pure Python: no cdktf. The synth through this path is in tests/scale/test_incremental_synth.py."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from landing_zone.derived.account_tags import CLOSE_ALLOWED_TAG, account_tags
from landing_zone.environment import load_environment
from landing_zone.review.attribution import Attributor
from landing_zone.review.facts import ReviewFacts
from landing_zone.review.manifest import views_from_synth
from landing_zone.speed.management_splice import ACCOUNT_RESOURCE, SpliceError, retag, splice
from landing_zone.speed.synth_cache import SynthKeys, keys_document, own_changes, read_parts, synth_keys

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "environments" / "example.yaml"


def _account(name: str, tags: dict | None, stack: str = "management") -> dict:
    body: dict = {"//": {"metadata": {"path": f"{stack}/{name}/account", "uniqueId": f"account_{name}"}}, "name": name}
    body["parent_id"] = "${aws_organizations_organizational_unit.ou_Sandbox.id}"
    if tags is not None:
        body["tags"] = tags
    return body


def _doc(accounts: dict[str, dict | None]) -> dict:
    return {
        "//": {"metadata": {"stackName": "management"}},
        "resource": {
            "aws_organizations_organizational_unit": {"ou_Sandbox": {"name": "Sandbox", "parent_id": "r-1"}},
            ACCOUNT_RESOURCE: {f"account_{name}": _account(name, tags) for name, tags in accounts.items()},
        },
    }


def test_splice_takes_the_named_accounts_from_the_build_and_keeps_the_rest_in_place():
    previous = _doc({"a": {"team": "x"}, "b": {"team": "y"}, "c": None})
    built = _doc({"b": None, "c": {"team": "z"}})  # a read-only build: other accounts may be absent
    built["resource"][ACCOUNT_RESOURCE]["account_b"]["name"] = "b"
    text = splice(json.dumps(previous, indent=2), built, "management", ["b", "c"])
    result = json.loads(text)
    accounts = result["resource"][ACCOUNT_RESOURCE]
    assert list(accounts) == ["account_a", "account_b", "account_c"]  # order kept: the bytes of a full synth
    assert accounts["account_a"] == previous["resource"][ACCOUNT_RESOURCE]["account_a"]
    assert "tags" not in accounts["account_b"] and accounts["account_c"]["tags"] == {"team": "z"}
    assert text == json.dumps(result, indent=2, ensure_ascii=False)  # written as cdktf writes it: two spaces, no newline


def test_splice_refuses_accounts_either_document_lacks():
    previous = _doc({"a": None})
    with pytest.raises(SpliceError):
        splice(json.dumps(previous), _doc({"a": None}), "management", ["a", "b"])
    with pytest.raises(SpliceError):
        splice(json.dumps(previous), _doc({}), "management", ["a"])
    elsewhere = _doc({"a": None})
    elsewhere["resource"][ACCOUNT_RESOURCE]["account_a"] = _account("a", None, stack="other")
    with pytest.raises(SpliceError):  # an account resource of another construct path is not the account's
        splice(json.dumps(previous), elsewhere, "management", ["a"])


def test_splice_refuses_a_previous_text_not_laid_out_as_cdktf_writes_it():
    """The resource's text is replaced where it stands: it must read exactly as json.dumps(indent=2) writes it."""
    previous, built = _doc({"a": {"team": "x"}, "b": None}), _doc({"a": {"team": "y"}})
    assert json.loads(splice(json.dumps(previous, indent=2), built, "management", ["a"]))["resource"][ACCOUNT_RESOURCE][
        "account_a"
    ]["tags"] == {"team": "y"}
    for text in (
        json.dumps(previous),  # one line
        json.dumps(previous, indent=4),  # another indent
        json.dumps(previous, indent=2).replace('"team": "x"', '"team":"x"'),  # the account's own text differs
    ):
        with pytest.raises(SpliceError):
            splice(text, built, "management", ["a"])


def test_retag_writes_new_tags_in_place_and_refuses_an_account_gaining_or_losing_them():
    previous = _doc({"a": {"team": "x"}, "b": {"team": "y"}, "c": None})
    text = retag(json.dumps(previous, indent=2), "management", {"b": {"cost": "1", "team": "z"}})
    expected = json.loads(json.dumps(previous))
    expected["resource"][ACCOUNT_RESOURCE]["account_b"]["tags"] = {"cost": "1", "team": "z"}
    assert text == json.dumps(expected, indent=2, ensure_ascii=False)  # nothing else moved, the key kept its place
    for tags in ({"c": {"team": "new"}}, {"b": {}}, {"d": {"team": "x"}}):  # gains, loses, no such account
        with pytest.raises(SpliceError):
            retag(json.dumps(previous, indent=2), "management", tags)


def test_account_tags_are_sorted_and_carry_the_close_tag_when_the_account_closes():
    assert list(account_tags({"z": "1", "a": "2"}, False)) == ["a", "z"]
    assert account_tags({}, True) == {CLOSE_ALLOWED_TAG[0]: CLOSE_ALLOWED_TAG[1]}


@pytest.mark.synth
def test_splice_writes_what_cdktf_writes_for_a_real_stack(synth_out):
    """Parsing the synthesized management stack and writing it again gives its bytes back (non-ASCII kept)."""
    path = synth_out.dir / "stacks" / "management" / "cdk.tf.json"
    text = path.read_text(encoding="utf-8")
    doc = json.loads(text)
    names = [body["name"] for body in doc["resource"][ACCOUNT_RESOURCE].values()]
    assert splice(text, doc, "management", names) == text


def _keys(tmp_path: Path, edit) -> SynthKeys:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    edit(data)
    target = tmp_path / EXAMPLE.name
    if not (tmp_path / EXAMPLE.stem).exists():
        shutil.copytree(EXAMPLE.parent / EXAMPLE.stem, tmp_path / EXAMPLE.stem)
    target.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return synth_keys(load_environment(target), {"target": "local"})


def _tag_request(data: dict) -> None:
    data["account_factory"]["requests"][-1].setdefault("tags", {})["cost-center"] = "edited"


def _tag_core(data: dict) -> None:
    data["accounts"][0]["tags"] = {}


def _email(data: dict) -> None:
    data["accounts"][0]["email"] = "edited+" + data["accounts"][0]["email"]


def test_only_the_management_key_and_the_accounts_own_keys_follow_their_tags(tmp_path):
    before = _keys(tmp_path, lambda data: None)
    for edit, account in ((_tag_request, None), (_tag_core, 0)):
        data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
        name = data["accounts"][account]["name"] if account is not None else data["account_factory"]["requests"][-1]["name"]
        after = _keys(tmp_path, edit)
        changed = {stack for stack in before.stacks if before.stacks[stack] != after.stacks[stack]}
        assert changed == {"management"}, edit.__name__
        assert own_changes(after, before) == [name]
    assert own_changes(before, before) == []


def test_an_edit_beyond_the_own_fields_is_not_patched(tmp_path):
    before = _keys(tmp_path, lambda data: None)
    after = _keys(tmp_path, _email)
    assert after.shared != before.shared and own_changes(after, before) is None
    fewer = SynthKeys(before.stacks, before.shared, dict(list(before.own.items())[:-1]))
    assert own_changes(fewer, before) is None  # an account more or less: the same shared key would not do
    assert own_changes(before, SynthKeys({})) is None  # no part keys recorded (an older synth): build it


def test_the_part_keys_are_written_and_read_back(tmp_path):
    keys = _keys(tmp_path, lambda data: None)
    (tmp_path / "lz-synth-keys.json").write_text(keys_document(keys.stacks, keys), encoding="utf-8")
    assert read_parts(tmp_path) == SynthKeys({}, keys.shared, keys.own)
    (tmp_path / "lz-synth-keys.json").write_text(keys_document(keys.stacks), encoding="utf-8")
    assert read_parts(tmp_path) == SynthKeys({})


def test_attributing_an_account_reads_its_name_and_ou_not_its_tags():
    """Why a patched management stack keeps its review manifest entries: its accounts' attribution does not change
    with their tags (not even a `segment` tag, which attributes network resources)."""
    facts = ReviewFacts(accounts={"a": "Sandbox"})

    def attribution(tags):
        views = views_from_synth("management", _doc({"a": tags}))
        return Attributor(views, facts).attribute(f"{ACCOUNT_RESOURCE}.account_a")

    untagged = attribution(None)
    assert untagged.account == "a" and untagged.ou == "Sandbox"
    assert attribution({"segment": "prod", "team": "x"}) == untagged


@pytest.mark.synth
def test_the_keys_file_of_the_example_names_every_account(synth_out):
    parts = read_parts(synth_out.dir)
    assert parts.shared and set(parts.own) == {a.name for a in synth_out.loaded.env.accounts}
