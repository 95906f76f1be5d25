"""The catalog in a member account (`self_service.catalog_account`): Service Catalog's delegated administrator.

The management stack keeps what only it can do (Organizations access, the registration of the delegated
administrator, the launch role's service-managed stack set); the catalog account's own stack holds the
bucket, products, portfolios and shares, and is applied after the management stack.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.synth

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "fixtures" / "delegated.yaml"
CATALOG_TYPES = (
    "aws_servicecatalog_product",
    "aws_servicecatalog_provisioning_artifact",
    "aws_servicecatalog_portfolio",
    "aws_servicecatalog_portfolio_share",
    "aws_servicecatalog_product_portfolio_association",
    "aws_servicecatalog_constraint",
    "aws_servicecatalog_principal_portfolio_association",
    "aws_servicecatalog_tag_option",
)


@pytest.fixture(scope="module")
def delegated_out(synth_env, tmp_path_factory):
    return synth_env(FIXTURE, tmp_path_factory.mktemp("catalog_delegated"))


@pytest.fixture(scope="module")
def mgmt(delegated_out):
    return delegated_out.stacks["management"]["resource"]


@pytest.fixture(scope="module")
def catalog(delegated_out):
    return delegated_out.stacks["log-archive"]


def test_management_keeps_organizations_access_and_registers_the_delegated_administrator(mgmt):
    assert len(mgmt["aws_servicecatalog_organizations_access"]) == 1
    (registration,) = [
        r
        for r in mgmt["aws_organizations_delegated_administrator"].values()
        if r["service_principal"] == "servicecatalog.amazonaws.com"
    ]
    assert registration["account_id"] == "${aws_organizations_account.account_log-archive.id}"
    assert any("aws_organizations_organization" in d for d in registration["depends_on"])
    # nothing of the catalog itself stays in the management account
    assert not any(t in mgmt for t in CATALOG_TYPES)
    assert "catalog_templates_bucket" not in mgmt.get("aws_s3_bucket", {})


def test_the_launch_role_stays_with_the_management_account_and_trusts_the_catalog_accounts_engine(mgmt):
    (stack_set,) = mgmt["aws_cloudformation_stack_set"].values()
    assert stack_set["permission_model"] == "SERVICE_MANAGED"
    trust = json.loads(stack_set["template_body"])["Resources"]["LaunchRole"]["Properties"]["AssumeRolePolicyDocument"]
    engine = trust["Statement"][1]["Principal"]["AWS"]
    # the Terraform engine runs in the catalog account unless terraform_engine_account names another
    assert engine == "arn:aws:iam::${aws_organizations_account.account_log-archive.id}:root"


def test_the_catalog_accounts_stack_holds_the_catalog(catalog):
    resources = catalog["resource"]
    assert all(t in resources for t in CATALOG_TYPES)
    assert sorted(resources["aws_servicecatalog_product"]) == ["catalog_product_ec2-instance", "catalog_product_emr-cluster"]
    bucket = resources["aws_s3_bucket"]["catalog_templates_bucket"]["bucket"]
    assert bucket.startswith("tiny-lz-catalog-") and "remote_state" in bucket  # the account id, from the management stack
    shares = {s["type"]: s for s in resources["aws_servicecatalog_portfolio_share"].values()}
    # the OU's ARN comes from the applied management stack; no depends_on across stacks
    assert "remote_state" in shares["ORGANIZATIONAL_UNIT"]["principal_id"]
    assert all("depends_on" not in s for s in shares.values())
    # the provider works in the catalog account, through its access role
    (provider,) = catalog["provider"]["aws"][:1]
    assert "OrganizationAccountAccessRole" in provider["assume_role"][0]["role_arn"]


def test_the_catalog_stack_comes_after_the_management_stack(delegated_out):
    assert "management" in delegated_out.manifest["stacks"]["log-archive"]["dependencies"]


@pytest.mark.gate
def test_checkov_gate_and_terraform_validate(delegated_out, tmp_path):
    import os
    import shutil
    import subprocess

    from landing_zone.scan.gate import scan
    from landing_zone.terraform.cli_config import terraform_env
    from landing_zone.terraform.find_mirror import find_mirror

    result = scan(delegated_out.dir, config=str(ROOT / ".checkov.yaml"), limits={"scp_size": 10240, "scps_per_target": 10})
    assert [f"{f.check_id} {f.resource} ({f.stack})" for f in result.failures] == [] and result.parsing_errors == []
    mirror = os.environ.get("LZ_TF_PROVIDER_MIRROR") or find_mirror()
    assert mirror, "no provider mirror: set LZ_TF_PROVIDER_MIRROR"
    env = terraform_env({**os.environ, "LZ_TF_PROVIDER_MIRROR": str(mirror)})
    for name in ("management", "log-archive"):
        stack = tmp_path / name
        shutil.copytree(delegated_out.stack_dir(name), stack)
        init = subprocess.run(
            ["terraform", "init", "-backend=false", "-input=false", "-no-color"],
            cwd=stack,
            env=env,
            capture_output=True,
            text=True,
        )
        assert init.returncode == 0, init.stdout + init.stderr
        proc = subprocess.run(["terraform", "validate", "-json", "-no-color"], cwd=stack, env=env, capture_output=True, text=True)
        assert json.loads(proc.stdout)["valid"], proc.stdout
