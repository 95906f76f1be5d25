"""The blueprints in modules/: layout, checkov (cloudformation and terraform) with zero failed checks,
cfn-lint, terraform validate of each example from the offline provider mirror, and the packaging."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from landing_zone.self_service.blueprints import artifact, blueprint_names, launch_policy
from landing_zone.terraform.cli_config import terraform_env
from landing_zone.terraform.find_mirror import find_mirror

ROOT = Path(__file__).resolve().parents[2]
MODULES = ROOT / "modules"
BLUEPRINTS = ["ec2-instance", "emr-cluster"]

# What each blueprint promises, as checkov checks that must have run and passed.
PROMISED = {
    "ec2-instance": {
        "terraform": {"CKV_AWS_79", "CKV_AWS_8", "CKV_AWS_88", "CKV_AWS_126", "CKV_AWS_382"},
        "cloudformation": {"CKV_AWS_79", "CKV_AWS_88"},
    },
    "emr-cluster": {
        "terraform": {"CKV_AWS_19", "CKV_AWS_145", "CKV2_AWS_6", "CKV_AWS_7"},
        "cloudformation": {"CKV_AWS_19", "CKV_AWS_7"},
    },
}


def test_the_blueprints_are_found():
    assert blueprint_names(MODULES) == BLUEPRINTS


@pytest.mark.parametrize("name", BLUEPRINTS)
def test_layout(name):
    folder = MODULES / name
    for part in (
        "README.md",
        "cloudformation/template.yaml",
        "terraform/main.tf",
        "terraform/variables.tf",
        "terraform/outputs.tf",
        "terraform/versions.tf",
        "examples/terraform/main.tf",
        "examples/cloudformation/parameters.json",
        "launch-role-policy.json",
    ):
        assert (folder / part).is_file(), part
    variables = re.findall(r'^variable "(\w+)"', (folder / "terraform/variables.tf").read_text(), re.M)
    readme = (folder / "README.md").read_text()
    assert variables and all(f"`{v}`" in readme for v in variables), "every variable is documented in the README"
    template = (folder / "cloudformation/template.yaml").read_text()
    params = json.loads((folder / "examples/cloudformation/parameters.json").read_text())
    assert all(f"  {p['ParameterKey']}:" in template for p in params)


@pytest.mark.parametrize("name", BLUEPRINTS)
def test_launch_policy_is_scoped(name):
    policy = launch_policy(MODULES, name)
    statements = policy["Statement"]
    assert all(s["Effect"] == "Allow" for s in statements)
    for s in statements:
        actions = [s["Action"]] if isinstance(s["Action"], str) else s["Action"]
        assert not any(a == "*" or a.endswith(":*") for a in actions), s["Sid"]
        if any(a.startswith("iam:") for a in actions):  # IAM only on the blueprints' own path
            resources = [s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"]
            assert all("/blueprints/" in r for r in resources), s["Sid"]
        if "iam:PassRole" in actions:
            assert "iam:PassedToService" in json.dumps(s["Condition"])


def test_cloudformation_properties_of_ec2():
    from cfnlint.decode import decode

    template, matches = decode(str(MODULES / "ec2-instance/cloudformation/template.yaml"))
    assert matches == []
    data = template["Resources"]["LaunchTemplate"]["Properties"]["LaunchTemplateData"]
    assert data["MetadataOptions"]["HttpTokens"] == "required"
    assert data["Monitoring"]["Enabled"] is True
    ebs = data["BlockDeviceMappings"][0]["Ebs"]
    assert (ebs["VolumeType"], ebs["Encrypted"]) == ("gp3", True)
    assert template["Parameters"]["AssociatePublicIp"]["Default"] == "false"
    assert {t["Key"] for t in template["Resources"]["Instance"]["Properties"]["Tags"]} >= {"owner", "cost-center", "environment"}
    role = template["Resources"]["InstanceRole"]["Properties"]
    assert "AmazonSSMManagedInstanceCore" in json.dumps(role["ManagedPolicyArns"])


def test_cloudformation_properties_of_emr():
    from cfnlint.decode import decode

    template, _ = decode(str(MODULES / "emr-cluster/cloudformation/template.yaml"))
    res = template["Resources"]
    encryption = res["SecurityConfiguration"]["Properties"]["SecurityConfiguration"]["EncryptionConfiguration"]
    assert encryption["EnableAtRestEncryption"] is True and encryption["EnableInTransitEncryption"] is True
    cluster = res["Cluster"]["Properties"]
    assert "IdleTimeout" in cluster["AutoTerminationPolicy"]
    assert "ServiceAccessSecurityGroup" in cluster["Instances"]  # private subnet
    assert (
        res["LogBucket"]["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0][
            "ServerSideEncryptionByDefault"
        ]["SSEAlgorithm"]
        == "aws:kms"
    )
    main = (MODULES / "emr-cluster/terraform/main.tf").read_text()
    assert 'resource "aws_emr_block_public_access_configuration"' in main
    assert "block_public_security_group_rules = true" in main


@pytest.mark.gate
@pytest.mark.parametrize("name", BLUEPRINTS)
def test_cfn_lint(name):
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "cfn-lint"), str(MODULES / name / "cloudformation/template.yaml")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _checkov(folder: Path, tmp_path: Path) -> list[dict]:
    args = [
        sys.executable,
        "-m",
        "checkov.main",
        "-d",
        str(folder),
        "--framework",
        "cloudformation",
        "terraform",
        "--skip-download",
        "--compact",
        "-o",
        "json",
        "--output-file-path",
        str(tmp_path),
    ]
    config = folder / ".checkov.yaml"
    if config.is_file():
        args += ["--config-file", str(config)]
    subprocess.run(
        args, capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true"}
    )
    report = json.loads((tmp_path / "results_json.json").read_text())
    return report if isinstance(report, list) else [report]


@pytest.mark.gate
@pytest.mark.parametrize("name", BLUEPRINTS)
def test_checkov_zero_failed(name, tmp_path):
    reports = {r["check_type"]: r for r in _checkov(MODULES / name, tmp_path)}
    assert set(reports) == {"cloudformation", "terraform"}
    for kind, report in reports.items():
        failed = [f"{c['check_id']} {c['resource']}" for c in report["results"]["failed_checks"]]
        assert failed == [], f"{kind}: {failed}"
        passed = {c["check_id"] for c in report["results"]["passed_checks"]}
        assert PROMISED[name][kind] <= passed, f"{kind}: not run or not passed: {PROMISED[name][kind] - passed}"


@pytest.mark.parametrize("name", BLUEPRINTS)
def test_every_skip_has_a_reason(name):
    config = MODULES / name / ".checkov.yaml"
    if not config.is_file():
        return
    skips = [line for line in config.read_text().splitlines() if re.match(r"\s+- CKV", line)]
    assert skips and all(re.match(r"\s+- CKV\w+\s+#\s*\S.{20,}", line) for line in skips), skips


@pytest.mark.gate
@pytest.mark.parametrize("name", BLUEPRINTS)
def test_terraform_validate_from_the_mirror(name, tmp_path):
    mirror = os.environ.get("LZ_TF_PROVIDER_MIRROR") or find_mirror()
    if not mirror:
        pytest.fail("no provider mirror: set LZ_TF_PROVIDER_MIRROR (terraform must not reach the registry here)")
    copy = tmp_path / name
    shutil.copytree(MODULES / name, copy)
    env = terraform_env({**os.environ, "LZ_TF_PROVIDER_MIRROR": str(mirror)})
    cwd = copy / "examples" / "terraform"
    init = subprocess.run(
        ["terraform", "init", "-backend=false", "-input=false", "-no-color"], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert init.returncode == 0, init.stdout + init.stderr
    proc = subprocess.run(["terraform", "validate", "-json", "-no-color"], cwd=cwd, env=env, capture_output=True, text=True)
    result = json.loads(proc.stdout)
    assert result["valid"], result["diagnostics"]


@pytest.mark.gate
@pytest.mark.parametrize("name", BLUEPRINTS)
def test_the_terraform_artifact_itself_validates_as_the_engines_root_module(name, tmp_path):
    """What Service Catalog's Terraform engine gets: the uploaded tar.gz, unpacked and run as a root module."""
    mirror = os.environ.get("LZ_TF_PROVIDER_MIRROR") or find_mirror()
    assert mirror, "no provider mirror: set LZ_TF_PROVIDER_MIRROR (terraform must not reach the registry here)"
    art = artifact(MODULES, name, "terraform")
    with tarfile.open(fileobj=io.BytesIO(art.content), mode="r:gz") as tar:
        tar.extractall(tmp_path, filter="data")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["main.tf", "outputs.tf", "variables.tf", "versions.tf"]
    env = terraform_env({**os.environ, "LZ_TF_PROVIDER_MIRROR": str(mirror)})
    init = subprocess.run(
        ["terraform", "init", "-backend=false", "-input=false", "-no-color"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert init.returncode == 0, init.stdout + init.stderr
    proc = subprocess.run(["terraform", "validate", "-json", "-no-color"], cwd=tmp_path, env=env, capture_output=True, text=True)
    result = json.loads(proc.stdout)
    assert result["valid"], result["diagnostics"]


def test_terraform_artifact_is_deterministic():
    first = artifact.__wrapped__(MODULES, "ec2-instance", "terraform")
    second = artifact.__wrapped__(MODULES, "ec2-instance", "terraform")
    assert first.content == second.content and first.key == second.key
    assert re.fullmatch(r"blueprints/ec2-instance/terraform/[0-9a-f]{16}/ec2-instance\.tar\.gz", first.key)
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(first.content))) as tar:
        assert sorted(tar.getnames()) == ["main.tf", "outputs.tf", "variables.tf", "versions.tf"]
        assert {m.mtime for m in tar.getmembers()} == {0}


def test_cloudformation_artifact_key_carries_the_content_hash():
    art = artifact(MODULES, "emr-cluster", "cloudformation")
    assert art.content == (MODULES / "emr-cluster/cloudformation/template.yaml").read_bytes()
    assert art.sha256[:16] in art.key and art.key.endswith("/template.yaml")


def test_launch_role_fits_iam_inline_quota():
    from landing_zone.self_service.launch_role import INLINE_POLICY_LIMIT, inline_policy_size, launch_role_template

    policies = {name: launch_policy(MODULES, name) for name in BLUEPRINTS}
    assert inline_policy_size(policies) <= INLINE_POLICY_LIMIT
    template = launch_role_template("lz-catalog-launch", policies, None)
    trust = template["Resources"]["LaunchRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust == [{"Effect": "Allow", "Principal": {"Service": "servicecatalog.amazonaws.com"}, "Action": "sts:AssumeRole"}]
