"""`lz affected`: the stacks a change touches, their dependents, waves and chunks (no synth: small folders)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from landing_zone.review.affected import (
    AffectedError,
    affected_stacks,
    chunks,
    environment_name,
    github_outputs,
)

GRAPH = {
    "management": [],
    "log-archive": ["management"],
    "network": ["management"],
    "account-a": ["network"],
    "account-b": ["network"],
    "last": ["account-a", "account-b", "log-archive"],
}


def write_out(folder: Path, graph: dict[str, list[str]], docs: dict[str, dict] | None = None, depth: str = "../../..") -> Path:
    """A synth folder as cdktf writes one: manifest.json and stacks/<name>/cdk.tf.json."""
    stacks = {}
    for name, deps in graph.items():
        (folder / "stacks" / name).mkdir(parents=True, exist_ok=True)
        doc = (docs or {}).get(name) or {
            "terraform": {"backend": {"local": {"path": f"{depth}/terraform-state/env/{name}.tfstate"}}},
            "resource": {"aws_s3_bucket": {"b": {"bucket": name}}},
        }
        (folder / "stacks" / name / "cdk.tf.json").write_text(json.dumps(doc, indent=2), encoding="utf-8")
        stacks[name] = {"name": name, "dependencies": deps, "workingDirectory": f"stacks/{name}"}
    (folder / "manifest.json").write_text(json.dumps({"version": "0.21.0", "stacks": stacks}), encoding="utf-8")
    (folder / "lz-manifest.json").write_text(json.dumps({"environment": {"name": "demo"}}), encoding="utf-8")
    return folder


def edit(folder: Path, stack: str, value: str = "changed") -> None:
    path = folder / "stacks" / stack / "cdk.tf.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["resource"]["aws_s3_bucket"]["b"]["bucket"] = value
    path.write_text(json.dumps(doc), encoding="utf-8")


@pytest.fixture
def pair(tmp_path) -> tuple[Path, Path]:
    return write_out(tmp_path / "base", GRAPH), write_out(tmp_path / "head", GRAPH)


def table(result) -> list[tuple[str, str, int]]:
    return [(s.name, s.reason, s.wave) for s in result.stacks]


def test_no_change_affects_nothing(pair):
    result = affected_stacks(*pair)
    assert result.stacks == [] and result.removed == [] and len(result.unchanged) == len(GRAPH)
    assert result.waves == []


def test_a_leaf_change_affects_the_leaf_and_what_depends_on_it_in_waves(pair):
    base, head = pair
    edit(head, "account-a")
    result = affected_stacks(base, head)
    assert table(result) == [("account-a", "changed", 0), ("last", "depends on account-a", 1)]
    assert result.waves == [[["account-a"]], [["last"]]]


def test_a_root_change_affects_everything_in_dependency_order(pair):
    base, head = pair
    edit(head, "management")
    result = affected_stacks(base, head)
    assert table(result) == [
        ("management", "changed", 0),
        ("log-archive", "depends on management", 1),
        ("network", "depends on management", 1),
        ("account-a", "depends on network", 2),
        ("account-b", "depends on network", 2),
        ("last", "depends on account-a", 3),
    ]
    # no stack of a wave depends on another of the same wave
    waves = {s.name: s.wave for s in result.stacks}
    assert all(waves[d] < waves[s] for s, deps in GRAPH.items() for d in deps)


def test_two_independent_changes_share_a_wave(pair):
    base, head = pair
    edit(head, "account-a")
    edit(head, "account-b")
    result = affected_stacks(base, head)
    assert result.waves == [[["account-a"], ["account-b"]], [["last"]]]


def test_added_and_removed_stacks(tmp_path):
    base = write_out(tmp_path / "base", GRAPH)
    graph = dict(GRAPH, **{"account-c": ["network"]})
    graph["last"] = graph["last"] + ["account-c"]
    del graph["account-b"]
    graph["last"] = [d for d in graph["last"] if d != "account-b"]
    head = write_out(tmp_path / "head", graph)
    result = affected_stacks(base, head)
    assert ("account-c", "added", 0) in table(result)
    assert result.removed == ["account-b"]
    assert affected_stacks(None, head).names == [
        s for s in ["management", "log-archive", "network", "account-a", "account-c", "last"]
    ]


def test_a_local_state_path_written_from_another_depth_is_the_same_state(tmp_path):
    base = write_out(tmp_path / "base", GRAPH)
    head = write_out(tmp_path / "deeper" / "head", GRAPH, depth="../../../..")
    assert affected_stacks(base, head).stacks == []
    moved = write_out(tmp_path / "moved", GRAPH, depth="../../../elsewhere")
    assert {s.reason for s in affected_stacks(base, moved).stacks} == {"changed"}


def test_only_formatting_differs_is_no_change(pair):
    base, head = pair
    path = head / "stacks" / "network" / "cdk.tf.json"
    path.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8"))), encoding="utf-8")
    assert affected_stacks(base, head).stacks == []


def test_a_change_only_in_another_file_of_the_stack_folder_is_seen(pair):
    """imports.tf (the access-role import), assets: every synthesized file of the folder counts."""
    base, head = pair
    imports = 'import {\n  to = aws_iam_role.access\n  id = "OrganizationAccountAccessRole"\n}\n'
    for folder in (base, head):
        (folder / "stacks" / "account-a" / "imports.tf").write_text(imports, encoding="utf-8")
    assert affected_stacks(base, head).stacks == []
    (head / "stacks" / "account-a" / "imports.tf").write_text(imports.replace("Organization", "Other"), encoding="utf-8")
    assert table(affected_stacks(base, head)) == [("account-a", "changed", 0), ("last", "depends on account-a", 1)]
    (head / "stacks" / "account-a" / "imports.tf").unlink()  # a file only in the base
    assert table(affected_stacks(base, head))[0] == ("account-a", "changed", 0)
    asset = head / "stacks" / "account-b" / "assets" / "fn" / "code.zip"  # a new file in a subfolder
    asset.parent.mkdir(parents=True)
    asset.write_bytes(b"PK\x03\x04")
    assert ("account-b", "changed", 0) in table(affected_stacks(base, head))


def test_other_json_files_compare_as_json_and_terraform_working_files_are_ignored(pair):
    base, head = pair
    for folder, text in ((base, '{"a": 1, "b": [1, 2]}'), (head, '{\n  "a": 1,\n  "b": [1, 2]\n}')):
        (folder / "stacks" / "network" / "extra.json").write_text(text, encoding="utf-8")
    # what terraform init, plan and a local state leave in the folder it ran in
    work = head / "stacks" / "network"
    (work / ".terraform" / "providers").mkdir(parents=True)
    (work / ".terraform" / "providers" / "p").write_bytes(b"binary")
    for name in (".terraform.lock.hcl", "lz.tfplan", "tfplan", "terraform.tfstate", "terraform.tfstate.backup"):
        (work / name).write_text("x", encoding="utf-8")
    (work / "terraform.tfstate.d" / "ws").mkdir(parents=True)
    (work / "terraform.tfstate.d" / "ws" / "terraform.tfstate").write_text("{}", encoding="utf-8")
    assert affected_stacks(base, head).stacks == []
    (work / "extra.json").write_text('{"a": 2, "b": [1, 2]}', encoding="utf-8")
    assert table(affected_stacks(base, head))[0] == ("network", "changed", 0)


@pytest.mark.parametrize("size,limit", [(1, 256), (255, 256), (256, 256), (257, 256), (1000, 256), (1000, 200), (7, 3)])
def test_chunks_cover_every_stack_in_order_within_the_job_limit(size, limit):
    names = [f"s{i}" for i in range(size)]
    cut = chunks(names, limit)
    assert len(cut) <= limit and [n for c in cut for n in c] == names
    assert max(map(len, cut)) - min(map(len, cut)) <= 1


def test_github_outputs_give_every_wave_of_the_workflow(pair):
    base, head = pair
    edit(head, "account-a")
    lines = dict(line.split("=", 1) for line in github_outputs(affected_stacks(base, head), waves=4))
    assert json.loads(lines["wave_0"]) == [{"chunk": "0-0", "stacks": "account-a"}]
    assert lines["count_1"] == "1" and lines["count_2"] == "0" and lines["wave_3"] == "[]"
    assert lines["any"] == "true" and json.loads(lines["stacks"]) == ["account-a", "last"]
    with pytest.raises(AffectedError, match="needs 2 dependency waves but the workflow has 1"):
        github_outputs(affected_stacks(base, head), waves=1)


def test_not_a_synth_folder_is_a_clear_error(tmp_path):
    with pytest.raises(AffectedError, match="manifest.json: not found"):
        affected_stacks(tmp_path, tmp_path)
    head = write_out(tmp_path / "head", GRAPH)
    (head / "stacks" / "network" / "cdk.tf.json").unlink()
    base = write_out(tmp_path / "base", GRAPH)
    with pytest.raises(AffectedError, match="cdk.tf.json: not found"):
        affected_stacks(base, head)


def test_environment_name_comes_from_the_lz_manifest(pair):
    assert environment_name(pair[1]) == "demo"


def lz(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "landing_zone.cli.main", *args], capture_output=True, text=True, timeout=120)


def test_the_command_prints_json_a_matrix_reads_and_writes_both_ci_outputs(pair, tmp_path):
    base, head = pair
    edit(head, "account-b")
    github = tmp_path / "github_output"
    child = tmp_path / "child.yml"
    done = lz(
        "affected",
        str(base),
        str(head),
        "--format",
        "json",
        "--waves",
        "4",
        "--github-output",
        str(github),
        "--gitlab-pipeline",
        str(child),
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [s["name"] for s in data["stacks"]] == ["account-b", "last"]
    assert data["waves"] == [[{"chunk": "0-0", "stacks": "account-b"}], [{"chunk": "1-0", "stacks": "last"}]]
    assert "count_0=1" in github.read_text(encoding="utf-8").splitlines()
    assert "plan-wave-1:" in child.read_text(encoding="utf-8")


def test_the_command_refuses_bad_input_in_one_line(tmp_path):
    done = lz("affected", str(tmp_path), str(tmp_path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0 and "manifest.json: not found" in done.stderr
    done = lz("affected", str(tmp_path))
    assert done.returncode == 2 and "give BASE and HEAD" in done.stderr
