"""The CI trust conditions, pure Python: exact subjects, the one audience, no wildcards."""

from __future__ import annotations

import json

import pytest

from landing_zone.environment import load_environment
from landing_zone.identity.ci_roles import AUDIENCE, ci_identity, oidc_trust_policy

from .envs import GITHUB, GITHUB_ENVIRONMENT, GITLAB, MINIMAL, write_env


@pytest.fixture(scope="module")
def identities(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ci")
    return {
        name: ci_identity(load_environment(write_env(folder, name, text)).env)
        for name, text in (("github", GITHUB), ("environment", GITHUB_ENVIRONMENT), ("gitlab", GITLAB))
    }


def test_github_subjects_are_exact(identities):
    ident = identities["github"]
    assert ident.host == "token.actions.githubusercontent.com"
    assert ident.plan_subject == "repo:tiny-corp/landing-zone:pull_request"
    assert ident.apply_subject == "repo:tiny-corp/landing-zone:ref:refs/heads/main"
    assert (ident.plan_role_name, ident.apply_role_name, ident.member_plan_role_name) == (
        "tiny-lz-ci-plan",
        "tiny-lz-ci-apply",
        "tiny-lz-plan",
    )
    assert ident.deployment_role_name == "LandingZoneDeployment"


def test_a_github_environment_replaces_the_branch(identities):
    assert identities["environment"].apply_subject == "repo:tiny-corp/landing-zone:environment:production"


def test_gitlab_trusts_the_protected_branch_and_plans_from_any_branch_of_the_project(identities):
    ident = identities["gitlab"]
    assert ident.host == "gitlab.com"
    assert ident.apply_subject == "project_path:tiny-corp/platform/landing-zone:ref_type:branch:ref:main"
    # GitLab's sub has no merge-request form: a merge request's pipeline names its source branch
    assert ident.plan_subject == "project_path:tiny-corp/platform/landing-zone:ref_type:branch:ref:*"


def test_gitlab_plan_trust_is_one_project_s_branches_string_like_and_read_only_only(identities):
    ident = identities["gitlab"]
    arn = "arn:aws:iam::111111111111:oidc-provider/gitlab.com"
    (statement,) = oidc_trust_policy(arn, ident.host, ident.plan_subject, read_only=True)["Statement"]
    assert statement["Condition"] == {
        "StringEquals": {"gitlab.com:aud": AUDIENCE},
        "StringLike": {"gitlab.com:sub": "project_path:tiny-corp/platform/landing-zone:ref_type:branch:ref:*"},
    }
    with pytest.raises(ValueError, match="only a read-only role may trust a pattern"):
        oidc_trust_policy(arn, ident.host, ident.plan_subject)  # the apply role's call
    for broader in (
        "project_path:tiny-corp/*:ref_type:branch:ref:*",  # any project of the group
        "project_path:tiny-corp/platform/landing-zone:ref_type:*:ref:*",  # tags too
        "project_path:tiny-corp/platform/landing-zone:*",
        "repo:tiny-corp/landing-zone:*",
    ):
        with pytest.raises(ValueError):
            oidc_trust_policy(arn, ident.host, broader, read_only=True)


def test_no_ci_section_no_identity():
    assert ci_identity(load_environment(MINIMAL).env) is None


@pytest.mark.parametrize("which", ["github", "environment", "gitlab"])
def test_trust_policy_is_string_equals_on_aud_and_sub_without_wildcards(identities, which):
    ident = identities[which]
    subjects = (ident.apply_subject,) if which == "gitlab" else (ident.plan_subject, ident.apply_subject)
    for subject in subjects:
        policy = oidc_trust_policy("arn:aws:iam::111111111111:oidc-provider/x", ident.host, subject)
        (statement,) = policy["Statement"]
        assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
        assert statement["Condition"] == {"StringEquals": {f"{ident.host}:aud": AUDIENCE, f"{ident.host}:sub": subject}}
        assert AUDIENCE == "sts.amazonaws.com"
        assert "*" not in json.dumps(statement["Condition"]) and "?" not in json.dumps(statement["Condition"])
