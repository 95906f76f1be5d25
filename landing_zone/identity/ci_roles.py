"""Who CI is to AWS: the OIDC issuer, the exact token subjects and the trust policies of the CI roles.

Pure Python (no cdktf): the bootstrap construct renders these dicts, the unit
tests read them, and `lz bootstrap --print` shows the subjects. Every
condition is `StringEquals` on the audience and, but for GitLab's plan role,
on one exact subject: no other repository, branch, fork or pull request from
elsewhere can assume a role.

- plan role (read-only): GitHub pull requests of the repository
  (`repo:OWNER/NAME:pull_request`). GitLab's subject has no merge-request
  form (`project_path:GROUP/PROJECT:ref_type:branch:ref:BRANCH`, a merge
  request's pipeline naming its source branch) and IAM reads no other GitLab
  claim, so GitLab's plan role trusts every branch of the one project:
  `StringLike` on `project_path:GROUP/PROJECT:ref_type:branch:ref:*`, the
  project path exact. A merge request from a fork carries the fork's path
  (GitLab 18.2.2 and later) and tags are not branches: neither matches. What
  it admits, anyone who may push a branch to the project, gets read-only
  access, as GitHub's pull requests do. The pattern is allowed for that role
  only (`read_only=True`, tagged `READ_ONLY_TAG`, which CKV_LZ_40 reads).
- apply role: the protected branch (`repo:OWNER/NAME:ref:refs/heads/BRANCH`;
  GitLab `project_path:GROUP/PROJECT:ref_type:branch:ref:BRANCH`) or the
  GitHub deployment environment (`repo:OWNER/NAME:environment:ENV`), exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

from ..config.models import CI, Environment
from ..naming import LandingZoneNames

AUDIENCE = "sts.amazonaws.com"
ISSUERS = {"github": "token.actions.githubusercontent.com", "gitlab": "gitlab.com"}
READ_ONLY_TAG = {"lz-ci-access": "read-only"}
"""Tag of the CI plan role: the one role whose OIDC trust may name every branch of one GitLab project."""
GITLAB_ANY_BRANCH = re.compile(r"^project_path:[^*?:\s]+/[^*?:\s]+:ref_type:branch:ref:\*$")
"""The one wildcard subject a read-only role may trust: every branch of one exact GitLab project."""


@dataclass(frozen=True)
class CiIdentity:
    """The issuer, subjects and role names of one `ci:` section."""

    provider: str
    host: str
    """Issuer host without https:// (the IAM condition key prefix)."""
    plan_subject: Optional[str]
    """Subject of pull-request (GitHub) or branch (GitLab: a pattern) pipelines."""
    apply_subject: str
    plan_role_name: str
    apply_role_name: str
    member_plan_role_name: str
    """The read-only role each account stack creates, assumed by the plan role."""
    deployment_role_name: str

    @property
    def issuer_url(self) -> str:
        return f"https://{self.host}"


def ci_identity(env: Environment) -> Optional[CiIdentity]:
    """The CI identity of an environment (None without `ci:`)."""
    ci = env.ci
    if ci is None:
        return None
    names = LandingZoneNames.of(env)
    return CiIdentity(
        provider=ci.provider,
        host=ISSUERS[ci.provider],
        plan_subject=plan_subject(ci),
        apply_subject=apply_subject(ci),
        plan_role_name=names.role("ci-plan"),
        apply_role_name=names.role("ci-apply"),
        member_plan_role_name=names.role("plan"),
        deployment_role_name=env.organization.deployment_role_name,
    )


CREDENTIALS_VARIABLE = "lz_credentials"
"""Terraform variable of every member-account stack when `ci:` has a plan role: `deploy` (default) assumes
the access role, `plan` the read-only member plan role (what the CI plan job sets: TF_VAR_lz_credentials=plan)."""
CREDENTIALS = ("deploy", "plan")


def member_role_name(env: Environment, access_role: str) -> str:
    """The role name in a member provider's role ARN: `access_role`, or with a CI plan role a terraform
    expression choosing between it and the member plan role by `var.lz_credentials`."""
    ident = ci_identity(env)
    if ident is None or ident.plan_subject is None:
        return access_role
    return f'${{var.{CREDENTIALS_VARIABLE} == "plan" ? "{ident.member_plan_role_name}" : "{access_role}"}}'


def plan_subject(ci: CI) -> Optional[str]:
    if ci.provider == "github":
        return f"repo:{ci.repository}:pull_request"
    return f"project_path:{ci.repository}:ref_type:branch:ref:*"  # every branch of the project: see the module's text


def apply_subject(ci: CI) -> str:
    if ci.provider == "github":
        if ci.environment:
            return f"repo:{ci.repository}:environment:{ci.environment}"
        return f"repo:{ci.repository}:ref:refs/heads/{ci.branch}"
    return f"project_path:{ci.repository}:ref_type:branch:ref:{ci.branch}"


def oidc_trust_policy(provider_arn: str, host: str, subject: str, read_only: bool = False) -> dict[str, Any]:
    """Trust of a CI role: web identity from `provider_arn`, exactly this audience and subject; a read-only
    role may instead trust every branch of one GitLab project (`StringLike` on that one pattern)."""
    if "*" in subject or "?" in subject:
        if not (read_only and GITLAB_ANY_BRANCH.match(subject)):
            raise ValueError(
                f"{subject!r}: only a read-only role may trust a pattern, and only every branch of one GitLab project"
            )
        condition = {"StringEquals": {f"{host}:aud": AUDIENCE}, "StringLike": {f"{host}:sub": subject}}
    else:
        condition = {"StringEquals": {f"{host}:aud": AUDIENCE, f"{host}:sub": subject}}
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "CiOidc",
                "Effect": "Allow",
                "Principal": {"Federated": provider_arn},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": condition,
            }
        ],
    }


def role_trust_policy(principal_arns: list[str]) -> dict[str, Any]:
    """Trust of a role assumed by other roles (the deployment role, each account's plan role)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AssumedBy",
                "Effect": "Allow",
                "Principal": {"AWS": principal_arns if len(principal_arns) > 1 else principal_arns[0]},
                "Action": "sts:AssumeRole",
            }
        ],
    }


def state_bucket_name(env: Environment, account_id: str) -> str:
    """The state bucket: `ci.state_bucket`, else <org>-lz-tfstate-<management account id>."""
    if env.ci is not None and env.ci.state_bucket:
        return env.ci.state_bucket
    # The id may be a token (known at apply): cut the organization part, never the id.
    return f"{LandingZoneNames.of(env).org[:39].rstrip('-')}-lz-tfstate-{account_id}"


def state_access_log_bucket_name(env: Environment, account_id: str) -> str:
    """The state bucket's server access-log bucket."""
    if env.ci is not None and env.ci.state_bucket:
        return f"{env.ci.state_bucket[:58].rstrip('-.')}-logs"
    return f"{LandingZoneNames.of(env).org[:34].rstrip('-')}-lz-tfstate-logs-{account_id}"
