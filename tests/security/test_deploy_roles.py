"""Issue 24.3: the account factory's CI/CD deploy roles, evaluated offline.

The role's policy and its permissions boundary are evaluated together (a request must be allowed by both, and an
explicit deny in either wins: the SCP simulator's level semantics), then the guardrails that protect the role's name.
"""

from __future__ import annotations

import pytest

from landing_zone.config.models.account_factory import DEPLOY_SERVICES
from landing_zone.environment import load_environment
from landing_zone.guardrails.simulator import AttachedPolicy, Request, evaluate, simulate
from landing_zone.guardrails.targets import Target
from landing_zone.identity.deploy_roles import (
    boundary_name,
    broad_policies,
    deploy_boundary,
    deploy_policy,
    deploy_subject,
    deploy_trust_policy,
)
from tests.conftest import EXAMPLE
from tests.security.trust_eval import may_assume_with_web_identity

ACCOUNT = "444455556666"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/ci-deploy"


@pytest.fixture(scope="module")
def loaded():
    return load_environment(EXAMPLE)


@pytest.fixture(scope="module")
def role_policies(loaded):
    names = loaded.facts.names
    boundary_arn = f"arn:aws:iam::{ACCOUNT}:policy/{boundary_name(names, 'ci-deploy')}"
    target = Target("account", "payments-prod")
    return [
        [AttachedPolicy(target, "deploy", deploy_policy(DEPLOY_SERVICES, boundary_arn))],
        [AttachedPolicy(target, "boundary", deploy_boundary(DEPLOY_SERVICES, names, "ci-deploy"))],
    ], boundary_arn


def decide(role_policies, action: str, resource: str = "*", **context):
    levels, _ = role_policies
    return evaluate(levels, Request(action, resource, principal=ROLE, context=context))


def test_the_subject_is_the_environment_when_named_else_the_branch():
    assert deploy_subject("acme/payments", "main", "production") == "repo:acme/payments:environment:production"
    assert deploy_subject("acme/payments", "main", None) == "repo:acme/payments:ref:refs/heads/main"


def test_only_the_environments_token_may_assume_the_role():
    host = "token.actions.githubusercontent.com"
    trust = deploy_trust_policy("arn:aws:iam::1:oidc-provider/x", host, "sts.amazonaws.com", "repo:a/b:environment:prod")
    good = {f"{host}:aud": "sts.amazonaws.com", f"{host}:sub": "repo:a/b:environment:prod"}
    assert may_assume_with_web_identity(trust, good)
    for sub in (
        "repo:a/b:ref:refs/heads/main",
        "repo:a/b:environment:staging",
        "repo:a/b:pull_request",
        "repo:x/b:environment:prod",
    ):
        assert not may_assume_with_web_identity(trust, {**good, f"{host}:sub": sub}), sub
    assert not may_assume_with_web_identity(trust, {**good, f"{host}:aud": "other"})


def test_the_listed_services_are_allowed_and_nothing_else(role_policies):
    assert decide(role_policies, "lambda:CreateFunction").allowed
    assert decide(role_policies, "s3:PutObject", "arn:aws:s3:::payments-artifacts/x").allowed
    for action in ("rds:CreateDBInstance", "organizations:DescribeOrganization", "secretsmanager:GetSecretValue"):
        assert not decide(role_policies, action).allowed, action


def test_roles_can_be_created_only_with_the_boundary(role_policies):
    _, boundary_arn = role_policies
    app_role = f"arn:aws:iam::{ACCOUNT}:role/payments-api"
    assert decide(role_policies, "iam:CreateRole", app_role, **{"iam:PermissionsBoundary": [boundary_arn]}).allowed
    assert decide(role_policies, "iam:AttachRolePolicy", app_role, **{"iam:PermissionsBoundary": [boundary_arn]}).allowed
    other = f"arn:aws:iam::{ACCOUNT}:policy/SomethingWider"
    assert not decide(role_policies, "iam:CreateRole", app_role, **{"iam:PermissionsBoundary": [other]}).allowed
    assert not decide(role_policies, "iam:CreateRole", app_role).allowed  # no boundary at all
    assert not decide(role_policies, "iam:DeleteRolePermissionsBoundary", app_role).allowed


@pytest.mark.parametrize(
    "action, resource",
    [
        ("iam:CreateUser", f"arn:aws:iam::{ACCOUNT}:user/ci"),
        ("iam:CreateAccessKey", f"arn:aws:iam::{ACCOUNT}:user/ci"),
        ("iam:CreateOpenIDConnectProvider", "*"),
        ("iam:CreatePolicyVersion", f"arn:aws:iam::{ACCOUNT}:policy/acme-lz-deploy-boundary-ci-deploy"),
        ("iam:UpdateAssumeRolePolicy", ROLE),  # itself
        ("iam:PutRolePolicy", f"arn:aws:iam::{ACCOUNT}:role/OrganizationAccountAccessRole"),
        ("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/acme-lz-remediation"),
        ("iam:UpdateAssumeRolePolicy", f"arn:aws:iam::{ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin"),
        ("logs:DeleteLogGroup", f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:acme-lz-cloudtrail"),
        ("events:DisableRule", f"arn:aws:events:eu-west-1:{ACCOUNT}:rule/acme-lz-config-violations"),
        ("sns:SetTopicAttributes", f"arn:aws:sns:eu-west-1:{ACCOUNT}:acme-lz-security-notifications"),
        ("s3:PutBucketPolicy", "arn:aws:s3:::acme-log-archive-111122223333"),
        ("ec2:DisableEbsEncryptionByDefault", "*"),
        ("s3:PutAccountPublicAccessBlock", "*"),
        ("ec2:ModifySnapshotAttribute", f"arn:aws:ec2:eu-west-1:{ACCOUNT}:snapshot/snap-1"),
        ("kms:PutKeyPolicy", f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/1"),
    ],
)
def test_the_boundary_denies_escalation_the_landing_zone_and_sharing_out(role_policies, action, resource):
    decision = decide(role_policies, action, resource)
    assert not decision.allowed and decision.reason == "explicit deny", (action, decision)


def test_a_managed_policy_cannot_lift_the_boundary(loaded, role_policies):
    levels, _ = role_policies
    admin = AttachedPolicy(
        Target("account", "payments-prod"),
        "AdministratorAccess",
        {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
    )
    widened = [[*levels[0], admin], levels[1]]
    assert not evaluate(widened, Request("iam:CreateUser", principal=ROLE)).allowed
    assert not evaluate(widened, Request("rds:CreateDBInstance", principal=ROLE)).allowed  # outside the boundary


def test_the_guardrails_protect_the_deploy_roles_name(loaded):
    """Only the landing zone's access role may change the deploy role; a member admin may not re-trust it."""
    plan = loaded.facts.guardrail_plan
    admin = f"arn:aws:iam::{ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AWSAdministratorAccess_1"
    access = f"arn:aws:iam::{ACCOUNT}:role/OrganizationAccountAccessRole"
    for action in ("iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRolePermissionsBoundary"):
        denied = simulate(plan, "payments-prod", Request(action, ROLE, principal=admin, region="eu-west-1"))
        assert not denied.allowed and denied.reason == "explicit deny", (action, denied)
        assert simulate(plan, "payments-prod", Request(action, ROLE, principal=access, region="eu-west-1")).allowed


def test_broad_managed_policies_are_recognised_by_name_or_arn():
    assert broad_policies(["ReadOnlyAccess", "PowerUserAccess", "arn:aws:iam::aws:policy/AdministratorAccess"]) == [
        "PowerUserAccess",
        "arn:aws:iam::aws:policy/AdministratorAccess",
    ]
