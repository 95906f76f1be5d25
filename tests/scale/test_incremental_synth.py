"""Incremental synth (issue 21.2): after random edits to the 100-account environment (account requests, core
accounts, the organization's tags), `synthesize` over the previous output reuses the unchanged stacks and writes a
folder byte-identical to a full synth of the edited environment.

One full synth of the unedited environment is shared by every example; each example copies it, edits the
environment, synthesizes incrementally into the copy and fully into a sibling folder (same depth, so relative state
paths agree), and compares every file.
"""

from __future__ import annotations

import copy
import itertools
import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bench.generate import write_environment
from landing_zone.config.problems import ConfigError
from landing_zone.environment import load_environment

pytestmark = [pytest.mark.synth, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
ACCOUNTS = 100
OUS = ("Sandbox", "Workloads/Prod", "Workloads/NonProd")


def synth(env_file: Path, out: Path, incremental: bool):
    from landing_zone.node_runtime import prepare_node_runtime

    prepare_node_runtime()
    from landing_zone.app import AppOptions, synthesize

    return synthesize(load_environment(env_file), AppOptions(out_dir=out, project_dir=ROOT), incremental=incremental)


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """The 100-account environment's data and its full synth (the folder every example starts from)."""
    root = tmp_path_factory.mktemp("incremental")
    env_file = write_environment(ACCOUNTS, root / "base")
    out = root / "out-base"
    synth(env_file, out, incremental=False)
    return root, env_file, yaml.safe_load(env_file.read_text(encoding="utf-8")), out


EDITS = st.lists(
    st.tuples(
        st.sampled_from(("tag", "budget", "ou", "add", "remove", "core-tag", "org-tag")),
        st.integers(min_value=0, max_value=10_000),
        st.text(alphabet="abcdefghijklmnop", min_size=1, max_size=8),
    ),
    min_size=1,
    max_size=3,
)


def edited(data: dict, edits) -> tuple[dict, set[str], bool]:
    """`data` with the edits applied to account requests, `accounts:` entries (core-tag) and the organization's
    tags (org-tag); returns it, the names of the accounts whose entry changed (an edit can be a no-op: an OU the
    account is already in, a budget it already has) and whether an environment-wide setting changed."""
    original = {r["name"]: r for r in data["account_factory"]["requests"] + data["accounts"]}
    data = copy.deepcopy(data)
    requests = data["account_factory"]["requests"]
    with_vpc = {v["account"] for v in (data.get("network") or {}).get("vpcs", [])}
    touched = set()
    widespread = False
    for kind, number, text in edits:
        request = requests[number % len(requests)]
        if kind == "org-tag":
            before = dict(data["organization"].get("tags") or {})
            data["organization"].setdefault("tags", {})["cost-center"] = text
            widespread = widespread or data["organization"]["tags"] != before
            continue
        if kind == "core-tag":
            request = data["accounts"][number % len(data["accounts"])]
            request.setdefault("tags", {})["team"] = text
        elif kind == "tag":
            request.setdefault("tags", {})["cost-center"] = text
        elif kind == "budget":
            request.setdefault("baseline", {}).setdefault("budget", {})["monthly_limit_usd"] = 50 + number
        elif kind == "ou":
            request["ou"] = OUS[number % len(OUS)]
        elif kind == "add":
            clone = copy.deepcopy(requests[0])  # sandbox-dev1: no VPC of its own
            clone["name"] = f"added-{text}"
            if any(r["name"] == clone["name"] for r in requests):
                continue
            requests.append(clone)
            request = clone
        elif kind == "remove":
            if request["name"] in with_vpc or request.get("network") or len(requests) < 10:
                continue
            requests.remove(request)
        touched.add(request["name"])
    after = {r["name"]: r for r in requests + data["accounts"]}
    return data, {name for name in touched if original.get(name) != after.get(name)}, widespread


def changed_stacks(before: Path, after: Path) -> set[str]:
    """Names of the stacks whose files differ between two synth folders (added and removed stacks included)."""
    old, new = folder_bytes(before), folder_bytes(after)
    return {
        path.split("/")[1] for path in old.keys() | new.keys() if path.startswith("stacks/") and old.get(path) != new.get(path)
    }


_examples = itertools.count()


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(edits=EDITS)
def test_incremental_synth_is_byte_identical_to_a_full_synth(baseline, edits):
    root, env_file, data, base_out = baseline
    new_data, touched, widespread = edited(data, edits)
    assume(touched or widespread)
    number = next(_examples)
    folder = root / f"env-{number}"
    shutil.copytree(env_file.parent, folder)
    changed_file = folder / env_file.name
    changed_file.write_text(yaml.safe_dump(new_data, sort_keys=False, width=120), encoding="utf-8")
    try:
        load_environment(changed_file)
    except ConfigError:
        assume(False)  # an edit the rules refuse (e.g. an OU whose guardrails the account's network breaks)
    incremental, full = root / f"out-{number}-incremental", root / f"out-{number}-full"
    shutil.copytree(base_out, incremental)
    result = synth(changed_file, incremental, incremental=True)
    synth(changed_file, full, incremental=False)
    assert folder_bytes(incremental) == folder_bytes(full)
    reused = {s.name for s in result.stacks if s.reused}
    if not widespread:
        assert len(reused) > ACCOUNTS // 2, "most account stacks are reused"
    # A stack whose output the edit changed was synthesized again (an account's stack may legitimately stay the
    # same, e.g. moved between two OUs that differ only in the management stack's placement of it).
    changed = changed_stacks(base_out, full)
    assert not changed & reused


def test_an_unchanged_environment_reuses_every_stack(synth_out, tmp_path_factory):
    copy_dir = tmp_path_factory.mktemp("unchanged")  # a sibling of synth_out's folder: relative state paths agree
    shutil.copytree(synth_out.dir, copy_dir, dirs_exist_ok=True)
    before = folder_bytes(copy_dir)
    result = synth(ROOT / "environments" / "example.yaml", copy_dir, incremental=True)
    assert all(s.reused for s in result.stacks)
    assert folder_bytes(copy_dir) == before


def test_worker_processes_write_the_same_bytes(synth_out, tmp_path_factory, monkeypatch):
    import landing_zone.app.synthesis as app

    monkeypatch.setattr(app, "PARALLEL_MIN_STACKS", 2)  # the example's 13 stacks are fewer than a worker is worth
    out = tmp_path_factory.mktemp("parallel")  # a sibling of synth_out's folder: relative state paths agree
    messages: list[str] = []
    from landing_zone.app import AppOptions, synthesize

    result = synthesize(
        synth_out.loaded, AppOptions(out_dir=out, project_dir=ROOT), progress=messages.append, incremental=False, jobs=2
    )
    assert f"building {len(synth_out.loaded.facts.deploy_order)} stacks in 2 processes (this one and 1 worker)" in messages
    assert not any(s.reused for s in result.stacks)
    assert folder_bytes(out) == folder_bytes(synth_out.dir)
    assert not [p for p in out.parent.glob(f".{out.name}.*") if p.is_dir()]  # the workers' folders are gone (the run lock stays)


@pytest.fixture
def recorded_reuse(monkeypatch):
    """The number of stacks whose review manifest entries each synth kept from the previous manifest."""
    import landing_zone.review.manifest as manifest

    counts: list[int] = []
    real = manifest.reusable_entries

    def recording(*args, **kwargs):
        entries = real(*args, **kwargs)
        counts.append(len(entries))
        return entries

    monkeypatch.setattr(manifest, "reusable_entries", recording)
    return counts


def _example_edited(tmp_path_factory, edit) -> Path:
    folder = tmp_path_factory.mktemp("edited-example")
    example = ROOT / "environments" / "example.yaml"
    shutil.copytree(example.parent / example.stem, folder / example.stem)
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    edit(data)
    target = folder / example.name  # the same file name: the same environment name in the manifest
    target.write_text(yaml.safe_dump(data, sort_keys=False, width=120), encoding="utf-8")
    return target


def _tag(data: dict) -> None:
    data["account_factory"]["requests"][-1].setdefault("tags", {})["cost-center"] = "edited"


def _move(data: dict) -> None:
    data["account_factory"]["requests"][0]["ou"] = "Workloads/NonProd"  # sandbox-dev1, from Sandbox


def _budget(data: dict) -> None:
    data["account_factory"]["requests"][-1].setdefault("baseline", {}).setdefault("budget", {})["monthly_limit_usd"] = 77


@pytest.mark.parametrize(
    ("edit", "kept"), [(_tag, "file"), (_budget, "entries"), (_move, "none")], ids=["tag", "budget", "ou-move"]
)
def test_the_review_manifest_keeps_the_entries_of_copied_stacks_only_while_they_hold(
    synth_out, tmp_path_factory, recorded_reuse, edit, kept
):
    """A tag edit copies or patches every stack and changes no review fact: the earlier manifest is written again
    as it was, unparsed. A budget edit builds some stacks again with the outputs they had: the copied stacks'
    entries are kept. Moving an account to another OU changes the review facts (its OU): every stack is attributed
    again. Each time the folder is byte-identical to a full synth."""
    env_file = _example_edited(tmp_path_factory, edit)
    incremental = tmp_path_factory.mktemp("manifest-incremental")  # siblings of synth_out's folder
    full = tmp_path_factory.mktemp("manifest-full")
    shutil.copytree(synth_out.dir, incremental, dirs_exist_ok=True)
    result = synth(env_file, incremental, incremental=True)
    synth(env_file, full, incremental=False)
    copied = sum(1 for s in result.stacks if s.reused or s.patched)  # a patched stack keeps its entries too
    assert 0 < copied
    assert recorded_reuse == {"file": [], "entries": [copied], "none": [0]}[kept]
    assert (copied == len(result.stacks)) == (kept == "file")
    assert folder_bytes(incremental) == folder_bytes(full)


def test_a_worker_builds_the_management_stack_read_only(synth_out, tmp_path_factory):
    """A part that reads the management stack without writing it (a worker's) builds only the organization, OUs
    and accounts (what the others read): no SCPs, contacts, Identity Center or catalog. Its own stacks are the
    same bytes (the worker test above proves it for a whole synth; here for the last stack)."""
    import json

    from landing_zone.app import AppOptions
    from landing_zone.app.build import _build_part
    from landing_zone.derived.stack_layout import DETECTIVE_GUARDRAILS, MANAGEMENT

    loaded = synth_out.loaded
    out = tmp_path_factory.mktemp("part")  # a sibling of synth_out's folder: relative state paths agree
    _build_part(loaded, AppOptions(out_dir=out, project_dir=ROOT), (DETECTIVE_GUARDRAILS,))
    read_only = json.loads((out / "stacks" / MANAGEMENT / "cdk.tf.json").read_text(encoding="utf-8"))["resource"]
    full = synth_out.stacks[MANAGEMENT]["resource"]
    assert len(read_only["aws_organizations_account"]) == len(full["aws_organizations_account"]) == len(loaded.env.accounts)
    assert read_only["aws_organizations_organizational_unit"] == full["aws_organizations_organizational_unit"]
    absent = {"aws_organizations_policy", "aws_account_alternate_contact", "aws_ssoadmin_account_assignment"}
    assert absent <= set(full) and not absent & set(read_only)
    written = (out / "stacks" / DETECTIVE_GUARDRAILS / "cdk.tf.json").read_bytes()
    assert written == (synth_out.dir / "stacks" / DETECTIVE_GUARDRAILS / "cdk.tf.json").read_bytes()


def _tags_only(data: dict) -> None:
    """Tags of a vended account and of a core account (removed): the accounts' own fields, nothing else."""
    _tag(data)
    data["accounts"][0].pop("tags", None)


def _patch(synth_out, tmp_path_factory, edit, spoil=None, ready=lambda: None):
    """Synthesize `edit` of the example over a copy of its output (`spoil`ed first, if given), and in full; the
    messages and results. `ready`: as synthesize's (called before cdktf is first needed)."""
    from landing_zone.app import AppOptions, synthesize

    env_file = _example_edited(tmp_path_factory, edit)
    incremental = tmp_path_factory.mktemp("patch-incremental")  # siblings of synth_out's folder
    full = tmp_path_factory.mktemp("patch-full")
    shutil.copytree(synth_out.dir, incremental, dirs_exist_ok=True)
    if spoil is not None:
        spoil(incremental)
    messages: list[str] = []
    loaded = load_environment(env_file)
    result = synthesize(loaded, AppOptions(out_dir=incremental, project_dir=ROOT), progress=messages.append, ready=ready)
    synth(env_file, full, incremental=False)
    assert folder_bytes(incremental) == folder_bytes(full)
    return messages, result


PATCHED = "patched stack management: the own fields (tags) of {} changed, nothing else ({})"
FROM_BUILD = "from a build of those accounts alone"
IN_PLACE = "new tags written in place, nothing built"


def test_a_tag_edit_patches_the_management_stack_and_builds_nothing(synth_out, tmp_path_factory, recorded_reuse):
    """Only accounts' tags changed, and one of them has none left: the management stack is patched from a build of
    those two accounts alone, every other stack is copied, every manifest entry kept, and the folder is
    byte-identical to a full synth."""
    messages, result = _patch(synth_out, tmp_path_factory, _tags_only)
    assert PATCHED.format("2 accounts", FROM_BUILD) in messages
    assert not [m for m in messages if m.startswith("built stack")]
    assert [s.name for s in result.stacks if not s.reused] == ["management"]
    assert next(s for s in result.stacks if s.name == "management").patched
    assert recorded_reuse == []  # the earlier review manifest is written again as it was (and equals a full synth's)


def test_a_tag_value_edit_is_written_in_place_without_cdktf(synth_out, tmp_path_factory):
    """An account that had tags and keeps some: its new tags are computed as the Account construct computes them
    (derived.account_tags) and written in place, so the synth never needs cdktf (`ready` is not called) and
    still writes what a full synth writes."""
    assert synth_out.loaded.env.accounts[-1].tags  # the request `_tag` edits has tags already
    calls: list[str] = []
    messages, result = _patch(synth_out, tmp_path_factory, _tag, ready=lambda: calls.append("ready"))
    assert PATCHED.format("1 account", IN_PLACE) in messages
    assert calls == [] and not [m for m in messages if m.startswith("built stack")]
    assert [s.name for s in result.stacks if not s.reused] == ["management"]


def test_the_copies_are_made_before_cdktf_is_needed(synth_out, tmp_path_factory):
    """A synth that builds stacks copies the unchanged ones first (while a command's background load of cdktf
    runs): when `ready` is called, they are in the temporary folder already."""
    seen: list[int] = []

    def ready() -> None:
        (tmp,) = [p for p in incremental.parent.iterdir() if p.name.startswith(f".{incremental.name}.tmp-")]
        seen.append(len(list((tmp / "stacks").iterdir())))

    incremental = tmp_path_factory.mktemp("early-copies")
    from landing_zone.app import AppOptions, synthesize

    shutil.copytree(synth_out.dir, incremental, dirs_exist_ok=True)
    result = synthesize(
        load_environment(_example_edited(tmp_path_factory, _budget)),
        AppOptions(out_dir=incremental, project_dir=ROOT),
        ready=ready,
    )
    copied = [s.name for s in result.stacks if s.reused]
    assert len(seen) == 1 and 0 < len(copied) == seen[0]


def test_a_patch_leaves_the_previous_files_as_they_were(synth_out, tmp_path_factory):
    """Copied stacks are hard links into the previous output: the patched file is a new file, so a link to the
    previous management stack (as a reader holding it, or an interrupted synth's previous output) still reads the
    earlier bytes, and no copied file changed."""
    before = tmp_path_factory.mktemp("links")
    originals = {}

    def link(folder: Path) -> None:
        for name in ("management", "audit"):
            os.link(folder / "stacks" / name / "cdk.tf.json", before / name)
            originals[name] = (before / name).read_bytes()

    _patch(synth_out, tmp_path_factory, _tags_only, link)
    assert (
        (before / "management").read_bytes()
        == originals["management"]
        == (synth_out.dir / "stacks" / "management" / "cdk.tf.json").read_bytes()
    )
    assert (before / "audit").read_bytes() == originals["audit"]


def test_a_tag_edit_with_a_stack_to_build_patches_from_the_read_only_build(synth_out, tmp_path_factory):
    """With a stack to build beside it (its folder is gone from the earlier output), the management stack is built
    read-only (every account, for its readers) and patched from that: it is not among the stacks built."""
    gone = next(name for name in synth_out.loaded.facts.deploy_order if name.startswith("account-"))
    messages, result = _patch(synth_out, tmp_path_factory, _tags_only, lambda folder: shutil.rmtree(folder / "stacks" / gone))
    assert PATCHED.format("2 accounts", FROM_BUILD) in messages
    built = {m.split()[2] for m in messages if m.startswith("built stack")}
    assert gone in built and "management" not in built
    assert next(s for s in result.stacks if s.name == "management").patched


def test_a_management_stack_that_cannot_be_patched_is_built(synth_out, tmp_path_factory):
    """The earlier management stack lacks an account resource the patch replaces (edited by hand): the synth starts
    again and builds it, and the output is still what a full synth writes."""
    import json

    def spoil(folder: Path) -> None:
        path = folder / "stacks" / "management" / "cdk.tf.json"
        doc = json.loads(path.read_text(encoding="utf-8"))
        accounts = doc["resource"]["aws_organizations_account"]
        name = next(k for k, body in accounts.items() if body["name"] == synth_out.loaded.env.accounts[0].name)
        del accounts[name]
        path.write_text(json.dumps(doc, indent=2), encoding="utf-8")

    messages, result = _patch(synth_out, tmp_path_factory, _tags_only, spoil)
    assert "could not patch stack management from its read-only form: building it" in messages
    assert "built stack management" in " ".join(messages)
    assert not next(s for s in result.stacks if s.name == "management").reused
