"""The bootstrap stack as synthesized: the state bucket's protections, the exact CI trust,
zero failed checkov checks; and the read-only plan role in every account stack with `ci:`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from landing_zone.derived.stack_layout import LOG_ARCHIVE_LIFECYCLE, MANAGEMENT_ACCOUNT_STACKS, WAIT_ONLY_STACKS
from landing_zone.environment import load_environment
from landing_zone.scan.checkov_config import default_config_path
from landing_zone.scan.gate import scan

from .envs import GITHUB, GITLAB, MINIMAL, write_env

pytestmark = pytest.mark.synth
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bootstrapped(tmp_path_factory):
    """{github|gitlab: (stack folder, parsed cdk.tf.json)}, synthesized in this process."""
    from landing_zone.node_runtime import prepare_node_runtime

    prepare_node_runtime()
    from landing_zone.stacks.bootstrap import BootstrapOptions, synth_bootstrap

    base = tmp_path_factory.mktemp("bootstrap")
    out = {}
    for name, ci in (("github", GITHUB), ("gitlab", GITLAB)):
        loaded = load_environment(write_env(base / "envs", name, ci))
        folder = synth_bootstrap(loaded, BootstrapOptions(out_dir=base / name, project_dir=base))
        out[name] = (folder, json.loads((folder / "cdk.tf.json").read_text()))
    return out


def resources(doc: dict, rtype: str) -> dict:
    return doc["resource"].get(rtype, {})


def trust(doc: dict, role: str) -> dict:
    return json.loads(resources(doc, "aws_iam_role")[role]["assume_role_policy"])


def test_state_is_local_and_the_provider_uses_the_callers_credentials(bootstrapped):
    _, doc = bootstrapped["github"]
    assert doc["terraform"]["backend"] == {"local": {"path": "../../../terraform-state/github/bootstrap.tfstate"}}
    assert "assume_role" not in doc["provider"]["aws"][0]


def test_the_state_bucket_is_versioned_kms_encrypted_tls_only_and_private(bootstrapped):
    _, doc = bootstrapped["github"]
    bucket = resources(doc, "aws_s3_bucket")["state_bucket"]
    assert bucket["bucket"] == "tiny-lz-tfstate-${data.aws_caller_identity.caller.account_id}"
    assert bucket["lifecycle"] == {"prevent_destroy": True} and "force_destroy" not in bucket
    assert resources(doc, "aws_s3_bucket_versioning")["state_bucket_versioning"]["versioning_configuration"] == {
        "status": "Enabled"
    }
    (rule,) = resources(doc, "aws_s3_bucket_server_side_encryption_configuration")["state_bucket_encryption"]["rule"]
    assert rule["apply_server_side_encryption_by_default"] == {
        "sse_algorithm": "aws:kms",
        "kms_master_key_id": "${aws_kms_key.state_key.arn}",
    }
    assert resources(doc, "aws_kms_key")["state_key"]["enable_key_rotation"] is True
    block = resources(doc, "aws_s3_bucket_public_access_block")["state_bucket_public_access_block"]
    assert all(
        block[k] is True for k in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
    )
    (statement,) = json.loads(resources(doc, "aws_s3_bucket_policy")["state_bucket_policy"]["policy"])["Statement"]
    assert statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    # current state never expires; only old versions do
    (life,) = resources(doc, "aws_s3_bucket_lifecycle_configuration")["state_bucket_lifecycle"]["rule"]
    assert "expiration" not in life and life["noncurrent_version_expiration"] == [{"noncurrent_days": 365}]


def test_github_roles_trust_exactly_pull_requests_and_the_branch(bootstrapped):
    _, doc = bootstrapped["github"]
    oidc = resources(doc, "aws_iam_openid_connect_provider")["ci_oidc_provider"]
    assert (oidc["client_id_list"], oidc["url"]) == (["sts.amazonaws.com"], "https://token.actions.githubusercontent.com")
    host = "token.actions.githubusercontent.com"
    for role, sub in (
        ("ci_plan_role", "repo:tiny-corp/landing-zone:pull_request"),
        ("ci_apply_role", "repo:tiny-corp/landing-zone:ref:refs/heads/main"),
    ):
        (statement,) = trust(doc, role)["Statement"]
        assert statement["Principal"] == {"Federated": "${aws_iam_openid_connect_provider.ci_oidc_provider.arn}"}
        assert statement["Condition"] == {"StringEquals": {f"{host}:aud": "sts.amazonaws.com", f"{host}:sub": sub}}
    # the deployment role is assumed by the apply role alone, and the apply role can do nothing else
    (statement,) = trust(doc, "deployment_role")["Statement"]
    assert statement["Principal"] == {"AWS": "${aws_iam_role.ci_apply_role.arn}"}
    (allow,) = json.loads(resources(doc, "aws_iam_role_policy")["ci_apply_role_policy"]["policy"])["Statement"]
    assert allow["Action"] == "sts:AssumeRole" and allow["Resource"].endswith(":role/LandingZoneDeployment")
    # the plan role is read-only
    attached = {a["role"]: a["policy_arn"] for a in resources(doc, "aws_iam_role_policy_attachment").values()}
    assert attached["${aws_iam_role.ci_plan_role.name}"] == "arn:aws:iam::aws:policy/ReadOnlyAccess"
    plan_policy = json.loads(resources(doc, "aws_iam_role_policy")["ci_plan_role_policy"]["policy"])
    writes = [s for s in plan_policy["Statement"] if "s3:PutObject" in s["Action"]]
    assert [s["Resource"] for s in writes] == ["${aws_s3_bucket.state_bucket.arn}/*.tflock"]


def test_gitlab_plan_role_trusts_the_projects_branches_and_the_apply_role_one_branch(bootstrapped):
    """GitLab's token names a branch, never a merge request: the read-only plan role (tagged so) trusts every
    branch of the one project; the apply role, untagged, exactly the protected branch."""
    _, doc = bootstrapped["gitlab"]
    assert set(resources(doc, "aws_iam_role")) == {"ci_apply_role", "ci_plan_role", "deployment_role"}
    (statement,) = trust(doc, "ci_apply_role")["Statement"]
    assert statement["Condition"] == {
        "StringEquals": {
            "gitlab.com:aud": "sts.amazonaws.com",
            "gitlab.com:sub": "project_path:tiny-corp/platform/landing-zone:ref_type:branch:ref:main",
        }
    }
    (statement,) = trust(doc, "ci_plan_role")["Statement"]
    assert statement["Condition"] == {
        "StringEquals": {"gitlab.com:aud": "sts.amazonaws.com"},
        "StringLike": {"gitlab.com:sub": "project_path:tiny-corp/platform/landing-zone:ref_type:branch:ref:*"},
    }
    roles = resources(doc, "aws_iam_role")
    assert roles["ci_plan_role"]["tags"] == {"lz-ci-access": "read-only"} and "tags" not in roles["ci_apply_role"]
    attached = {a["role"]: a["policy_arn"] for a in resources(doc, "aws_iam_role_policy_attachment").values()}
    assert attached["${aws_iam_role.ci_plan_role.name}"] == "arn:aws:iam::aws:policy/ReadOnlyAccess"
    assert {"plan_role_arn", "apply_role_arn"} <= set(doc["output"])


@pytest.mark.gate
def test_checkov_finds_nothing_and_ckv_lz_40_passes_every_ci_role(bootstrapped):
    for name, (folder, _) in bootstrapped.items():
        result = scan(folder.parent.parent, config=str(default_config_path()))
        assert result.failures == [], (name, result.failures)
        assert result.checks["CKV_LZ_40"] == {"passed": 2, "failed": 0, "skipped": 0}, name


def test_account_stacks_gain_a_read_only_plan_role_with_ci(tmp_path_factory, synth_env):
    base = tmp_path_factory.mktemp("app_ci")
    out = synth_env(write_env(base, "github", GITHUB), base / "out")
    member = [name for name in out.stacks if name not in MANAGEMENT_ACCOUNT_STACKS]
    assert member, out.stacks.keys()
    # the log-archive-lifecycle stack assumes the log archive's roles, plan role included, which log-archive creates
    lifecycle = out.stacks[LOG_ARCHIVE_LIFECYCLE]
    assert lifecycle["provider"]["aws"][0]["assume_role"] == out.stacks["log-archive"]["provider"]["aws"][0]["assume_role"]
    assert "variable" in lifecycle and "lz_credentials" in json.dumps(lifecycle["provider"]["aws"][0]["assume_role"])
    for name in (n for n in member if n not in WAIT_ONLY_STACKS):
        doc = out.stacks[name]
        role = resources(doc, "aws_iam_role")["ci_member_plan_role"]
        assert role["name"] == "tiny-lz-plan"
        (statement,) = json.loads(role["assume_role_policy"])["Statement"]
        assert statement["Action"] == "sts:AssumeRole"
        principal = statement["Principal"]["AWS"]
        assert principal.startswith("arn:aws:iam::${") and principal.endswith(":role/tiny-lz-ci-plan"), principal
        attached = resources(doc, "aws_iam_role_policy_attachment")["ci_member_plan_role_read_only"]
        assert attached["policy_arn"] == "arn:aws:iam::aws:policy/ReadOnlyAccess"
    assert "ci_member_plan_role" not in resources(out.stacks["management"], "aws_iam_role")


def test_lz_bootstrap_print_lists_what_it_creates_and_applies_nothing(tmp_path, capsys, monkeypatch):
    from landing_zone.cli.main import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LZ_AWS_ENDPOINT", raising=False)
    path = write_env(tmp_path, "lab", GITHUB)
    assert main(["bootstrap", str(path), "--print", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["applied"] is False and data["outputs"] == {}
    addresses = {r["address"] for r in data["resources"]}
    assert {
        "aws_s3_bucket.state_bucket",
        "aws_iam_role.ci_plan_role",
        "aws_iam_role.ci_apply_role",
        "aws_iam_role.deployment_role",
    } <= addresses
    assert not (tmp_path / "terraform-state").exists()  # nothing applied, no state


def test_lz_bootstrap_needs_a_ci_section(tmp_path, capsys, monkeypatch):
    from landing_zone.cli.main import main

    monkeypatch.chdir(tmp_path)
    path = tmp_path / "plain.yaml"
    path.write_text(MINIMAL.read_text())
    assert main(["bootstrap", str(path), "--print"]) == 2
    assert (
        capsys.readouterr().err
        == "lz bootstrap: plain.yaml: no ci: section; lz bootstrap needs one (provider, repository, branch)\n"
    )


def test_member_providers_assume_the_plan_role_when_asked_and_the_access_role_by_default(tmp_path_factory, synth_env):
    """Issue 20: with a CI plan role, `TF_VAR_lz_credentials=plan` (the CI plan job) makes every member provider
    assume the read-only member plan role; the default (`deploy`) assumes the access role as before."""
    base = tmp_path_factory.mktemp("app_ci_providers")
    out = synth_env(write_env(base, "github", GITHUB), base / "out")
    choice = '${var.lz_credentials == "plan" ? "tiny-lz-plan" : "OrganizationAccountAccessRole"}'
    member = [name for name in out.stacks if name not in ("management", "management-baseline", "detective-guardrails")]
    for name in member:
        doc = out.stacks[name]
        variable = doc["variable"]["lz_credentials"]
        assert variable["default"] == "deploy" and variable["type"] == "string"
        assert variable["validation"] == [
            {
                "condition": '${contains(["deploy", "plan"], var.lz_credentials)}',
                "error_message": 'lz_credentials must be one of "deploy", "plan".',
            }
        ]
        for provider in doc["provider"]["aws"]:
            role_arn = provider["assume_role"][0]["role_arn"]
            assert role_arn.startswith("arn:aws:iam::${") and role_arn.endswith(":role/" + choice), (name, role_arn)
    for name in ("management", "management-baseline", "detective-guardrails"):
        assert "lz_credentials" not in out.stacks[name].get("variable", {})
        assert all("assume_role" not in p for p in out.stacks[name]["provider"]["aws"])
    # terraform reads the expression and the variable (init from the provider mirror, then validate)
    import os

    from landing_zone.terraform import Terraform
    from landing_zone.terraform.find_mirror import find_mirror

    mirror = os.environ.get("LZ_TF_PROVIDER_MIRROR") or find_mirror()
    tf = Terraform(out.stack_dir(member[0]), env={**os.environ, **({"LZ_TF_PROVIDER_MIRROR": str(mirror)} if mirror else {})})
    tf.init()
    tf.validate()
    # GitLab has a plan role too: the same choice
    gitlab = synth_env(write_env(base, "gitlab", GITLAB), base / "out_gitlab")
    for name in member:
        assert gitlab.stacks[name]["variable"]["lz_credentials"]["default"] == "deploy"
        role_arn = gitlab.stacks[name]["provider"]["aws"][0]["assume_role"][0]["role_arn"]
        assert role_arn.endswith(":role/" + choice), role_arn
