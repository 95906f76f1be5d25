"""The catalog fixture synthesized once (a small variant, in-process): every Service Catalog resource of the management stack."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

import pytest

from landing_zone.self_service.blueprints import artifact

pytestmark = pytest.mark.synth

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "fixtures" / "catalog.yaml"


@pytest.fixture(scope="module")
def catalog_out(synth_env, tmp_path_factory):
    return synth_env(FIXTURE, tmp_path_factory.mktemp("catalog_synth"))


@pytest.fixture(scope="module")
def mgmt(catalog_out):
    return catalog_out.stacks["management"]["resource"]


def test_organizations_access(mgmt):
    (access,) = mgmt["aws_servicecatalog_organizations_access"].values()
    assert access["enabled"] is True
    assert any("aws_organizations_organization" in d for d in access["depends_on"])


def test_templates_bucket_versioned_encrypted_logged(mgmt):
    bucket = mgmt["aws_s3_bucket"]["catalog_templates_bucket"]
    assert bucket["bucket"].startswith("tiny-lz-catalog-")
    assert (
        mgmt["aws_s3_bucket_versioning"]["catalog_templates_bucket_versioning"]["versioning_configuration"]["status"] == "Enabled"
    )
    rule = mgmt["aws_s3_bucket_server_side_encryption_configuration"]["catalog_templates_bucket_encryption"]["rule"][0]
    assert rule["apply_server_side_encryption_by_default"]["sse_algorithm"] == "aws:kms"
    assert "catalog_templates_access_logging" in mgmt["aws_s3_bucket_logging"]


def test_objects_carry_the_content_hash(mgmt):
    objects = mgmt["aws_s3_object"]
    cfn = artifact(ROOT / "modules", "ec2-instance", "cloudformation")
    tf = artifact(ROOT / "modules", "emr-cluster", "terraform")
    by_key = {o["key"]: o for o in objects.values()}
    assert set(by_key) == {cfn.key, tf.key}  # v1 and v2 of ec2-instance share one object
    # escaped for terraform, which turns $${ back into ${ when it uploads
    assert by_key[cfn.key]["content"].replace("$${", "${").replace("%%{", "%{") == cfn.content.decode()
    assert "${InstanceName}" not in by_key[cfn.key]["content"].replace("$${", "")
    assert gzip.decompress(base64.b64decode(by_key[tf.key]["content_base64"])) == gzip.decompress(tf.content)
    assert all(o["server_side_encryption"] == "aws:kms" for o in objects.values())


def test_products_and_versions(mgmt):
    products = mgmt["aws_servicecatalog_product"]
    ec2, emr = products["catalog_product_ec2-instance"], products["catalog_product_emr-cluster"]
    assert (ec2["type"], emr["type"]) == ("CLOUD_FORMATION_TEMPLATE", "TERRAFORM_OPEN_SOURCE")
    assert ec2["provisioning_artifact_parameters"]["name"] == "v1"
    assert emr["provisioning_artifact_parameters"]["type"] == "TERRAFORM_OPEN_SOURCE"
    # a new version never replaces the product
    assert ec2["lifecycle"]["ignore_changes"] == ["provisioning_artifact_parameters"]
    (v2,) = mgmt["aws_servicecatalog_provisioning_artifact"].values()
    assert v2["name"] == "v2" and v2["guidance"] == "DEFAULT" and "catalog_product_ec2-instance" in v2["product_id"]
    assert "/blueprints/ec2-instance/cloudformation/" in v2["template_url"]


def test_associations_then_launch_constraints(mgmt):
    assocs = mgmt["aws_servicecatalog_product_portfolio_association"]
    assert sorted(assocs) == ["catalog_association_blueprints_ec2-instance", "catalog_association_blueprints_emr-cluster"]
    constraints = mgmt["aws_servicecatalog_constraint"]
    for _name, c in constraints.items():
        assert c["type"] == "LAUNCH"
        assert json.loads(c["parameters"]) == {"LocalRoleName": "lz-catalog-launch"}
        assert any("aws_servicecatalog_product_portfolio_association" in d for d in c["depends_on"])


def test_shares_per_ou_and_account(mgmt):
    shares = mgmt["aws_servicecatalog_portfolio_share"]
    by_type = {s["type"]: s for s in shares.values()}
    assert set(by_type) == {"ORGANIZATIONAL_UNIT", "ACCOUNT"}
    ou = by_type["ORGANIZATIONAL_UNIT"]
    assert "aws_organizations_organizational_unit" in ou["principal_id"] and ou["share_principals"] is True
    assert "share_principals" not in by_type["ACCOUNT"]
    assert all(any("aws_servicecatalog_organizations_access" in d for d in s["depends_on"]) for s in shares.values())


def test_principals_only_on_the_reserved_sso_path(mgmt):
    (principal,) = mgmt["aws_servicecatalog_principal_portfolio_association"].values()
    assert principal["principal_type"] == "IAM_PATTERN"
    assert (
        principal["principal_arn"] == "arn:aws:iam:::role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Developer_" + "?" * 16
    )


def test_tag_options(mgmt):
    assert sorted((t["key"], t["value"]) for t in mgmt["aws_servicecatalog_tag_option"].values()) == [
        ("cost-center", "cc-1234"),
        ("cost-center", "cc-5678"),
    ]
    assert len(mgmt["aws_servicecatalog_tag_option_resource_association"]) == 2


@pytest.mark.gate
def test_checkov_gate_zero_failed(catalog_out):
    from landing_zone.scan.gate import scan

    result = scan(catalog_out.dir, config=str(ROOT / ".checkov.yaml"), limits={"scp_size": 10240, "scps_per_target": 10})
    failures = [f"{f.check_id} {f.resource} ({f.stack})" for f in result.failures]
    assert failures == [] and result.parsing_errors == []
    management = next(s for s in result.stacks if s.stack == "management")
    assert management.passed > 0
    # the catalog's buckets were judged: access logging (CKV_AWS_18) and versioning (CKV_AWS_21) passed on them too
    assert result.checks["CKV_AWS_18"]["passed"] >= 2 and result.checks["CKV_AWS_21"]["passed"] >= 2


@pytest.mark.gate
def test_management_stack_validates(catalog_out, tmp_path):
    import os
    import shutil
    import subprocess

    from landing_zone.terraform.cli_config import terraform_env
    from landing_zone.terraform.find_mirror import find_mirror

    mirror = os.environ.get("LZ_TF_PROVIDER_MIRROR") or find_mirror()
    assert mirror, "no provider mirror: set LZ_TF_PROVIDER_MIRROR"
    stack = tmp_path / "management"
    shutil.copytree(catalog_out.stack_dir("management"), stack)
    env = terraform_env({**os.environ, "LZ_TF_PROVIDER_MIRROR": str(mirror)})
    init = subprocess.run(
        ["terraform", "init", "-backend=false", "-input=false", "-no-color"], cwd=stack, env=env, capture_output=True, text=True
    )
    assert init.returncode == 0, init.stdout + init.stderr
    proc = subprocess.run(["terraform", "validate", "-json", "-no-color"], cwd=stack, env=env, capture_output=True, text=True)
    result = json.loads(proc.stdout)
    assert result["valid"], result["diagnostics"]


def test_launch_role_everywhere_the_portfolio_reaches(mgmt):
    (stack_set,) = mgmt["aws_cloudformation_stack_set"].values()
    assert stack_set["permission_model"] == "SERVICE_MANAGED"
    assert stack_set["auto_deployment"] == {"enabled": True, "retain_stacks_on_account_removal": False}
    template = json.loads(stack_set["template_body"])
    role = template["Resources"]["LaunchRole"]["Properties"]
    assert role["RoleName"] == "lz-catalog-launch"
    assert sorted(p["PolicyName"] for p in role["Policies"]) == ["blueprint-ec2-instance", "blueprint-emr-cluster"]
    trust = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust[0]["Principal"] == {"Service": "servicecatalog.amazonaws.com"}
    assert "TerraformEngine/TerraformExecutionRole" in json.dumps(trust[1])  # the fixture has a Terraform product
    instances = mgmt["aws_cloudformation_stack_set_instance"]
    ous = instances["catalog_launch_role_ous"]["deployment_targets"]
    assert (
        len(ous["organizational_unit_ids"]) == 1 and "aws_organizations_organizational_unit" in ous["organizational_unit_ids"][0]
    )
    audit = instances["catalog_launch_role_account_audit"]["deployment_targets"]
    assert audit["account_filter_type"] == "INTERSECTION" and len(audit["accounts"]) == 1


def test_trusted_access_for_the_catalog(mgmt):
    (org,) = mgmt["aws_organizations_organization"].values()
    assert {"servicecatalog.amazonaws.com", "member.org.stacksets.cloudformation.amazonaws.com"} <= set(
        org["aws_service_access_principals"]
    )


def test_two_synths_are_byte_identical(catalog_out, synth_env, tmp_path):
    again = synth_env(FIXTURE, tmp_path / "again")

    def text(out):  # the local state path is relative to the output folder, which differs here
        data = json.loads((out.stack_dir("management") / "cdk.tf.json").read_text())
        data["terraform"].pop("backend")
        return json.dumps(data, sort_keys=True)

    assert text(again) == text(catalog_out)
