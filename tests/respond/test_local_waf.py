"""The baseline web ACL on a local moto server of this module's own: the synthesized WAF resources of
web-prod's home region (from the variant of tests/respond/conftest.py) applied by terraform into a
member account, logging to the log archive's WAF bucket (applied by the e2e deployment: the example turns
WAF on), a second plan with no changes; `lz respond` runs LZ-WAF-BlockIp from the audit account's
shared document against the block list twice (one entry); the next plan still has no changes (the
addresses belong to the responders); destroy leaves nothing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from local_api import apply_config, as_account, client, terraform

from landing_zone.local_aws.endpoints import provider_settings
from landing_zone.local_aws.server import LocalAws, client_env
from landing_zone.respond.runbooks import load_runbooks
from landing_zone.respond.waf import BLOCK_RUNBOOK

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.synth]
ROOT = Path(__file__).resolve().parents[2]
REGION = "eu-west-1"
WAF_TYPES = (
    "aws_wafv2_ip_set",
    "aws_wafv2_web_acl",
    "aws_wafv2_web_acl_logging_configuration",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with LocalAws(log_file=tmp_path_factory.mktemp("moto") / "moto.log") as api:
        yield api


def waf_resources(stack: dict, region: str) -> dict:
    """The stack's WAF resources of one region (keys end with the region), on the default provider."""
    out: dict = {}
    for rtype in WAF_TYPES:
        for name, body in stack["resource"].get(rtype, {}).items():
            if name.startswith("waf_") and name.endswith(f"_{region}"):
                out.setdefault(rtype, {})[name] = {k: v for k, v in body.items() if k not in ("provider", "//")}
    return out


@pytest.fixture(scope="module")
def deployed(server, waf_variant, tmp_path_factory):
    org = client(server, "organizations", REGION)
    org.create_organization(FeatureSet="ALL")
    ids = {
        name: org.create_account(AccountName=name, Email=f"{name}@acme-corp.io")["CreateAccountStatus"]["AccountId"]
        for name in ("audit", "web-prod", "log-archive")
    }
    resources = waf_resources(waf_variant.stacks["account-web-prod"], REGION)
    assert sorted(resources) == sorted(WAF_TYPES)
    # the account's id comes from the management stack's outputs: here, the member account just created
    text = re.sub(r"\$\{data\.terraform_remote_state\.[^}]*accountaccount_web-prodid\}", ids["web-prod"], json.dumps(resources))
    # the log archive's WAF log bucket comes from the log-archive stack's outputs (moto does not check it exists)
    text = re.sub(r"\$\{data\.terraform_remote_state\.[^}]*waf_log_bucketarn\}", log_bucket_arn(ids), text)
    assert "${data." not in text
    resources = json.loads(text)
    folder = tmp_path_factory.mktemp("waf_tf")
    provider = {
        "region": REGION,
        **provider_settings(server.url),
        "assume_role": [{"role_arn": f"arn:aws:iam::{ids['web-prod']}:role/OrganizationAccountAccessRole"}],
    }
    config = {
        "terraform": {
            "required_providers": waf_variant.stacks["account-web-prod"]["terraform"]["required_providers"],
            "backend": {"local": {"path": "waf.tfstate"}},
        },
        "provider": {"aws": [provider]},
        "resource": resources,
    }
    env = apply_config(folder, config, server.url)
    return folder, env, ids


def log_bucket_arn(ids: dict) -> str:
    return f"arn:aws:s3:::aws-waf-logs-acme-{ids['log-archive']}"


def _plan_changes(folder, env) -> int:
    plan = terraform(folder, env, "plan", "-detailed-exitcode")
    assert plan.returncode in (0, 2), plan.stderr[-3000:]
    return plan.returncode


def test_the_web_acl_applies_in_the_member_account_and_a_second_plan_has_no_changes(deployed, server):
    folder, env, ids = deployed
    wafv2 = as_account(server, ids["web-prod"], "wafv2", REGION)
    (acl,) = wafv2.list_web_acls(Scope="REGIONAL")["WebACLs"]
    assert acl["Name"] == "acme-lz-baseline" and f":{ids['web-prod']}:" in acl["ARN"]
    logging = wafv2.get_logging_configuration(ResourceArn=acl["ARN"])["LoggingConfiguration"]
    assert logging["LogDestinationConfigs"] == [log_bucket_arn(ids)]  # the log archive's bucket
    assert logging["RedactedFields"] == [{"SingleHeader": {"Name": "authorization"}}, {"SingleHeader": {"Name": "cookie"}}]
    assert _plan_changes(folder, env) == 0


def test_lz_respond_adds_an_address_once_and_terraform_leaves_it(deployed, server):
    folder, env, ids = deployed
    runbook = load_runbooks()[BLOCK_RUNBOOK]
    audit_ssm = as_account(server, ids["audit"], "ssm", REGION)
    audit_ssm.create_document(Name=runbook.name, Content=runbook.content, DocumentType="Automation", DocumentFormat="YAML")
    audit_ssm.modify_document_permission(Name=runbook.name, PermissionType="Share", AccountIdsToAdd=[ids["web-prod"]])
    command = [
        sys.executable,
        "-m",
        "landing_zone.cli.main",
        "respond",
        "environments/example.yaml",
        "--account",
        "web-prod",
        "--runbook",
        BLOCK_RUNBOOK,
        "--param",
        "IpSet=acme-lz-block-list",
        "--param",
        "Address=203.0.113.7",
    ]
    first = subprocess.run(command, cwd=ROOT, env=client_env(server.url), capture_output=True, text=True, timeout=180)
    assert first.returncode == 0, first.stderr[-3000:]
    assert first.stdout.strip() == f"{BLOCK_RUNBOOK} in web-prod: Success"
    assert "Success  updateIpSet (aws:executeAwsApi)" in first.stderr
    again = subprocess.run(command, cwd=ROOT, env=client_env(server.url), capture_output=True, text=True, timeout=180)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "Success  alreadyBlocked (aws:sleep)" in again.stderr and "updateIpSet" not in again.stderr
    wafv2 = as_account(server, ids["web-prod"], "wafv2", REGION)
    (summary,) = wafv2.list_ip_sets(Scope="REGIONAL")["IPSets"]
    ip_set = wafv2.get_ip_set(Name=summary["Name"], Scope="REGIONAL", Id=summary["Id"])["IPSet"]
    assert ip_set["Addresses"] == ["203.0.113.7/32"]
    assert _plan_changes(folder, env) == 0  # the responders' address stays (ignore_changes)


def test_destroy_leaves_nothing(deployed, server):
    folder, env, ids = deployed
    result = terraform(folder, env, "destroy", "-auto-approve")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    wafv2 = as_account(server, ids["web-prod"], "wafv2", REGION)
    assert wafv2.list_web_acls(Scope="REGIONAL")["WebACLs"] == []
    assert wafv2.list_ip_sets(Scope="REGIONAL")["IPSets"] == []
