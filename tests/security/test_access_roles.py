"""The member accounts' privileged roles (issue 24.1): who may assume the access role and the break-glass role,
evaluated (trust_eval) against the deployment role, other management principals and member principals; and the
roles as each account stack synthesizes them (synth_out)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from stack_json import one, resources
from trust_eval import may_assume

from landing_zone.identity.trust import access_role_trust, break_glass_trust

MANAGEMENT = "111111111111"
MEMBER = "222222222222"
DEPLOYMENT = f"arn:aws:iam::{MANAGEMENT}:role/LandingZoneDeployment"


def test_only_the_deployment_role_may_assume_the_access_role():
    trust = access_role_trust(MANAGEMENT, "LandingZoneDeployment")
    assert may_assume(trust, DEPLOYMENT)
    # Another management principal: a PowerUser's Identity Center role, an admin user, even with MFA.
    assert not may_assume(trust, f"arn:aws:iam::{MANAGEMENT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PowerUser_x")
    assert not may_assume(trust, f"arn:aws:iam::{MANAGEMENT}:user/admin", mfa_age_seconds=60)
    # The same role name in a member account, or a member's own admin.
    assert not may_assume(trust, f"arn:aws:iam::{MEMBER}:role/LandingZoneDeployment")
    assert not may_assume(trust, f"arn:aws:iam::{MEMBER}:role/OrganizationAccountAccessRole")


def test_the_organizations_default_trust_would_let_any_management_principal_in():
    """What the stacks replace: the role as Organizations creates it (the evaluator sees the difference)."""
    default = {
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{MANAGEMENT}:root"}, "Action": "sts:AssumeRole"}]
    }
    assert may_assume(default, f"arn:aws:iam::{MANAGEMENT}:user/admin")


def test_the_break_glass_role_needs_a_named_principal_with_recent_mfa():
    trust = break_glass_trust(MANAGEMENT, [])
    responder = f"arn:aws:iam::{MANAGEMENT}:user/break-glass/alice"
    assert may_assume(trust, responder, mfa_age_seconds=120)
    assert not may_assume(trust, responder)  # no MFA
    assert not may_assume(trust, responder, mfa_age_seconds=7200)  # MFA too old
    assert not may_assume(trust, f"arn:aws:iam::{MANAGEMENT}:user/admin", mfa_age_seconds=120)
    assert not may_assume(trust, DEPLOYMENT, mfa_age_seconds=120)
    assert not may_assume(trust, f"arn:aws:iam::{MEMBER}:user/break-glass/alice", mfa_age_seconds=120)
    named = break_glass_trust(MANAGEMENT, [f"arn:aws:iam::{MANAGEMENT}:role/IncidentCommander"])
    assert may_assume(named, f"arn:aws:iam::{MANAGEMENT}:role/IncidentCommander", mfa_age_seconds=10)
    assert not may_assume(named, responder, mfa_age_seconds=10)


def member_stacks(synth_out):
    env = synth_out.loaded.env
    management = env.organization.management_account.name
    return [n for n in synth_out.stacks if n in ("log-archive", "audit", "network") or n.startswith("account-")], management


def test_every_member_account_stack_takes_over_its_access_role(synth_out):
    names, _ = member_stacks(synth_out)
    assert len(names) == 10
    for name in names:
        stack = synth_out.stacks[name]
        role = one(stack, "aws_iam_role", "access_role")
        assert role["name"] == "OrganizationAccountAccessRole"
        assert role["lifecycle"] == {"prevent_destroy": True}
        # Adopted, not created: an import block next to cdk.tf.json (HCL: checkov cannot parse JSON import blocks).
        assert "import" not in stack
        imports = (synth_out.stack_dir(name) / "imports.tf").read_text()
        assert 'import {\n  to = aws_iam_role.access_role\n  id = "OrganizationAccountAccessRole"\n}' in imports
        trust = json.loads(role["assume_role_policy"])
        [statement] = trust["Statement"]
        principal = statement["Condition"]["ArnEquals"]["aws:PrincipalArn"]
        assert principal.endswith(":role/LandingZoneDeployment") and "management" in principal
        # Evaluate with the management account's id in place of its cross-stack reference.
        concrete = json.loads(role["assume_role_policy"].replace(principal.split(":")[4], MANAGEMENT))
        assert may_assume(concrete, DEPLOYMENT) and not may_assume(concrete, f"arn:aws:iam::{MANAGEMENT}:user/admin")
        glass = one(stack, "aws_iam_role", "break_glass_role")
        assert glass["name"] == "acme-lz-break-glass" and glass["max_session_duration"] == 3600
        assert json.loads(glass["assume_role_policy"])["Statement"][0]["Condition"]["Bool"] == {
            "aws:MultiFactorAuthPresent": "true"
        }
        attach = one(stack, "aws_iam_role_policy_attachment", "break_glass_role_administrator")
        assert attach["policy_arn"] == "arn:aws:iam::aws:policy/AdministratorAccess"


def test_the_management_stacks_have_no_access_role(synth_out):
    for name in ("management", "management-baseline"):
        assert "access_role" not in resources(synth_out.stacks[name], "aws_iam_role")
        assert not (synth_out.stack_dir(name) / "imports.tf").exists()


def test_the_break_glass_role_raises_an_alert(synth_out):
    for name in ("management-baseline", "audit"):
        rule = one(synth_out.stacks[name], "aws_cloudwatch_event_rule", "alert_privileged_role_assumed")
        roles = json.loads(rule["event_pattern"])["detail"]["requestParameters"]["roleArn"]
        assert {"wildcard": "arn:aws:iam::*:role/acme-lz-break-glass"} in roles
        assert {"wildcard": "arn:aws:iam::*:role/OrganizationAccountAccessRole"} in roles


@pytest.mark.parametrize("manage", [False])
def test_turning_management_off_leaves_the_role_alone(synth_env, tmp_path, manage):
    EXAMPLE = Path(__file__).resolve().parents[2] / "environments" / "example.yaml"

    variant = tmp_path / "env.yaml"
    variant.write_text(f"extends: {EXAMPLE}\norganization:\n  manage_access_role: {str(manage).lower()}\n")
    out = synth_env(variant, tmp_path / "out")
    stack = out.stacks["account-payments-prod"]
    assert "access_role" not in resources(stack, "aws_iam_role")
    assert not (out.stack_dir("account-payments-prod") / "imports.tf").exists()
