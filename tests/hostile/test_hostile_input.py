"""Hostile and careless input (issue 23 A.1, A.2, A.4, A.10): every class ends in a message and exit 2,
never a traceback or a hang. Fast: no synthesis; the CLI runs in-process."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from landing_zone.cli.main import main
from landing_zone.config.problems import ConfigError
from landing_zone.environment import load_environment
from landing_zone.output_paths import OutputPathError, write_output
from landing_zone.review.plans import PlanError, load_plans

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = (ROOT / "tests" / "config" / "fixtures" / "good" / "minimal.yaml").read_text()
EXAMPLE = str(ROOT / "environments" / "example.yaml")


def _problem(path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_environment(path)
    return caught.value.render()


# --- files that are not regular files, everywhere a file is read -------------------------------


def _special(tmp_path: Path, kind: str) -> Path:
    target = tmp_path / f"special-{kind}.yaml"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "dev-zero-link":
        target.symlink_to("/dev/zero")
    elif kind == "directory":
        target.mkdir()
    elif kind == "link-loop":
        (tmp_path / "loop-b.yaml").symlink_to(target)
        target.symlink_to(tmp_path / "loop-b.yaml")
    return target


KINDS = {
    "fifo": "is a named pipe, not a regular file",
    "dev-zero-link": "is a character device (such as /dev/null or /dev/zero), not a regular file",
    "directory": "is a directory",
    "link-loop": "symbolic link loop",
}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("role", ["environment", "extends", "request"])
def test_a_file_that_is_not_a_regular_file_is_refused(tmp_path, kind, role):
    special = _special(tmp_path, kind)
    if role == "environment":
        env = special
    elif role == "extends":
        env = tmp_path / "prod.yaml"
        env.write_text(f"extends: {special.name}\n")
    else:
        env = tmp_path / "prod.yaml"
        env.write_text(MINIMAL)
        (tmp_path / "prod" / "accounts").mkdir(parents=True)
        os.rename(special, tmp_path / "prod" / "accounts" / "x.yaml") if kind != "link-loop" else (
            tmp_path / "prod" / "accounts" / "x.yaml"
        ).symlink_to(special)
    # a link to /dev/zero named by extends or a request file also leads outside the repository
    expected = (
        "leads outside the environment's repository folder" if kind == "dev-zero-link" and role != "environment" else KINDS[kind]
    )
    assert expected in _problem(env)


def test_dev_zero_itself_is_refused_by_the_cli(capsys):
    assert main(["validate", "/dev/zero"]) == 2
    assert "/dev/zero: is a character device" in capsys.readouterr().err


def test_the_size_limit_holds_whatever_stat_reports(tmp_path, monkeypatch):
    import landing_zone.config.yaml_loader as loader
    from landing_zone.input_files import InputFileError, read_limited

    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 100)
    big = tmp_path / "big.yaml"
    big.write_text(MINIMAL * 3)
    assert "at most 100 are accepted" in _problem(big)
    with pytest.raises(InputFileError, match="at most 10 are accepted"):
        read_limited(big, 10)


# --- values YAML reads but Python cannot ------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("limits:\n  ou_depth: " + "9" * 5000 + "\n", ":17:13: YAML value error: a number of 5,000 digits is too large to read"),
        ("limits:\n  ou_depth: 2024-13-45\n", ":17:13: YAML value error: '2024-13-45' cannot be read as timestamp"),
        ("limits:\n  ou_depth: a\0b\n", ":17:14: character U+0000 is not allowed in YAML"),
    ],
)
def test_unreadable_values_are_problems_with_line_and_column(tmp_path, text, expected):
    env = tmp_path / "e.yaml"
    env.write_text(MINIMAL + text)
    assert f"e.yaml{expected}" in _problem(env)


# --- extends and request files stay inside the repository folder ------------------------------


@pytest.mark.parametrize(
    "ref, expected",
    [
        ("/etc/passwd", "is an absolute path"),
        ("/dev/null", "is an absolute path"),
        ("~/base.yaml", "is an absolute path"),
        ("../outside.yaml", "leads outside the environment's repository folder"),
        ("escape.yaml", "leads outside the environment's repository folder"),
        ("notes.txt", "is not an environment file: expected a .yaml or .yml file"),
        ("folder.yaml", "base file 'folder.yaml' is a directory, not a regular file"),
        ("missing.yaml", "base file 'missing.yaml' not found"),
    ],
)
def test_extends_refuses_what_is_not_an_environment_file_inside_the_repository(tmp_path, ref, expected):
    repo = tmp_path / "repo"
    repo.mkdir()
    (tmp_path / "outside.yaml").write_text(MINIMAL)
    (repo / "escape.yaml").symlink_to(tmp_path / "outside.yaml")
    (repo / "notes.txt").write_text("root:x:0:0:root:/root:/bin/bash\n")
    (repo / "folder.yaml").mkdir()
    env = repo / "prod.yaml"
    env.write_text(f"extends: {json.dumps(ref)}\n")
    message = _problem(env)
    assert expected in message and "root:x:0:0" not in message


def test_the_git_repository_is_the_boundary(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "base.yaml").write_text(MINIMAL)
    (tmp_path / "envs").mkdir()
    (tmp_path / "envs" / "prod.yaml").write_text("extends: ../base.yaml\n")
    assert load_environment(tmp_path / "envs" / "prod.yaml").env.organization.name == "tiny"


def test_a_request_file_linking_outside_is_refused(tmp_path):
    (tmp_path / "repo" / "prod" / "accounts").mkdir(parents=True)
    (tmp_path / "secret.yaml").write_text("name: x\n")
    (tmp_path / "repo" / "prod" / "accounts" / "x.yaml").symlink_to(tmp_path / "secret.yaml")
    (tmp_path / "repo" / "prod.yaml").write_text(MINIMAL)
    assert "leads outside the environment's repository folder" in _problem(tmp_path / "repo" / "prod.yaml")


def test_a_non_environment_file_is_never_echoed(tmp_path):
    env = tmp_path / "e.yaml"
    env.write_text("root:x:0:0:root:/root:/bin/bash daemon:x:1:1\n")
    message = _problem(env)
    assert "top level is a single value" in message and "root:x" not in message


@pytest.mark.parametrize("how", ["unlistable", "a-file"])
def test_an_unusable_accounts_folder_is_an_error(tmp_path, monkeypatch, how):
    env = tmp_path / "prod.yaml"
    env.write_text(MINIMAL)
    (tmp_path / "prod").mkdir()
    if how == "a-file":
        (tmp_path / "prod" / "accounts").write_text("x")
        assert "is not a folder: account request files go in this folder" in _problem(env)
        return
    (tmp_path / "prod" / "accounts").mkdir()

    def denied(path):  # tests run as root here, where chmod 000 does not deny
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("landing_zone.config.vending.os.scandir", denied)
    assert "cannot list the account request folder: Permission denied" in _problem(env)


# --- the plan review trusts nothing ------------------------------------------------------------

GOOD_CHANGE = {
    "address": "aws_organizations_account.account_a",
    "type": "aws_organizations_account",
    "mode": "managed",
    "change": {"actions": ["delete"], "before": {"name": "a", "email": "a@example.com"}, "after": None},
}


def _plan(**over):
    plan = {"format_version": "1.2", "terraform_version": "1.11.0", "resource_changes": [json.loads(json.dumps(GOOD_CHANGE))]}
    plan.update(over)
    return plan


def _change(**over):
    change = json.loads(json.dumps(GOOD_CHANGE))
    change["change"].update(over.pop("change", {}))
    change.update(over)
    return _plan(resource_changes=[change])


MALFORMED = {
    "actions-a-string": (_change(change={"actions": "delete"}), 'actions: expected a list, found the string "delete"'),
    "actions-empty": (_change(change={"actions": []}), "actions: is empty"),
    "actions-unknown-word": (_change(change={"actions": ["destroy"]}), 'actions[0]: the string "destroy" is not an action'),
    "actions-a-number": (_change(change={"actions": [3]}), "actions[0]: the number 3 is not an action"),
    "no-address": (
        _plan(resource_changes=[{k: v for k, v in GOOD_CHANGE.items() if k != "address"}]),
        "resource_changes[0]: 'address' is missing",
    ),
    "address-a-number": (_change(address=5), "resource_changes[0].address: expected a string, found the number 5"),
    "no-change": (_plan(resource_changes=[{k: v for k, v in GOOD_CHANGE.items() if k != "change"}]), "'change' is missing"),
    "resource-changes-a-string": (_plan(resource_changes="x"), 'resource_changes: expected a list, found the string "x"'),
    "resource-changes-an-object": (_plan(resource_changes={}), "resource_changes: expected a list, found an object"),
    "change-not-object": (_plan(resource_changes=["x"]), "resource_changes[0]: expected an object"),
    "before-a-list": (_change(change={"before": [1]}), "change.before: expected an object, found a list"),
    "mode-unknown": (_change(mode="weird"), "mode: 'weird' is not one of managed, data"),
    "prior-state-a-string": (_plan(prior_state="x"), 'prior_state: expected an object, found the string "x"'),
    "prior-resources-a-string": (
        _plan(prior_state={"values": {"root_module": {"resources": "x"}}}),
        "prior_state.values.root_module.resources: expected a list",
    ),
    "prior-resource-no-type": (
        _plan(prior_state={"values": {"root_module": {"resources": [{"address": "a.b"}]}}}),
        "'type' is missing",
    ),
    "configuration-modules-a-list": (
        _plan(configuration={"root_module": {"module_calls": []}}),
        "module_calls: expected an object",
    ),
    "format-version-a-number": (_plan(format_version=1.2), "format_version: expected a string, found the number 1.2"),
    "format-version-2": (_plan(format_version="2.0"), "plan format_version '2.0' is not supported"),
    "format-version-0": (_plan(format_version="0.1"), "plan format_version '0.1' is not supported"),
    "errored-a-string": (_plan(errored="no"), "errored: expected true or false"),
    "not-an-object": ([1, 2], "not a plan"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_plan_is_refused_with_exit_2_never_passed(tmp_path, capsys, case):
    document, expected = MALFORMED[case]
    path = tmp_path / "management.json"
    path.write_text(json.dumps(document))
    with pytest.raises(PlanError) as caught:
        load_plans([str(path)])
    assert expected in str(caught.value)
    assert main(["plan-review", str(path)]) == 2
    err = capsys.readouterr().err
    assert expected in err and "no dangerous changes" not in err and "Traceback" not in err


RAW = {
    "not-utf8": (b"\x80\x81{}", "byte 0x80 at offset 0 is not valid UTF-8"),
    "latin1": ('{"format_version": "1.2", "x": "caf\xe9"}'.encode("latin-1"), "is not valid UTF-8"),
    "deeply-nested": (b'{"format_version":"1.2","prior_state":' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
    "nested-past-limit": (b'{"format_version":"1.2","prior_state":' + b"[" * 300 + b"]" * 300 + b"}", "nested too deeply"),
    "huge-integer": (b'{"format_version":"1.2","resource_changes":[' + b"9" * 5000 + b"]}", "not a terraform plan"),
    "not-json": (b"{", "not JSON"),
}


@pytest.mark.parametrize("case", sorted(RAW))
def test_unreadable_plan_bytes_exit_2(tmp_path, capsys, case):
    raw, expected = RAW[case]
    path = tmp_path / "management.json"
    path.write_bytes(raw)
    assert main(["plan-review", str(path)]) == 2
    assert expected in capsys.readouterr().err


def test_a_utf16_plan_as_powershell_writes_it_is_read_and_judged(tmp_path, capsys):
    path = tmp_path / "management.json"
    path.write_bytes(json.dumps(_plan()).encode("utf-16"))
    assert main(["plan-review", str(path), "--format", "text"]) == 3  # the account deletion blocks
    assert "BLOCKED by account-delete" in capsys.readouterr().err


@pytest.mark.parametrize("actions, action", [(["delete", "forget"], "delete"), (["create", "delete", "forget"], "replace")])
def test_an_unknown_combination_that_deletes_is_read_as_the_removal(tmp_path, actions, action):
    path = tmp_path / "management.json"
    path.write_text(json.dumps(_change(change={"actions": actions})))
    (plan,) = load_plans([str(path)])
    assert plan.changes[0].action == action


@pytest.mark.parametrize("kind", ["fifo", "dev-zero-link"])
def test_a_plan_that_is_a_pipe_or_device_is_refused(tmp_path, capsys, kind):
    special = _special(tmp_path, kind)
    assert main(["plan-review", str(special)]) == 2
    assert KINDS[kind] in capsys.readouterr().err


def test_a_pipe_in_a_plan_folder_is_skipped_not_waited_on(tmp_path, capsys):
    os.mkfifo(tmp_path / "stuck.json")
    (tmp_path / "management.json").write_text(json.dumps(_plan()))
    assert main(["plan-review", str(tmp_path), "--format", "text"]) == 3


def test_a_manifest_that_is_a_device_is_refused(tmp_path, capsys):
    path = tmp_path / "management.json"
    path.write_text(json.dumps(_plan()))
    assert main(["plan-review", str(path), "--manifest", "/dev/zero"]) == 2
    assert "/dev/zero: is a character device" in capsys.readouterr().err


# --- output paths ------------------------------------------------------------------------------


def _output_commands(tmp_path: Path) -> dict[str, list[str]]:
    plan = tmp_path / "management.json"
    plan.write_text(json.dumps(_plan()))
    return {
        "diff -o": ["diff", EXAMPLE, EXAMPLE, "-o"],
        "diff --output": ["diff", EXAMPLE, EXAMPLE, "--output"],
        "plan-review -o": ["plan-review", str(plan), "-o"],
        "ci-workflow --output": ["ci-workflow", EXAMPLE, "--output"],
        "schema --out": ["schema", "--out"],
        "network --diagram": ["network", EXAMPLE, "--diagram"],
        "scan --sarif": ["scan", str(tmp_path), "--sarif"],
    }


@pytest.mark.parametrize(
    "command",
    ["diff -o", "diff --output", "plan-review -o", "ci-workflow --output", "schema --out", "network --diagram", "scan --sarif"],
)
@pytest.mark.parametrize("target", ["directory", "trailing-slash", "inside-a-file"])
def test_an_output_path_that_cannot_take_a_file_exits_2(tmp_path, capsys, command, target):
    args = _output_commands(tmp_path)[command]
    out = {
        "directory": str(tmp_path),
        "trailing-slash": str(tmp_path / "new") + "/",
        "inside-a-file": str(tmp_path / "management.json" / "x.out"),
    }[target]
    assert main(args + [out]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"lz {args[0]}: {out}: ") and "Traceback" not in err
    assert ("is a directory; give a file name" in err) if target != "inside-a-file" else ("is not a folder" in err)


def test_write_output_names_the_os_error(tmp_path, monkeypatch):
    def full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("builtins.open", full)
    with pytest.raises(OutputPathError, match="cannot write the output file: No space left on device"):
        write_output(tmp_path / "x.md", "text")
    with pytest.raises(OutputPathError, match="does not exist; create it first"):
        write_output(tmp_path / "no" / "x.md", "text")


def test_a_shared_base_folder_may_be_named_by_absolute_path(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "base.yaml").write_text(MINIMAL)
    (tmp_path / "repo").mkdir()
    env = tmp_path / "repo" / "prod.yaml"
    env.write_text(f"extends: {shared / 'base.yaml'}\n")
    monkeypatch.delenv("LZ_EXTENDS_ALLOW", raising=False)
    assert "is an absolute path" in _problem(env)
    monkeypatch.setenv("LZ_EXTENDS_ALLOW", str(shared))
    assert load_environment(env).env.organization.name == "tiny"
    (tmp_path / "secret.yaml").write_text(MINIMAL)
    env.write_text(f"extends: {shared / '..' / 'secret.yaml'}\n")
    assert "is an absolute path" in _problem(env)
