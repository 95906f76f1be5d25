"""Automatic responders (`mode: automatic`): EventBridge starts the runbook in the account, as its
remediation role, with the event's resource.

- on a local moto server (its EventBridge delivers to SSM Automation targets through the
  event_automation addition): a Config compliance change for an open SSH rule starts
  LZ-RevokeOpenAdminIngress and the rule is gone; a COMPLIANT change and another rule's
  violation start nothing; a GuardDuty finding fills InstanceId;
- the construct on a small throwaway app: document, rule, target with role and input
  transformer, and the events role's policy.
"""

from __future__ import annotations

import json
import time

import boto3
import pytest

from landing_zone.config.models import Responder
from landing_zone.local_aws.server import LocalAws
from landing_zone.respond.automatic import (
    AutomaticTarget,
    automatic_responders,
    automation_definition_arn,
    events_role_statements,
    problem,
    resource_path,
)
from landing_zone.respond.routing import compact, responder_pattern
from landing_zone.respond.runbooks import load_runbooks

REGION = "eu-west-1"
ACCOUNT = "123456789012"  # moto's default account
REMEDIATION = f"arn:aws:iam::{ACCOUNT}:role/acme-lz-remediation"
SSH_RULE = "acme-lz-aws-gr-restricted-ssh"

SSH = Responder(
    name="ssh",
    source="config",
    match={"control_ids": ["AWS-GR_RESTRICTED_SSH"]},
    action="LZ-RevokeOpenAdminIngress",
    mode="automatic",
    parameters={"Port": "22"},
)
ISOLATE = Responder(
    name="crypto-mining",
    source="guardduty",
    match={"finding_types": ["CryptoCurrency:EC2/BitcoinTool.B!DNS"]},
    action="LZ-RequireImdsv2",
    mode="automatic",
)


def test_the_event_fills_the_one_open_parameter():
    runbooks = load_runbooks()
    assert resource_path(SSH, runbooks["LZ-RevokeOpenAdminIngress"]) == ("GroupId", "$.detail.resourceId")
    assert resource_path(ISOLATE, runbooks["LZ-RequireImdsv2"]) == (
        "InstanceId",
        "$.detail.resource.instanceDetails.instanceId",
    )
    assert problem(SSH, runbooks["LZ-RevokeOpenAdminIngress"]) is None
    target = AutomaticTarget("GroupId", "$.detail.resourceId", REMEDIATION, (("Port", "22"),))
    rendered = json.loads(target.input_template.replace("<resource>", "sg-12345678"))
    assert rendered == {"GroupId": ["sg-12345678"], "Port": ["22"], "AutomationAssumeRole": [REMEDIATION]}


def test_the_events_role_may_start_only_those_runbooks_and_pass_only_the_remediation_role():
    start, passrole = events_role_statements(ACCOUNT, ["LZ-RequireImdsv2", "LZ-RevokeOpenAdminIngress"], REMEDIATION)
    assert start["Action"] == "ssm:StartAutomationExecution"
    assert start["Resource"] == [
        f"arn:aws:ssm:*:{ACCOUNT}:automation-definition/LZ-RequireImdsv2",
        f"arn:aws:ssm:*:{ACCOUNT}:automation-definition/LZ-RevokeOpenAdminIngress",
        f"arn:aws:ssm:*:{ACCOUNT}:automation-definition/LZ-RequireImdsv2:*",
        f"arn:aws:ssm:*:{ACCOUNT}:automation-definition/LZ-RevokeOpenAdminIngress:*",
    ]
    assert passrole["Resource"] == REMEDIATION
    assert passrole["Condition"] == {"StringEquals": {"iam:PassedToService": "ssm.amazonaws.com"}}


# -- end to end on the local API -------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = LocalAws(log_file=tmp_path_factory.mktemp("moto") / "moto.log").start()
    yield server
    server.stop()


@pytest.fixture
def aws(server):
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(f"{server.url}/moto-api/reset", method="POST"), timeout=10)
    return lambda service: boto3.client(
        service, endpoint_url=server.url, region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing"
    )


