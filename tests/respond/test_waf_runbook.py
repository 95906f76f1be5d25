"""LZ-WAF-BlockIp, run by the local Automation executor against in-process moto: it adds to the block
list without losing what is there, does nothing for an address already blocked, and respects the
lock token (a concurrent change makes it fail rather than vanish)."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from landing_zone.local_aws.automation import Execution, parse_document, resolve_parameters, run_automation
from landing_zone.respond.runbooks import RunbookError, load_runbooks, read_runbook

REGION = "eu-west-1"
ROLE = "arn:aws:iam::123456789012:role/acme-lz-remediation"
RUNBOOK = "LZ-WAF-BlockIp"


@pytest.fixture
def aws(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield lambda service: boto3.client(service, region_name=REGION)


def run(client_for, document: dict | None = None, **params) -> Execution:
    document = document or parse_document(load_runbooks()[RUNBOOK].content)
    given = {"AutomationAssumeRole": [ROLE], **{k: [v] for k, v in params.items()}}
    execution = Execution("exec-1", RUNBOOK, resolve_parameters(document, given))
    return run_automation(execution, document, client_for, account_id="123456789012", region=REGION)


def _ip_set(aws, addresses=("192.0.2.0/24",)):
    summary = aws("wafv2").create_ip_set(
        Name="acme-lz-block-list",
        Scope="REGIONAL",
        IPAddressVersion="IPV4",
        Addresses=list(addresses),
        Description="Addresses the baseline web ACL blocks",
    )["Summary"]
    return summary


def _get(aws, summary) -> dict:
    return aws("wafv2").get_ip_set(Name=summary["Name"], Scope="REGIONAL", Id=summary["Id"])


def test_adds_an_address_and_keeps_the_others(aws):
    summary = _ip_set(aws)
    execution = run(aws, IpSet="acme-lz-block-list", Address="203.0.113.7")
    assert execution.status == "Success", execution.failure
    assert [s.name for s in execution.steps] == [
        "listIpSets",
        "findIpSet",
        "getIpSet",
        "mergeAddress",
        "chooseUpdate",
        "updateIpSet",
    ]
    ip_set = _get(aws, summary)["IPSet"]
    assert ip_set["Addresses"] == ["192.0.2.0/24", "203.0.113.7/32"]
    assert ip_set["Description"] == "Addresses the baseline web ACL blocks"  # UpdateIPSet would clear it if left out
    assert execution.outputs["mergeAddress.Address"] == ["203.0.113.7/32"]
    # the API reports outputs as lists of strings: a MapList's maps as JSON text (lz respond prints them)
    listed = execution.api()["StepExecutions"][0]["Outputs"]["IpSets"]
    assert [json.loads(item)["Name"] for item in listed] == ["acme-lz-block-list"]


def test_adding_an_address_twice_leaves_one_entry_and_the_set_untouched(aws):
    summary = _ip_set(aws)
    assert run(aws, IpSet="acme-lz-block-list", Address="203.0.113.7/32").status == "Success"
    token = _get(aws, summary)["LockToken"]
    # the same address, spelled as a host address this time, and by ARN
    again = run(aws, IpSet=summary["ARN"], Address="203.0.113.7")
    assert again.status == "Success", again.failure
    assert [s.name for s in again.steps][-2:] == ["chooseUpdate", "alreadyBlocked"]
    after = _get(aws, summary)
    assert after["IPSet"]["Addresses"] == ["192.0.2.0/24", "203.0.113.7/32"]
    assert after["LockToken"] == token  # no UpdateIPSet was sent


def test_a_concurrent_change_fails_the_update_instead_of_being_lost(aws):
    summary = _ip_set(aws)

    class Racing:
        """wafv2 client that lets another writer change the set right after the runbook read it."""

        def __init__(self, client):
            self._client = client
            self.meta = client.meta

        def get_ip_set(self, **kwargs):
            answer = self._client.get_ip_set(**kwargs)
            other = aws("wafv2")
            current = other.get_ip_set(**kwargs)
            other.update_ip_set(
                **kwargs,
                Addresses=current["IPSet"]["Addresses"] + ["198.51.100.9/32"],
                Description=current["IPSet"]["Description"],
                LockToken=current["LockToken"],
            )
            return answer

        def __getattr__(self, name):
            return getattr(self._client, name)

    execution = run(lambda service: Racing(aws(service)), IpSet="acme-lz-block-list", Address="203.0.113.7")
    assert execution.status == "Failed"
    assert execution.steps[-1].name == "updateIpSet"
    assert "WAFOptimisticLockException" in execution.failure
    assert _get(aws, summary)["IPSet"]["Addresses"] == ["192.0.2.0/24", "198.51.100.9/32"]  # the other writer's change stays
    # run again: both are kept
    assert run(aws, IpSet="acme-lz-block-list", Address="203.0.113.7").status == "Success"
    assert _get(aws, summary)["IPSet"]["Addresses"] == ["192.0.2.0/24", "198.51.100.9/32", "203.0.113.7/32"]


def test_an_unknown_ip_set_or_a_bad_address_is_reported(aws):
    _ip_set(aws)
    execution = run(aws, IpSet="nope", Address="203.0.113.7")
    assert execution.status == "Failed"
    assert "no regional IP set named nope here (IP sets: acme-lz-block-list)" in execution.failure
    bad = run(aws, IpSet="acme-lz-block-list", Address="203.0.113.300")
    assert bad.status == "Failed" and "ValueError" in bad.failure


def test_the_local_executor_runs_only_the_packages_own_scripts(aws):
    document = parse_document(load_runbooks()[RUNBOOK].content)
    step = next(s for s in document["mainSteps"] if s["name"] == "mergeAddress")
    step["inputs"]["Script"] = step["inputs"]["Script"].replace("changed = ", "changed = True or ")
    _ip_set(aws)
    execution = run(aws, document, IpSet="acme-lz-block-list", Address="203.0.113.7")
    assert execution.status == "Failed"
    assert "runs here only the scripts of the landing zone's own runbooks" in execution.failure


def test_a_script_may_not_call_aws(tmp_path: Path):
    text = load_runbooks()[RUNBOOK].content.replace("import ipaddress", "import boto3, ipaddress")
    (tmp_path / "LZ-Bad.yaml").write_text(text)
    with pytest.raises(RunbookError, match="step mergeAddress's script uses boto3 or botocore"):
        read_runbook(tmp_path / "LZ-Bad.yaml")


def test_the_remediation_role_gets_the_wafv2_calls():
    assert load_runbooks()[RUNBOOK].permissions == ("wafv2:GetIPSet", "wafv2:ListIPSets", "wafv2:UpdateIPSet")
