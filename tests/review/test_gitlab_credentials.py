"""The GitLab child pipeline's credential lines, run by bash as a job runs them: a merge request plans with the
read-only plan role (member stacks: each account's plan role); the default branch plans and applies with the apply
role chained into the deployment role, through an AWS config profile that the SDK reads (botocore here)."""

from __future__ import annotations

import os
import subprocess

import botocore.session
import pytest

from landing_zone.review.gitlab import _apply_credentials, _plan_credentials

ROLES = {
    "LZ_PLAN_ROLE_ARN": "arn:aws:iam::111111111111:role/lz-ci-plan",
    "LZ_APPLY_ROLE_ARN": "arn:aws:iam::111111111111:role/lz-ci-apply",
    "LZ_DEPLOYMENT_ROLE_ARN": "arn:aws:iam::111111111111:role/lz-deployment",
}


def _run(lines: list[str], tmp_path, **ci) -> dict[str, str]:
    script = "\n".join(line.replace("/tmp/", f"{tmp_path}/") for line in lines) + "\nenv -0"
    env = {"PATH": os.environ["PATH"], "AWS_ID_TOKEN": "token-of-the-job", "CI_DEFAULT_BRANCH": "main", **ROLES, **ci}
    done = subprocess.run(["bash", "-euc", script], env=env, capture_output=True, check=True)
    return dict(item.split("=", 1) for item in done.stdout.decode().split("\0") if "=" in item)


def _deploy_profile(env: dict[str, str], tmp_path) -> dict:
    assert env["AWS_CONFIG_FILE"] == f"{tmp_path}/aws-config" and env["AWS_PROFILE"] == "lz-deploy"
    assert "AWS_ROLE_ARN" not in env  # the profile alone says what to assume
    profiles = botocore.session.Session(session_vars={"config_file": (None, None, env["AWS_CONFIG_FILE"], None)}).full_config[
        "profiles"
    ]
    assert profiles["lz-apply"] == {
        "role_arn": ROLES["LZ_APPLY_ROLE_ARN"],
        "web_identity_token_file": f"{tmp_path}/web-identity-token",
    }
    return profiles["lz-deploy"]


def test_a_merge_request_plans_with_the_read_only_roles(tmp_path):
    env = _run(_plan_credentials(), tmp_path, CI_MERGE_REQUEST_IID="7")  # no CI_COMMIT_BRANCH in an MR pipeline
    assert env["AWS_ROLE_ARN"] == ROLES["LZ_PLAN_ROLE_ARN"] and env["TF_VAR_lz_credentials"] == "plan"
    assert (tmp_path / "web-identity-token").read_text() == "token-of-the-job"
    assert "AWS_PROFILE" not in env


@pytest.mark.parametrize("lines", [_plan_credentials(), _apply_credentials()], ids=["plan", "apply"])
def test_the_default_branch_chains_the_apply_role_into_the_deployment_role(tmp_path, lines):
    env = _run(lines, tmp_path, CI_COMMIT_BRANCH="main")
    assert env["TF_VAR_lz_credentials"] == "deploy"
    assert _deploy_profile(env, tmp_path) == {"role_arn": ROLES["LZ_DEPLOYMENT_ROLE_ARN"], "source_profile": "lz-apply"}


def test_another_branch_plans_read_only(tmp_path):
    env = _run(_plan_credentials(), tmp_path, CI_COMMIT_BRANCH="feature")
    assert env["AWS_ROLE_ARN"] == ROLES["LZ_PLAN_ROLE_ARN"] and env["TF_VAR_lz_credentials"] == "plan"
