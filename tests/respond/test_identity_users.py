"""End users in Identity Center: validation (file:line errors) and the synthesized users and memberships."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from landing_zone.environment import ConfigError, load_environment
from landing_zone.identity.plan import identity_plan

EXAMPLE = Path(__file__).resolve().parents[2] / "environments" / "example.yaml"


def _write(tmp_path, text: str) -> Path:
    path = tmp_path / "variant.yaml"
    path.write_text(f"extends: {EXAMPLE}\n" + text)
    requests = EXAMPLE.parent / EXAMPLE.stem / "accounts"
    if requests.is_dir() and not (tmp_path / "variant" / "accounts").exists():
        shutil.copytree(requests, tmp_path / "variant" / "accounts")
    return path


def _example_line(text: str) -> int:
    return next(i for i, line in enumerate(EXAMPLE.read_text().splitlines(), 1) if text in line)


def _errors(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_environment(path, strict=True)
    return [str(p).replace(str(path), "{file}") for p in caught.value.problems]


USER = """    - user_name: {name}
      display_name: Some One
      given_name: Some
      family_name: One
      email: {email}
      groups: [{groups}]
"""


def _users(*users: tuple[str, str, str]) -> str:
    return "identity:\n  users:\n" + "".join(USER.format(name=n, email=e, groups=g) for n, e, g in users)


def test_the_example_user_is_in_the_plan_with_its_groups():
    plan = identity_plan(load_environment(EXAMPLE).env)
    assert [(u.user_name, u.email, u.groups) for u in plan.users] == [("dana.dev", "dana.dev@acme-corp.io", ["developers"])]


def test_users_are_refused_with_an_external_source(tmp_path):
    path = _write(
        tmp_path, _users(("kim", "kim@acme-corp.io", "developers")).replace("identity:\n", "identity:\n  source: external\n")
    )
    assert _errors(path) == [
        "{file}:5:5: identity.users: users cannot be defined with source: external: the identity provider owns them and provisions "
        "them through SCIM (remove identity.users, or use source: identity_center)"
    ]


def test_duplicate_user_names_and_emails_and_unknown_groups(tmp_path):
    path = _write(
        tmp_path, _users(("Dana.Dev", "other@acme-corp.io", "developers"), ("sam", "DANA.DEV@acme-corp.io", "developer"))
    )
    assert _errors(path) == [
        f"{{file}}:4:18: identity.users[user_name=Dana.Dev].user_name: user name 'Dana.Dev' is used twice (first at line {_example_line('user_name: dana.dev')}); "
        "user names are unique, case-insensitively",
        f"{{file}}:14:14: identity.users[user_name=sam].email: email 'DANA.DEV@acme-corp.io' is used twice (first at line {_example_line('email: dana.dev@')}); "
        "emails are unique, case-insensitively",
        "{file}:15:16: identity.users[user_name=sam].groups[0]: group 'developer' is not defined (did you mean 'developers'?) "
        "(defined: AWSAccountFactory, AWSAuditAccountAdmins, AWSControlTowerAdmins, AWSLogArchiveAdmins, AWSLogArchiveViewers, "
        "AWSSecurityAuditors, AWSSecurityAuditPowerUsers, AWSServiceCatalogAdmins, AWSSupportUsers, platform-engineers, developers, network-engineers)",
    ]


def test_bad_user_name_and_email(tmp_path):
    path = _write(tmp_path, _users(("has space", "not-an-email", "developers")))
    assert _errors(path) == [
        "{file}:4:18: identity.users[user_name=has space].user_name: 'has space' is not a valid user name "
        "(expected 1-128 letters, digits or +=,.@_- characters)",
        "{file}:8:14: identity.users[user_name=has space].email: 'not-an-email' is not a valid email address (expected user@domain)",
    ]


def test_a_user_without_a_family_name_is_a_shape_error(tmp_path):
    path = _write(
        tmp_path,
        "identity:\n  users:\n    - user_name: kim\n      display_name: Kim\n      given_name: Kim\n      email: kim@acme-corp.io\n",
    )
    (message,) = _errors(path)
    assert message.startswith("{file}:4:7: identity.users[user_name=kim]") and "family_name" in message, message


@pytest.mark.synth
def test_the_management_stack_creates_the_user_and_its_memberships(synth_out):
    from tests.stack_json import one, resources

    management = synth_out.stacks["management"]
    users = resources(management, "aws_identitystore_user")
    assert list(users) == ["sso_user_dana-dev"] or len(users) == 1, sorted(users)
    (user,) = users.values()
    assert user["user_name"] == "dana.dev" and user["display_name"] == "Dana Developer"
    assert user["name"] == {"given_name": "Dana", "family_name": "Developer"}
    assert user["emails"] == {"value": "dana.dev@acme-corp.io", "primary": True, "type": "work"}
    assert user["identity_store_id"].startswith(
        "${element(tolist(data.aws_ssoadmin_instances.identity_center_instances.identity_store_ids)"
    )
    (membership,) = resources(management, "aws_identitystore_group_membership").values()
    (key,) = [k for k, g in resources(management, "aws_identitystore_group").items() if g["display_name"] == "developers"]
    assert membership["group_id"] == f"${{aws_identitystore_group.{key}.group_id}}"
    assert membership["member_id"] == f"${{aws_identitystore_user.{next(iter(users))}.user_id}}"
    assert one(management, "aws_identitystore_user", next(iter(users)))
