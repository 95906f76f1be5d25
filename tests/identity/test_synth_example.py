"""The example's Identity Center in the synthesized management stack (the session's one synth)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from landing_zone.identity.plan import identity_plan
from landing_zone.identity.preset import PERMISSION_SETS

from .tftest import build, without_prevent_destroy

pytestmark = pytest.mark.synth


@pytest.fixture(scope="module")
def management(synth_out):
    return synth_out.stacks["management"]


@pytest.fixture(scope="module")
def plan(synth_out):
    return identity_plan(synth_out.loaded.env)


def _resources(stack, kind):
    return stack.get("resource", {}).get(kind, {})


def test_preset_and_custom_permission_sets(management):
    names = sorted(p["name"] for p in _resources(management, "aws_ssoadmin_permission_set").values())
    assert names == sorted(list(PERMISSION_SETS) + ["DeveloperAccess", "NetworkAdministrator"])
    arns = {a["managed_policy_arn"] for a in _resources(management, "aws_ssoadmin_managed_policy_attachment").values()}
    assert arns == {
        "arn:aws:iam::aws:policy/AdministratorAccess",
        "arn:aws:iam::aws:policy/PowerUserAccess",
        "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
        "arn:aws:iam::aws:policy/AWSOrganizationsFullAccess",
        "arn:aws:iam::aws:policy/AWSServiceCatalogAdminFullAccess",
        "arn:aws:iam::aws:policy/AWSServiceCatalogEndUserFullAccess",
        "arn:aws:iam::aws:policy/job-function/NetworkAdministrator",
        "arn:aws:iam::aws:policy/AWSSupportAccess",
    }


def test_groups_are_created_with_the_preset(management):
    groups = {g["display_name"] for g in _resources(management, "aws_identitystore_group").values()}
    assert len(groups) == 12 and {"AWSControlTowerAdmins", "developers", "platform-engineers"} <= groups


def test_ou_wide_assignments_target_the_accounts_of_the_stack(management, plan):
    assignments = _resources(management, "aws_ssoadmin_account_assignment")
    assert len(assignments) == len(plan.grants) == 61
    targets = {a["target_id"] for a in assignments.values()}
    accounts = {f"${{aws_organizations_account.{key}.id}}" for key in _resources(management, "aws_organizations_account")}
    # Every member account is reached (the auditors are everywhere), plus the management account.
    assert targets == accounts | {"${aws_organizations_organization.organization.master_account_id}"}
    network = {
        key for key, conf in _resources(management, "aws_organizations_account").items() if conf["name"] == "network"
    }.pop()
    held = sorted(
        a["permission_set_arn"] for a in assignments.values() if a["target_id"] == f"${{aws_organizations_account.{network}.id}}"
    )
    assert "${aws_ssoadmin_permission_set.permission_set_NetworkAdministrator.arn}" in held and len(held) == 6


def test_identity_center_lives_in_the_management_stack_only(synth_out):
    for name, stack in synth_out.stacks.items():
        if name != "management":
            assert not _resources(stack, "aws_ssoadmin_permission_set") and not _resources(
                stack, "aws_ssoadmin_account_assignment"
            )


@pytest.mark.gate
def test_terraform_test_with_mock_providers_proves_permission_sets_and_assignments(synth_out, plan, tmp_path):
    from landing_zone.terraform.cli_config import terraform_env
    from landing_zone.terraform.find_mirror import find_mirror

    folder = Path(
        shutil.copytree(synth_out.stack_dir("management"), tmp_path / "management", ignore=shutil.ignore_patterns(".terraform*"))
    )
    stack = without_prevent_destroy(json.loads((folder / "cdk.tf.json").read_text(encoding="utf-8")))
    (folder / "cdk.tf.json").write_text(json.dumps(stack, indent=2), encoding="utf-8")
    text, _ = build(plan, stack, synth_out.loaded.env.organization.management_account.name)
    (folder / "identity_center.tftest.hcl").write_text(text, encoding="utf-8")
    env = dict(os.environ)
    if not env.get("LZ_TF_PROVIDER_MIRROR") and (mirror := find_mirror()):
        env["LZ_TF_PROVIDER_MIRROR"] = str(mirror)
    env = terraform_env(env)
    init = subprocess.run(
        ["terraform", "init", "-backend=false", "-input=false", "-no-color"], cwd=folder, env=env, capture_output=True, text=True
    )
    assert init.returncode == 0, init.stdout[-2000:] + init.stderr[-2000:]
    test = subprocess.run(["terraform", "test", "-no-color"], cwd=folder, env=env, capture_output=True, text=True)
    assert test.returncode == 0, test.stdout[-3000:] + test.stderr[-5000:]
    assert 'run "identity_center"... pass' in test.stdout and "1 passed, 0 failed" in test.stdout
    # The run checked every grant, permission set, group and managed policy attachment (10: DeveloperAccess has two,
    # ViewOnlyAccess and the catalog's end-user policy), the inline policy and the boundary, not a sample.
    attachments = sum(len(p.managed_policies) for p in plan.permission_sets)
    assert attachments == 10
    assert text.count("assert {") == len(plan.grants) + len(plan.groups) + len(plan.permission_sets) + attachments + 1 + 1


EXTERNAL_VARIANT = """
extends: {example}
organization:
  management_account:
    id: "999988887777"
identity:
  source: external
  delegated_admin_account: shared-services
"""


@pytest.fixture(scope="module")
def external(tmp_path_factory, synth_env):
    """The example with an external identity source, a delegated administrator and an adopted management id (one more synth)."""
    folder = tmp_path_factory.mktemp("identity_external")
    env_file = folder / "external.yaml"
    from .without_users import example_without_users

    env_file.write_text(EXTERNAL_VARIANT.format(example=example_without_users(folder).name))
    return synth_env(env_file, folder / "out").stacks["management"]


def test_external_source_looks_groups_up_and_registers_the_delegated_admin(external):
    assert not _resources(external, "aws_identitystore_group")
    groups = external["data"]["aws_identitystore_group"]
    assert sorted(g["alternate_identifier"]["unique_attribute"]["attribute_value"] for g in groups.values())[:2] == [
        "AWSAccountFactory",
        "AWSAuditAccountAdmins",
    ]
    assert len(groups) == 12
    [admin] = [
        r
        for r in _resources(external, "aws_organizations_delegated_administrator").values()
        if r["service_principal"] == "sso.amazonaws.com"
    ]
    shared = {k for k, c in _resources(external, "aws_organizations_account").items() if c["name"] == "shared-services"}.pop()
    assert admin["account_id"] == f"${{aws_organizations_account.{shared}.id}}"
    assert admin["depends_on"] == ["aws_organizations_organization.organization"]
    # The management account's id comes from the config when it is given.
    targets = {a["target_id"] for a in _resources(external, "aws_ssoadmin_account_assignment").values()}
    assert "999988887777" in targets and "${aws_organizations_organization.organization.master_account_id}" not in targets
