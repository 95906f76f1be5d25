"""`lz adopt` against moto in-process: an organization made beforehand with boto3 yields an import
block, at the address the management stack synthesizes, for each thing that exists; the rest is reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

moto = pytest.importorskip("moto")
import boto3  # noqa: E402

from landing_zone.environment import load_environment  # noqa: E402
from landing_zone.live.adopt import (  # noqa: E402
    CONTROL_TOWER_EXECUTION,
    adopt_document,
    plan_adoption,
    read_management_stack,
    write_imports,
)
from landing_zone.live.preflight import AwsClients  # noqa: E402

pytestmark = pytest.mark.synth
MINIMAL = Path(__file__).resolve().parents[1] / "config" / "fixtures" / "good" / "minimal.yaml"
REGION = "eu-west-1"
IDENTITY = """organizational_units:
  - path: Security
  - path: Workloads
identity:
  preset: none
  groups:
    - name: platform
      description: Platform team
  permission_sets:
    - name: ReadOnly
      description: Read everything
      managed_policies: [ReadOnlyAccess]
  assignments:
    - name: platform-reads-security
      group: platform
      permission_set: ReadOnly
      ous: [Security]
"""


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory, synth_env):
    base = tmp_path_factory.mktemp("adopt")
    path = base / "tiny.yaml"
    text = MINIMAL.read_text().replace("organizational_units:\n  - path: Security\n", "")
    path.write_text(text + IDENTITY, encoding="utf-8")
    out = synth_env(path, base / "out")
    return path, out.dir


@pytest.fixture
def aws(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("LZ_AWS_ENDPOINT", raising=False)
    with moto.mock_aws():
        yield


def existing_organization(stack: dict) -> dict:
    """The organization as someone built it by hand before the landing zone: what the file describes, plus extras."""
    orgs = boto3.client("organizations", region_name="us-east-1")
    org = orgs.create_organization(FeatureSet="ALL")["Organization"]
    root = orgs.list_roots()["Roots"][0]["Id"]
    security = orgs.create_organizational_unit(ParentId=root, Name="Security")["OrganizationalUnit"]["Id"]
    legacy = orgs.create_organizational_unit(ParentId=root, Name="Legacy")["OrganizationalUnit"]["Id"]
    ids = {}
    for name, email in (
        ("log-archive", "aws+log-archive@tiny-corp.io"),
        ("audit", "aws+audit@tiny-corp.io"),
        ("old-app", "old@tiny-corp.io"),
    ):
        ids[name] = orgs.create_account(AccountName=name, Email=email)["CreateAccountStatus"]["AccountId"]
    orgs.move_account(AccountId=ids["log-archive"], SourceParentId=root, DestinationParentId=security)
    # the root's guardrail SCP, under the name and content our stack gives it, attached to the root
    (scp_address, scp) = next(
        (k, v) for k, v in stack["resource"]["aws_organizations_policy"].items() if k.startswith("scp_root")
    )
    policy = orgs.create_policy(Name=scp["name"], Description="x", Content=scp["content"], Type="SERVICE_CONTROL_POLICY")[
        "Policy"
    ]
    policy_id = policy["PolicySummary"]["Id"]
    orgs.attach_policy(PolicyId=policy_id, TargetId=root)
    orgs.create_policy(Name="hand-made", Description="x", Content=scp["content"], Type="SERVICE_CONTROL_POLICY")
    sso = boto3.client("sso-admin", region_name=REGION)
    instance = sso.list_instances()["Instances"][0]
    group = boto3.client("identitystore", region_name=REGION).create_group(
        IdentityStoreId=instance["IdentityStoreId"], DisplayName="platform", Description="Platform team"
    )["GroupId"]
    pset = sso.create_permission_set(InstanceArn=instance["InstanceArn"], Name="ReadOnly")["PermissionSet"]["PermissionSetArn"]
    sso.create_account_assignment(
        InstanceArn=instance["InstanceArn"],
        TargetId=ids["log-archive"],
        TargetType="AWS_ACCOUNT",
        PermissionSetArn=pset,
        PrincipalType="GROUP",
        PrincipalId=group,
    )
    boto3.client("iam").create_role(RoleName="AWSControlTowerExecution", AssumeRolePolicyDocument="{}")
    return dict(
        org=org["Id"],
        root=root,
        security=security,
        legacy=legacy,
        ids=ids,
        scp=(scp_address, policy_id),
        instance=instance,
        group=group,
        pset=pset,
    )


def test_an_existing_organization_yields_an_import_for_each_thing_that_exists(aws, synthesized, tmp_path):
    env_path, out_dir = synthesized
    stack = read_management_stack(out_dir)
    live = existing_organization(stack)
    loaded = load_environment(env_path)
    plan = plan_adoption(loaded, stack, AwsClients(region=REGION))
    imports = {b.to: b.id for b in plan.imports}
    store, instance_arn = live["instance"]["IdentityStoreId"], live["instance"]["InstanceArn"]
    scp_address, policy_id = live["scp"]
    log_archive = live["ids"]["log-archive"]
    expected = {
        "aws_organizations_organization.organization": live["org"],
        "aws_organizations_organizational_unit.ou_Security": live["security"],
        "aws_organizations_account.account_log-archive": log_archive,
        "aws_organizations_account.account_audit": live["ids"]["audit"],
        f"aws_organizations_policy.{scp_address}": policy_id,
        f"aws_organizations_policy_attachment.{scp_address.replace('scp_', 'scp_attachment_')}": f"{live['root']}:{policy_id}",
        "aws_identitystore_group.sso_group_platform": f"{store}/{live['group']}",
        "aws_ssoadmin_permission_set.permission_set_ReadOnly": f"{live['pset']},{instance_arn}",
    }
    for address, import_id in expected.items():
        assert imports.pop(address) == import_id, address
    # the assignment of the group to log-archive exists: imported; the one to audit does not: created
    (assignment,) = [a for a in imports if a.startswith("aws_ssoadmin_account_assignment.")]
    assert "log-archive" in assignment
    assert imports.pop(assignment) == f"{live['group']},GROUP,{log_archive},AWS_ACCOUNT,{live['pset']},{instance_arn}"
    assert imports == {}
    # every address is one the stack synthesizes
    declared = {f"{t}.{n}" for t, items in stack["resource"].items() for n in items}
    assert {b.to for b in plan.imports} <= declared
    # nothing that exists is created again
    assert "aws_organizations_organizational_unit.ou_Workloads" in plan.to_create
    assert not any(a in plan.to_create for a in expected)
    assert any("audit" in a for a in plan.to_create if a.startswith("aws_ssoadmin_account_assignment."))
    # what the file does not mention is reported, and Control Tower is recognised
    assert f"OU Legacy ({live['legacy']})" in plan.unmanaged
    assert any(u.startswith("account old-app (") for u in plan.unmanaged)
    assert any(u.startswith("SCP hand-made (") for u in plan.unmanaged)
    assert plan.control_tower == ["IAM role AWSControlTowerExecution"]
    assert plan.access_role == ("OrganizationAccountAccessRole", CONTROL_TOWER_EXECUTION)
    written = write_imports(plan, tmp_path / "imports.tf.json")
    blocks = json.loads(written.read_text())["import"]
    assert len(blocks) == len(plan.imports) and blocks[0].keys() == {"to", "id"}
    assert "Exists in the organization, not in the file" in adopt_document("tiny", plan, written).to_text(width=200)


def test_no_organization_means_everything_is_created(aws, synthesized):
    env_path, out_dir = synthesized
    stack = read_management_stack(out_dir)
    plan = plan_adoption(load_environment(env_path), stack, AwsClients(region=REGION))
    assert plan.imports == [] and "aws_organizations_organization.organization" in plan.to_create


@pytest.mark.gate
def test_terraform_accepts_the_import_file_next_to_the_management_stack(aws, synthesized, tmp_path):
    import os
    import shutil

    from landing_zone.terraform.find_mirror import find_mirror
    from landing_zone.terraform.runner import Terraform

    env_path, out_dir = synthesized
    stack = read_management_stack(out_dir)
    existing_organization(stack)
    plan = plan_adoption(load_environment(env_path), stack, AwsClients(region=REGION))
    folder = tmp_path / "management"
    shutil.copytree(out_dir / "stacks" / "management", folder, ignore=shutil.ignore_patterns(".terraform*"))
    write_imports(plan, folder / "adopt-imports.tf.json")
    env = dict(os.environ)
    mirror = env.get("LZ_TF_PROVIDER_MIRROR") or find_mirror()
    if mirror:
        env["LZ_TF_PROVIDER_MIRROR"] = str(mirror)
    tf = Terraform(folder, env=env)
    tf.init()
    assert "The configuration is valid" in tf.validate().output


def test_lz_adopt_asks_for_a_synth_first(tmp_path, capsys):
    from landing_zone.cli.main import main

    assert main(["adopt", str(MINIMAL), "--synth-dir", str(tmp_path / "none")]) == 2
    assert "stacks/management/cdk.tf.json does not exist: run `lz synth ENV" in capsys.readouterr().err


COMMENTED = """# The tiny organization, adopted from a Control Tower setup.
organization:  # who we are
  # the name every resource carries
  name: tiny
  home_region: eu-west-1 # Ireland
  governed_regions: [eu-west-1]
  management_account:
    email: aws+management@tiny-corp.io
