"""`lz diff` and `lz validate --base` agree on what replaces an account (issue 23 A.3): one shared
function, case-only changes of names and emails included."""

from __future__ import annotations

from pathlib import Path

import pytest

from landing_zone.cli.main import main
from landing_zone.config.lifecycle import account_replacements, lifecycle_problems
from landing_zone.environment import load_environment
from landing_zone.review.env_diff import diff_environments

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = (ROOT / "tests" / "config" / "fixtures" / "good" / "minimal.yaml").read_text()
APP = "  - name: app-one\n    email: aws+app-one@tiny-corp.io\n    ou: Security\n"

CHANGES = {
    "name-case-only": (("name: app-one", "name: App-One"), "renamed", "App-One", "account-delete"),
    "renamed-same-email": (("name: app-one", "name: app-two"), "renamed", "app-two", "account-delete"),
    "email-case-only": (("aws+app-one@", "aws+App-One@"), "email", "app-one", "account-replace"),
    "email-changed": (("aws+app-one@", "aws+app-1@"), "email", "app-one", "account-replace"),
}


@pytest.mark.parametrize("case", sorted(CHANGES))
def test_diff_and_validate_base_agree_on_replacements(tmp_path, capsys, case):
    (old, new), cause, new_name, rule = CHANGES[case]
    base_file, head_file = tmp_path / "base" / "env.yaml", tmp_path / "head" / "env.yaml"
    base_file.parent.mkdir()
    head_file.parent.mkdir()
    base_file.write_text(MINIMAL + APP)
    head_file.write_text(MINIMAL + APP.replace(old, new))
    base, head = load_environment(base_file), load_environment(head_file)
    (replacement,) = account_replacements(base.env, head.env)
    assert (replacement.name, replacement.cause, replacement.new_name) == ("app-one", cause, new_name)
    diff = diff_environments(base, head)
    assert diff.blocked and [d.rule for d in diff.dangers] == [rule]
    (problem,) = lifecycle_problems(base, head)
    assert "app-one" in problem.message and problem.location.file.endswith("env.yaml")
    assert main(["diff", str(base_file), str(head_file), "--format", "text"]) == 3
    assert main(["validate", str(head_file), "--base", str(base_file)]) == 2
    capsys.readouterr()


def test_an_unchanged_account_is_not_replaced(tmp_path):
    (tmp_path / "env.yaml").write_text(MINIMAL + APP)
    loaded = load_environment(tmp_path / "env.yaml")
    assert account_replacements(loaded.env, loaded.env) == []
    assert not diff_environments(loaded, loaded).blocked
