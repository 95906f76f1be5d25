"""The IdentityCenter construct, synthesized once in a small throwaway app.

Two stacks: one with groups created in Identity Center, every permission set
feature and a delegated administrator; one with an external identity source.
"""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.synth

POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:TerminateSession","Resource":"arn:aws:ssm:*:*:session/${aws:userid}-*"}]}'


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory):
    from cdktf import App, TerraformStack
    from cdktf_cdktf_provider_aws.provider import AwsProvider

    from landing_zone.constructs.identity_center import (
        AssignmentSpec,
        GroupSpec,
        IdentityCenter,
        IdentityCenterProps,
        PermissionSetSpec,
        PolicyRef,
    )

    out = tmp_path_factory.mktemp("identity_construct")
    app = App(outdir=str(out))
    internal = TerraformStack(app, "internal")
    AwsProvider(internal, "aws", region="eu-west-1")
    center = IdentityCenter(
        internal,
        "identity",
        IdentityCenterProps(
            groups=(GroupSpec(name="admins", description="Administrators"), GroupSpec(name="devs")),
            permission_sets=(
                PermissionSetSpec(name="Admin", managed_policy_arns=("arn:aws:iam::aws:policy/AdministratorAccess",)),
                PermissionSetSpec(
                    name="Dev",
                    description="Developers",
                    session_duration="PT8H",
                    managed_policy_arns=("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",),
                    customer_managed_policies=(PolicyRef(name="team-policy", path="/teams/"),),
                    inline_policy=POLICY,
                    boundary_customer_managed_policy=PolicyRef(name="team-boundary"),
                    relay_state="https://console.aws.amazon.com/ec2/",
                    tags={"team": "dev"},
                ),
                PermissionSetSpec(name="Bounded", boundary_managed_policy_arn="arn:aws:iam::aws:policy/PowerUserAccess"),
            ),
            assignments=(
                AssignmentSpec(group="admins", permission_set="Admin", account="prod"),
                AssignmentSpec(group="devs", permission_set="Dev", account="dev"),
                AssignmentSpec(group="devs", permission_set="Dev", account="dev"),
            ),  # same key twice: one resource
            account_ids={"prod": "111111111111", "dev": "222222222222"},
            delegated_admin_account_id="333333333333",
        ),
    )
    external = TerraformStack(app, "external")
    AwsProvider(external, "aws", region="eu-west-1")
    IdentityCenter(
        external,
        "identity",
        IdentityCenterProps(
            identity_source="external",
            groups=(GroupSpec(name="Okta Admins"),),
            permission_sets=(
                PermissionSetSpec(name="Admin", managed_policy_arns=("arn:aws:iam::aws:policy/AdministratorAccess",)),
            ),
            assignments=(AssignmentSpec(group="Okta Admins", permission_set="Admin", account="prod"),),
            account_ids={"prod": "111111111111"},
        ),
    )
    with pytest.raises(KeyError, match="unknown account 'nowhere'"):
        center.add_assignment(AssignmentSpec(group="admins", permission_set="Admin", account="nowhere"))
    app.synth()
    load = lambda name: json.loads((out / "stacks" / name / "cdk.tf.json").read_text())
    return {"internal": load("internal"), "external": load("external"), "dir": out}


def _of(doc, kind, section="resource"):
    return doc.get(section, {}).get(kind, {})


def test_instance_comes_from_the_data_source(synthesized):
    doc = synthesized["internal"]
    assert list(_of(doc, "aws_ssoadmin_instances", "data")) == ["identity_center_instances"]
    ps = _of(doc, "aws_ssoadmin_permission_set")
    assert {p["instance_arn"] for p in ps.values()} == {
        "${element(tolist(data.aws_ssoadmin_instances.identity_center_instances.arns), 0)}"
    }


def test_groups_are_created_in_identity_center(synthesized):
    groups = _of(synthesized["internal"], "aws_identitystore_group")
    assert {g["display_name"]: g.get("description") for g in groups.values()} == {"admins": "Administrators", "devs": None}
    assert all("identity_store_ids" in g["identity_store_id"] for g in groups.values())
    assert not _of(synthesized["internal"], "aws_identitystore_group", "data")


