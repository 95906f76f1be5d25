"""The one-line edit of `organization.access_role_name` that `lz adopt` makes on a Control Tower
organization: the value replaced, the key inserted, or an `organization:` block appended when a base
file holds the organization; comments and layout survive; what one line cannot change is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from landing_zone.environment import load_environment
from landing_zone.live.access_role_edit import EditRefused, edited_text, set_access_role

ROLE = "AWSControlTowerExecution"
FIXTURES = Path(__file__).resolve().parents[1] / "config" / "fixtures" / "good"


def test_the_value_is_replaced_where_the_file_writes_it_and_its_comment_stays():
    text = "# top\norganization:\n  name: tiny\n  access_role_name: 'OldRole'   # why\n  home_region: eu-west-1\n"
    new, line, previous = edited_text(text, ROLE)
    assert new == text.replace("'OldRole'", ROLE)
    assert (line, previous) == (4, "OldRole")


def test_the_key_is_inserted_under_organization_at_its_indentation():
    text = "organization: # us\n    # named\n    name: tiny\naccounts: []\n"
    new, line, previous = edited_text(text, ROLE)
    assert new == f"organization: # us\n    access_role_name: {ROLE}\n    # named\n    name: tiny\naccounts: []\n"
    assert (line, previous) == (2, None)


def test_windows_line_endings_stay():
    new, line, _ = edited_text("organization:\r\n  name: tiny\r\n", ROLE)
    assert new == f"organization:\r\n  access_role_name: {ROLE}\r\n  name: tiny\r\n" and line == 2


@pytest.mark.parametrize(
    "text",
    [
        "organization: {name: tiny}\n",
        "{organization: {name: tiny}}\n",
        "organization:\n  access_role_name: >\n    Old\n    Role\n",
    ],
)
def test_what_one_line_cannot_change_is_refused(text):
    with pytest.raises(EditRefused):
        edited_text(text, ROLE)


def test_a_file_whose_organization_comes_from_its_base_gets_a_block_of_its_own(tmp_path):
    """The file takes `organization:` from base.yaml: the base, which other environments share, stays
    untouched and this file's block wins the merge."""
    (tmp_path / "base.yaml").write_text((FIXTURES / "base.yaml").read_text(), encoding="utf-8")
    child = tmp_path / "prod.yaml"
    child.write_text("extends: base.yaml  # the shared organization\n# no organization of its own", encoding="utf-8")
    before, base = child.read_text() + "\n", (tmp_path / "base.yaml").read_text()
    edit = set_access_role(child, ROLE, "prod.yaml")
    assert child.read_text() == before + f"organization:\n  access_role_name: {ROLE}\n"
    assert edit.line == before.count("\n") + 2 and edit.previous is None
    assert (tmp_path / "base.yaml").read_text() == base
    loaded = load_environment(child)
    assert loaded.env.organization.access_role_name == ROLE
    assert loaded.env.organization.name == load_environment(tmp_path / "base.yaml").env.organization.name
