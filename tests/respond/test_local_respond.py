"""`lz respond` end to end on a local moto server: the audit account's shared document runs in a member
account as its remediation role, through the server's SSM Automation addition."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from local_api import as_account, client

from landing_zone.local_aws.server import LocalAws, client_env
from landing_zone.respond.runbooks import load_runbooks

ROOT = Path(__file__).resolve().parents[2]
REGION = "eu-west-1"  # the example's home region


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = LocalAws(log_file=tmp_path_factory.mktemp("moto") / "moto.log").start()
    yield server
    server.stop()


def test_lz_respond_makes_a_public_bucket_private_in_a_member_account(server):
    org = client(server, "organizations", REGION)
    org.create_organization(FeatureSet="ALL")
    ids = {
        name: org.create_account(AccountName=name, Email=f"{name}@acme-corp.io")["CreateAccountStatus"]["AccountId"]
        for name in ("audit", "web-nonprod")
    }
    audit_ssm = as_account(server, ids["audit"], "ssm", REGION)
    runbook = load_runbooks()["LZ-BlockS3PublicAccess"]
    audit_ssm.create_document(Name=runbook.name, Content=runbook.content, DocumentType="Automation", DocumentFormat="YAML")
    s3 = as_account(server, ids["web-nonprod"], "s3", REGION)
    s3.create_bucket(Bucket="drill-public", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_acl(Bucket="drill-public", ACL="public-read")
    env = client_env(server.url)
    command = [
        sys.executable,
        "-m",
        "landing_zone.cli.main",
        "respond",
        "environments/example.yaml",
        "--account",
        "web-nonprod",
        "--runbook",
        runbook.name,
        "--param",
        "BucketName=drill-public",
    ]

    # not shared yet: the member account cannot run the audit account's document
    refused = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0 and "is not shared with account" in refused.stderr + refused.stdout, refused.stderr[-2000:]
    assert "http://acs.amazonaws.com/groups/global/AllUsers" in [
        g["Grantee"].get("URI") for g in s3.get_bucket_acl(Bucket="drill-public")["Grants"]
    ]

    audit_ssm.modify_document_permission(Name=runbook.name, PermissionType="Share", AccountIdsToAdd=[ids["web-nonprod"]])
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "LZ-BlockS3PublicAccess in web-nonprod: Success"
    for step in ("blockPublicAccess", "resetAcl", "assertBlocked"):
        assert f"Success  {step} (aws:" in result.stderr, result.stderr
    assert all(s3.get_public_access_block(Bucket="drill-public")["PublicAccessBlockConfiguration"].values())
    grantees = [g["Grantee"].get("URI") for g in s3.get_bucket_acl(Bucket="drill-public")["Grants"]]
    assert "http://acs.amazonaws.com/groups/global/AllUsers" not in grantees

    dry = subprocess.run(command + ["--dry-run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert dry.returncode == 0 and f"arn:aws:ssm:{REGION}:{ids['audit']}:document/LZ-BlockS3PublicAccess" in dry.stdout
    assert f"arn:aws:iam::{ids['web-nonprod']}:role/acme-lz-remediation" in dry.stdout


def test_lz_respond_refuses_undeclared_and_missing_parameters(server):
    from landing_zone.respond.run import RespondError, execution_parameters

    with pytest.raises(RespondError, match=r"runbook LZ-BlockS3PublicAccess does not declare Bucket; it takes: BucketName"):
        execution_parameters("LZ-BlockS3PublicAccess", {"Bucket": "x"}, "arn:aws:iam::1:role/r")
    with pytest.raises(RespondError, match=r"needs --param InstanceId=..."):
        execution_parameters("LZ-IsolateEC2Instance", {}, "arn:aws:iam::1:role/r")
    with pytest.raises(RespondError, match=r"unknown runbook 'LZ-Nope'"):
        execution_parameters("LZ-Nope", {}, "arn:aws:iam::1:role/r")
    assert execution_parameters(
        "LZ-ReleaseEC2Instance", {"InstanceId": "i-12345678", "SecurityGroupIds": "sg-1,sg-2"}, "arn:r"
    ) == {"InstanceId": ["i-12345678"], "SecurityGroupIds": ["sg-1", "sg-2"], "AutomationAssumeRole": ["arn:r"]}