def test_external_groups_are_looked_up_never_created(synthesized):
    doc = synthesized["external"]
    assert not _of(doc, "aws_identitystore_group")
    [group] = _of(doc, "aws_identitystore_group", "data").values()
    assert group["alternate_identifier"] == {
        "unique_attribute": {"attribute_path": "DisplayName", "attribute_value": "Okta Admins"}
    }
    [assignment] = _of(doc, "aws_ssoadmin_account_assignment").values()
    assert assignment["principal_id"].startswith("${data.aws_identitystore_group.")


def test_permission_set_properties(synthesized):
    doc = synthesized["internal"]
    ps = {p["name"]: p for p in _of(doc, "aws_ssoadmin_permission_set").values()}
    assert ps["Dev"]["session_duration"] == "PT8H" and ps["Dev"]["description"] == "Developers"
    assert ps["Dev"]["relay_state"] == "https://console.aws.amazon.com/ec2/" and ps["Dev"]["tags"] == {"team": "dev"}
    assert ps["Admin"]["session_duration"] == "PT1H" and "relay_state" not in ps["Admin"]
    managed = {
        (a["permission_set_arn"], a["managed_policy_arn"]) for a in _of(doc, "aws_ssoadmin_managed_policy_attachment").values()
    }
    assert (
        "${aws_ssoadmin_permission_set.permission_set_Dev.arn}",
        "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
    ) in managed
    [customer] = _of(doc, "aws_ssoadmin_customer_managed_policy_attachment").values()
    assert customer["customer_managed_policy_reference"] == {"name": "team-policy", "path": "/teams/"}
    boundaries = {
        b["permission_set_arn"]: b["permissions_boundary"]
        for b in _of(doc, "aws_ssoadmin_permissions_boundary_attachment").values()
    }
    assert boundaries["${aws_ssoadmin_permission_set.permission_set_Dev.arn}"] == {
        "customer_managed_policy_reference": {"name": "team-boundary", "path": "/"}
    }
    assert boundaries["${aws_ssoadmin_permission_set.permission_set_Bounded.arn}"] == {
        "managed_policy_arn": "arn:aws:iam::aws:policy/PowerUserAccess"
    }


def test_inline_policy_variables_are_escaped_for_terraform(synthesized):
    [inline] = _of(synthesized["internal"], "aws_ssoadmin_permission_set_inline_policy").values()
    assert inline["inline_policy"] == POLICY.replace("${aws:userid}", "$${aws:userid}")


def test_assignments_wait_for_the_policies_and_are_unique_per_key(synthesized):
    assignments = _of(synthesized["internal"], "aws_ssoadmin_account_assignment")
    assert len(assignments) == 2
    dev = next(a for a in assignments.values() if a["target_id"] == "222222222222")
    assert dev["principal_type"] == "GROUP" and dev["target_type"] == "AWS_ACCOUNT"
    assert dev["principal_id"] == "${aws_identitystore_group.sso_group_devs.group_id}"
    assert set(dev["depends_on"]) == {
        "aws_ssoadmin_managed_policy_attachment."
        + next(
            k
            for k, v in _of(synthesized["internal"], "aws_ssoadmin_managed_policy_attachment").items()
            if "Dev" in v["permission_set_arn"]
        ),
        "aws_ssoadmin_customer_managed_policy_attachment."
        + next(iter(_of(synthesized["internal"], "aws_ssoadmin_customer_managed_policy_attachment"))),
        "aws_ssoadmin_permission_set_inline_policy.permission_set_inline_policy_Dev",
        "aws_ssoadmin_permissions_boundary_attachment.permission_set_boundary_Dev",
    }


def test_delegated_administrator_is_optional(synthesized):
    [admin] = _of(synthesized["internal"], "aws_organizations_delegated_administrator").values()
    assert (admin["account_id"], admin["service_principal"]) == ("333333333333", "sso.amazonaws.com")
    assert not _of(synthesized["external"], "aws_organizations_delegated_administrator")


@pytest.mark.gate
def test_checkov_finds_nothing_to_fail(synthesized):
    from pathlib import Path

    from landing_zone.scan.gate import scan

    repo = Path(__file__).resolve().parents[2]
    result = scan(synthesized["dir"], config=str(repo / ".checkov.yaml"))
    failures = [f"{f.check_id} {f.resource} (stack {f.stack}): {f.check_name}" for f in result.failures]
    assert failures == [] and result.parsing_errors == []
    assert sorted(s.stack for s in result.stacks) == ["external", "internal"] and all(s.passed > 0 for s in result.stacks)