def _deploy(aws, responder: Responder, rule_names: dict[str, str]) -> None:
    """What AutomaticResponse synthesizes, made with boto3: document, remediation role, rule, target."""
    runbook = load_runbooks()[responder.action]
    aws("ssm").create_document(Name=runbook.name, Content=runbook.content, DocumentType="Automation", DocumentFormat="YAML")
    trust = {"Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    aws("iam").create_role(RoleName="acme-lz-remediation", AssumeRolePolicyDocument=json.dumps(trust))
    events = aws("events")
    events.put_rule(Name=f"acme-lz-auto-{responder.name}", EventPattern=compact(responder_pattern(responder, rule_names, [])))
    parameter, path = resource_path(responder, runbook)  # type: ignore[misc]
    target = AutomaticTarget(parameter, path, REMEDIATION, tuple(sorted(responder.parameters.items())))
    events.put_targets(
        Rule=f"acme-lz-auto-{responder.name}",
        Targets=[
            {
                "Id": "runbook",
                "Arn": automation_definition_arn(REGION, ACCOUNT, runbook.name),
                "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/acme-lz-responder-events",
                "InputTransformer": {"InputPathsMap": target.input_paths, "InputTemplate": target.input_template},
            }
        ],
    )


def _executions(aws, count: int, timeout: float = 30.0) -> list[dict]:
    ssm = aws("ssm")
    deadline = time.monotonic() + timeout
    while True:
        listed = ssm.describe_automation_executions()["AutomationExecutionMetadataList"]
        done = [e for e in listed if e["AutomationExecutionStatus"] not in ("Pending", "InProgress")]
        if len(done) >= count or time.monotonic() > deadline:
            return [
                ssm.get_automation_execution(AutomationExecutionId=e["AutomationExecutionId"])["AutomationExecution"]
                for e in done
            ]
        time.sleep(0.2)


def _compliance(rule: str, resource: str, compliance: str = "NON_COMPLIANT") -> dict:
    detail = {"configRuleName": rule, "resourceId": resource, "newEvaluationResult": {"complianceType": compliance}}
    return {"Source": "aws.config", "DetailType": "Config Rules Compliance Change", "Detail": json.dumps(detail)}


def test_a_violation_starts_the_runbook_and_the_open_rule_is_revoked(aws):
    ec2 = aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName="admin", Description="admin", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        ],
    )
    _deploy(aws, SSH, {"AWS-GR_RESTRICTED_SSH": SSH_RULE})
    entries = [
        _compliance(f"OrgConfigRule-{SSH_RULE}-a1b2c3", group),  # the organization rule in this account
        _compliance(f"OrgConfigRule-{SSH_RULE}-a1b2c3", "sg-0fixed000000", "COMPLIANT"),  # nothing to do
        _compliance("acme-lz-aws-gr-s3-bucket-public-read-prohibited", "team-data"),  # another control
    ]
    assert aws("events").put_events(Entries=entries)["FailedEntryCount"] == 0
    (execution,) = _executions(aws, 1)
    assert execution["AutomationExecutionStatus"] == "Success", execution.get("FailureMessage")
    assert execution["DocumentName"] == "LZ-RevokeOpenAdminIngress"
    assert execution["Parameters"] == {
        "AutomationAssumeRole": [REMEDIATION],
        "GroupId": [group],
        "Port": ["22"],
        "Cidr": ["0.0.0.0/0"],
    }
    left = ec2.describe_security_groups(GroupIds=[group])["SecurityGroups"][0]["IpPermissions"]
    assert [p["FromPort"] for p in left] == [443]
    time.sleep(0.5)
    assert len(aws("ssm").describe_automation_executions()["AutomationExecutionMetadataList"]) == 1  # no others


def test_a_guardduty_finding_fills_the_instance_id(aws):
    ec2 = aws("ec2")
    instance = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, MetadataOptions={"HttpTokens": "optional"})[
        "Instances"
    ][0]["InstanceId"]
    _deploy(aws, ISOLATE, {})
    detail = {
        "type": "CryptoCurrency:EC2/BitcoinTool.B!DNS",
        "severity": 8,
        "resource": {"instanceDetails": {"instanceId": instance}},
    }
    other = {**detail, "type": "Recon:EC2/PortProbeUnprotectedPort"}
    aws("events").put_events(
        Entries=[{"Source": "aws.guardduty", "DetailType": "GuardDuty Finding", "Detail": json.dumps(d)} for d in (detail, other)]
    )
    (execution,) = _executions(aws, 1)
    assert execution["AutomationExecutionStatus"] == "Success", execution.get("FailureMessage")
    described = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
    assert described["MetadataOptions"]["HttpTokens"] == "required"


def test_a_refused_start_runs_nothing(aws):
    """A parameter the runbook refuses (here: not a security group id) starts no execution, as AWS drops it."""
    _deploy(aws, SSH, {"AWS-GR_RESTRICTED_SSH": SSH_RULE})
    aws("events").put_events(Entries=[_compliance(SSH_RULE, "not-a-group")])
    time.sleep(1.0)
    assert aws("ssm").describe_automation_executions()["AutomationExecutionMetadataList"] == []


# -- the construct -----------------------------------------------------------------


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory):
    from cdktf import App, TerraformStack
    from cdktf_cdktf_provider_aws.provider import AwsProvider

    from landing_zone.constructs.security.automatic_response import AutomaticResponse, AutomaticResponseProps
    from landing_zone.naming import LandingZoneNames
    from landing_zone.respond.model import ResponseNames

    out = tmp_path_factory.mktemp("automatic")
    app = App(outdir=str(out))
    names = ResponseNames(LandingZoneNames("acme"))
    specs = automatic_responders([SSH], {"AWS-GR_RESTRICTED_SSH": SSH_RULE})
    for stack_name, own in (("member", True), ("audit", False)):
        stack = TerraformStack(app, stack_name)
        providers = {
            r: AwsProvider(stack, f"aws_{r}", region=r, alias=None if r == REGION else r) for r in (REGION, "eu-central-1")
        }
        AutomaticResponse(
            stack,
            "automatic",
            AutomaticResponseProps(
                account_id=ACCOUNT, names=names, home_region=REGION, providers=providers, responders=specs, own_documents=own
            ),
        )
    app.synth()
    stacks = {name: json.loads((out / "stacks" / name / "cdk.tf.json").read_text()) for name in ("member", "audit")}
    return out, stacks