"""


def test_lz_adopt_sets_control_towers_access_role_in_the_file_keeping_its_comments(aws, synthesized, tmp_path, capsys):
    """Control Tower found: the environment file now names AWSControlTowerExecution (one line inserted,
    everything else byte for byte), so synth, plan and deploy use it; a second run changes nothing."""
    from landing_zone.cli.main import main

    env_path, out_dir = synthesized
    existing_organization(read_management_stack(out_dir))
    env_file = tmp_path / "tiny.yaml"
    original = COMMENTED + env_path.read_text().split("    email: aws+management@tiny-corp.io\n", 1)[1]
    env_file.write_text(original, encoding="utf-8")
    assert load_environment(env_file).env.organization.access_role_name == "OrganizationAccountAccessRole"

    assert main(["adopt", str(env_file), "--synth-dir", str(out_dir), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["access_role_set"] == {
        "file": str(env_file),
        "line": 3,
        "from": "OrganizationAccountAccessRole",
        "to": CONTROL_TOWER_EXECUTION,
    }
    lines = original.splitlines(keepends=True)
    assert env_file.read_text() == "".join(lines[:2] + ["  access_role_name: AWSControlTowerExecution\n"] + lines[2:])
    assert load_environment(env_file).env.organization.access_role_name == CONTROL_TOWER_EXECUTION

    assert main(["adopt", str(env_file), "--synth-dir", str(out_dir)]) == 0
    text = capsys.readouterr().out
    assert "Control Tower found" in text and "access_role_name" not in text
    assert env_file.read_text().count("access_role_name") == 1