def test_the_construct_synthesizes_document_rule_target_and_role(synthesized):
    _, stacks = synthesized
    member = stacks["member"]["resource"]
    documents = member["aws_ssm_document"]
    assert sorted(documents) == [
        "automatic_runbook_eu-central-1_LZ-RevokeOpenAdminIngress",
        "automatic_runbook_eu-west-1_LZ-RevokeOpenAdminIngress",
    ]
    assert all(d["document_type"] == "Automation" and "permissions" not in d for d in documents.values())  # not shared
    rule = member["aws_cloudwatch_event_rule"]["automatic_responder_rule_ssh_eu-west-1"]
    assert rule["name"] == "acme-lz-auto-ssh" and "event_bus_name" not in rule  # the account's default bus
    assert json.loads(rule["event_pattern"])["detail"]["configRuleName"][0] == SSH_RULE
    target = member["aws_cloudwatch_event_target"]["automatic_responder_target_ssh_eu-west-1"]
    assert target["arn"] == f"arn:aws:ssm:eu-west-1:{ACCOUNT}:automation-definition/LZ-RevokeOpenAdminIngress"
    assert target["role_arn"] == "${aws_iam_role.responder_events_role.arn}"
    assert target["input_transformer"]["input_paths"] == {"resource": "$.detail.resourceId"}
    assert json.loads(target["input_transformer"]["input_template"].replace("<resource>", "sg-1")) == {
        "GroupId": ["sg-1"],
        "Port": ["22"],
        "AutomationAssumeRole": [REMEDIATION],
    }
    assert target["retry_policy"] == {"maximum_event_age_in_seconds": 3600, "maximum_retry_attempts": 3}
    role = member["aws_iam_role"]["responder_events_role"]
    (trust,) = json.loads(role["assume_role_policy"])["Statement"]
    assert trust["Principal"] == {"Service": "events.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
    policy = json.loads(member["aws_iam_role_policy"]["responder_events_role_policy"]["policy"])["Statement"]
    assert policy == events_role_statements(ACCOUNT, ["LZ-RevokeOpenAdminIngress"], REMEDIATION)
    # the audit account runs its own shared documents: no copies there
    audit = stacks["audit"]["resource"]
    assert "aws_ssm_document" not in audit and len(audit["aws_cloudwatch_event_target"]) == 2


@pytest.mark.gate
def test_the_construct_passes_the_checkov_gate(synthesized):
    from pathlib import Path

    from landing_zone.scan.gate import scan

    out, _ = synthesized
    result = scan(out, config=str(Path(__file__).resolve().parents[2] / ".checkov.yaml"))
    failures = [f"{f.check_id} {f.resource} (stack {f.stack}): {f.check_name}" for f in result.failures]
    assert failures == [] and result.parsing_errors == [] and result.passed
    assert sorted(s.stack for s in result.stacks) == ["audit", "member"]


# -- the plan: which accounts run an automatic responder ---------------------------


def test_an_automatic_responder_runs_in_every_member_account_it_reaches(tmp_path):
    from pathlib import Path

    from landing_zone.environment import load_environment

    example = (Path(__file__).resolve().parents[2] / "environments" / "example.yaml").read_text()
    added = """
    - name: require-imdsv2
      source: config
      match: {control_ids: [LZ-EC2-IMDSV2-CHECK]}
      action: LZ-RequireImdsv2
      mode: automatic
      exclude: {accounts: [network, payments-prod]}
"""
    assert "\nincident_response:\n  responders:\n" in example
    text = example.replace(
        "\nincident_response:\n  responders:\n", "\nincident_response:\n  responders:\n" + added.lstrip("\n"), 1
    )
    env_file = tmp_path / "env.yaml"
    env_file.write_text(text)
    facts = load_environment(str(env_file)).facts
    plan = facts.response_plan
    reached = {a for a in plan.member_accounts if plan.automatic_in(a)}
    assert reached == set(plan.member_accounts) - {"network", "payments-prod"}
    assert "acme" not in reached and "audit" in reached  # the management account has no responder roles
    rule_names = {c.id: c.config_rule.name for c in facts.guardrail_plan.detective if c.config_rule is not None}
    (spec,) = automatic_responders(plan.automatic_in("web-prod"), rule_names)
    assert (spec.name, spec.runbook.name, spec.parameter, spec.path) == (
        "require-imdsv2",
        "LZ-RequireImdsv2",
        "InstanceId",
        "$.detail.resourceId",
    )
    assert json.loads(spec.pattern)["detail"]["configRuleName"] == [
        "acme-lz-lz-ec2-imdsv2-check",
        {"prefix": "OrgConfigRule-acme-lz-lz-ec2-imdsv2-check-"},
    ]
    # its runbook's calls join the remediation role of the accounts it reaches, and only those
    assert "LZ-RequireImdsv2" in plan.runbooks_in("web-prod") and "LZ-RequireImdsv2" not in plan.runbooks_in("network")
