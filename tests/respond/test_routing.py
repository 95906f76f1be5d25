"""Event routing on moto's EventBridge (in process): an account's forwarding rule puts Config compliance
changes on the central bus, whose rules deliver violations and responders' events (to test queues);
events outside a rule's pattern stay undelivered."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from landing_zone.config.models import Responder
from landing_zone.respond.routing import (
    bus_policy_statements,
    compact,
    config_compliance_pattern,
    custom_action_id,
    custom_action_name,
    responder_pattern,
    violations_pattern,
)

REGION = "eu-west-1"
ACCOUNT = "123456789012"  # moto's default account


@pytest.fixture()
def aws(monkeypatch):
    from landing_zone.local_aws.additions import event_patterns, event_topic_targets

    event_patterns.install()  # patterns into arrays of objects (Security Hub's findings), as AWS flattens them
    event_topic_targets.install()  # SNS targets, which moto cannot deliver to
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield lambda service: boto3.client(service, region_name=REGION)


@pytest.fixture(scope="module")
def names():
    from landing_zone.environment import load_environment

    return load_environment(str(Path(__file__).resolve().parents[2] / "environments" / "example.yaml")).facts.names


def _queue(aws, name):
    sqs = aws("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def _received(aws, url) -> list[dict]:
    messages = aws("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def _rule(aws, name, pattern, target_arn, bus="default"):
    events = aws("events")
    events.put_rule(Name=name, EventBusName=bus, EventPattern=compact(pattern))
    events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": "t", "Arn": target_arn}])


def _compliance(rule_name: str, compliance: str = "NON_COMPLIANT", resource: str = "sg-0123456789abcdef0") -> dict:
    return {
        "Source": "aws.config",
        "DetailType": "Config Rules Compliance Change",
        "Detail": json.dumps(
            {
                "configRuleName": rule_name,
                "resourceId": resource,
                "newEvaluationResult": {"complianceType": compliance},
            }
        ),
    }


def test_the_bus_policy_admits_only_the_organization():
    (statement,) = bus_policy_statements("arn:aws:events:eu-west-1:222222222222:event-bus/acme-lz-security-events", "o-abc")
    assert statement == {
        "Sid": "OrganizationPutsEvents",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "events:PutEvents",
        "Resource": "arn:aws:events:eu-west-1:222222222222:event-bus/acme-lz-security-events",
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}},
    }


def test_forwarded_violations_and_responder_events_reach_their_targets(aws, names):
    events = aws("events")
    bus = events.create_event_bus(Name=f"{names.prefix}security-events")["EventBusArn"]
    events.put_permission(
        EventBusName=f"{names.prefix}security-events",
        Policy=json.dumps({"Version": "2012-10-17", "Statement": bus_policy_statements(bus, "o-abc")}),
    )
    # the account's forwarding rule: every compliance change goes to the central bus
    _rule(aws, "forward", config_compliance_pattern(), bus)
    topic_url, topic_arn = _queue(aws, "violations")
    _rule(aws, "violations", violations_pattern(names), topic_arn, bus=f"{names.prefix}security-events")
    ssh_url, ssh_arn = _queue(aws, "ssh-responder")
    ssh = Responder(
        name="ssh", source="config", match={"control_ids": ["AWS-GR_RESTRICTED_SSH"]}, action="LZ-RevokeOpenAdminIngress"
    )
    rule_names = {"AWS-GR_RESTRICTED_SSH": f"{names.prefix}aws-gr-restricted-ssh"}
    _rule(aws, "ssh", responder_pattern(ssh, rule_names, []), ssh_arn, bus=f"{names.prefix}security-events")

    entries = [
        _compliance(f"OrgConfigRule-{names.prefix}aws-gr-restricted-ssh-a1b2c3"),  # organization rule in a member
        _compliance(f"{names.prefix}aws-gr-s3-bucket-public-read-prohibited", resource="drill-public"),  # account rule
        _compliance(f"{names.prefix}aws-gr-restricted-ssh", compliance="COMPLIANT"),  # fixed: nobody told
        _compliance("someone-elses-rule"),  # not the landing zone's
    ]
    assert events.put_events(Entries=entries)["FailedEntryCount"] == 0

    violations = _received(aws, topic_url)
    assert sorted(e["detail"]["configRuleName"] for e in violations) == [
        f"OrgConfigRule-{names.prefix}aws-gr-restricted-ssh-a1b2c3",
        f"{names.prefix}aws-gr-s3-bucket-public-read-prohibited",
    ]
    (ssh_event,) = _received(aws, ssh_url)
    assert ssh_event["detail"]["resourceId"] == "sg-0123456789abcdef0"


def test_guardduty_responders_route_by_type_severity_and_account(aws):
    events = aws("events")
    url, arn = _queue(aws, "brute-force")
    other_url, other_arn = _queue(aws, "excluded")
    brute = Responder(
        name="brute",
        source="guardduty",
        match={"finding_types": ["UnauthorizedAccess:EC2/SSHBruteForce"], "severity": "MEDIUM"},
        action="LZ-IsolateEC2Instance",
    )
    _rule(aws, "brute", responder_pattern(brute, {}, ["999999999999"]), arn)
    _rule(aws, "brute-excluded", responder_pattern(brute, {}, [ACCOUNT]), other_arn)

    def finding(kind, severity):
        detail = {"type": kind, "severity": severity, "resource": {"resourceType": "Instance"}}
        return {"Source": "aws.guardduty", "DetailType": "GuardDuty Finding", "Detail": json.dumps(detail)}

    events.put_events(
        Entries=[
            finding("UnauthorizedAccess:EC2/SSHBruteForce", 5.0),
            finding("UnauthorizedAccess:EC2/SSHBruteForce", 2.0),  # below MEDIUM
            finding("Recon:EC2/PortProbeUnprotectedPort", 8.0),  # another type
        ]
    )
    (hit,) = _received(aws, url)
    assert hit["detail"]["severity"] == 5.0
    assert _received(aws, other_url) == []  # this account is excluded there


def test_a_security_hub_custom_action_reaches_its_responder(aws):
    events = aws("events")
    url, arn = _queue(aws, "isolate")
    isolate = Responder(name="isolate-instance", source="securityhub", action="LZ-IsolateEC2Instance", mode="custom_action")
    assert (custom_action_id(isolate), custom_action_name(isolate)) == ("IsolateInstance", "Isolate instance")
    action = f"arn:aws:securityhub:{REGION}:{ACCOUNT}:action/custom/IsolateInstance"
    _rule(aws, "isolate", responder_pattern(isolate, {}, [], action), arn)
    detail = {"findings": [{"AwsAccountId": "111111111111", "Resources": [{"Id": "i-0abc"}]}]}
    events.put_events(
        Entries=[
            {
                "Source": "aws.securityhub",
                "DetailType": "Security Hub Findings - Custom Action",
                "Resources": [action],
                "Detail": json.dumps(detail),
            },
            {
                "Source": "aws.securityhub",
                "DetailType": "Security Hub Findings - Custom Action",
                "Resources": [action.replace("IsolateInstance", "Other")],
                "Detail": json.dumps(detail),
            },
        ]
    )
    (hit,) = _received(aws, url)
    assert hit["resources"] == [action]


def _imported(resource_id: str, tags: dict | None, account: str = "111111111111") -> dict:
    resource: dict = {"Id": resource_id, "Type": "AwsEc2Instance"}
    if tags is not None:
        resource["Tags"] = tags
    finding = {"AwsAccountId": account, "Types": ["TTPs/Initial Access"], "Severity": {"Label": "HIGH"}, "Resources": [resource]}
    return {
        "Source": "aws.securityhub",
        "DetailType": "Security Hub Findings - Imported",
        "Detail": json.dumps({"findings": [finding]}),
    }


@pytest.mark.parametrize(
    "tags,delivered",
    [
        (None, True),  # no tags at all
        ({"team": "web"}, True),  # other tags
        ({"lz:responder": "manual"}, True),  # the key with another value
        ({"lz:responder": "skip"}, False),  # excluded
        ({"lz:responder": "skip", "team": "web"}, False),
    ],
)
def test_a_responder_skips_findings_on_resources_with_an_excluded_tag(aws, tags, delivered):
    url, arn = _queue(aws, "tagged")
    responder = Responder(
        name="isolate",
        source="securityhub",
        match={"severity": "HIGH"},
        action="LZ-IsolateEC2Instance",
        exclude={"tags": {"lz:responder": "skip"}, "accounts": ["sandbox"]},
    )
    _rule(aws, "isolate", responder_pattern(responder, {}, ["999999999999"]), arn)
    aws("events").put_events(Entries=[_imported("i-0abc", tags), _imported("i-0def", tags, account="999999999999")])
    received = _received(aws, url)
    assert [e["detail"]["findings"][0]["Resources"][0]["Id"] for e in received] == (["i-0abc"] if delivered else [])


@pytest.mark.parametrize(
    "tags,delivered",
    [
        ({}, True),
        ({"owner": "sec"}, True),
        ({"owner": "ops"}, False),
        ({"lz:responder": "skip"}, False),
        ({"lz:responder": "skip", "owner": "ops"}, False),
        ({"lz:responder": "auto", "owner": "sec"}, True),
    ],
)
def test_several_excluded_tags_each_exclude(aws, tags, delivered):
    url, arn = _queue(aws, "two-tags")
    responder = Responder(
        name="isolate",
        source="securityhub",
        action="LZ-IsolateEC2Instance",
        exclude={"tags": {"lz:responder": "skip", "owner": "ops"}},
    )
    pattern = responder_pattern(responder, {}, [])
    assert len(pattern["detail"]["findings"]["Resources"]["Tags"]["$or"]) == 4
    _rule(aws, "isolate", pattern, arn)
    aws("events").put_events(Entries=[_imported("i-0abc", tags)])
    assert len(_received(aws, url)) == (1 if delivered else 0)


def test_arrays_of_objects_flatten_as_aws_matches_them():
    from landing_zone.local_aws.additions.event_patterns import flatten

    event = {
        "detail": {"findings": [{"AwsAccountId": "1", "Resources": [{"Id": "i-1", "Tags": {"k": "v"}}]}, {"AwsAccountId": "2"}]}
    }
    assert flatten(event) == {
        "detail.findings.AwsAccountId": ["1", "2"],
        "detail.findings.Resources.Id": ["i-1"],
        "detail.findings.Resources.Tags.k": ["v"],
    }
    assert flatten({"resources": ["arn:1", "arn:2"], "detail": {}}) == {"resources": ["arn:1", "arn:2"], "detail": {}}


def test_a_rule_notifying_a_topic_delivers_there_and_to_its_other_targets(aws, names):
    """The audit rules notify the security topic; moto alone fails the whole PutEvents on an SNS target."""
    topic = aws("sns").create_topic(Name="acme-lz-security-notifications")["TopicArn"]
    subscribed_url, subscribed_arn = _queue(aws, "subscribed")
    aws("sns").subscribe(TopicArn=topic, Protocol="sqs", Endpoint=subscribed_arn, Attributes={"RawMessageDelivery": "true"})
    url, arn = _queue(aws, "test-queue")
    events = aws("events")
    events.put_rule(Name="violations", EventPattern=compact(violations_pattern(names)))
    events.put_targets(
        Rule="violations",
        Targets=[
            {
                "Id": "security-notifications",
                "Arn": topic,
                "InputTransformer": {"InputPathsMap": {"resource": "$.detail.resourceId"}, "InputTemplate": '"fix <resource>"'},
            },
            {"Id": "test", "Arn": arn},
        ],
    )
    entries = [_compliance("acme-lz-aws-gr-restricted-ssh"), _compliance("someone-elses-rule")]
    assert events.put_events(Entries=entries)["FailedEntryCount"] == 0
    (delivered,) = _received(aws, url)
    assert delivered["detail"]["configRuleName"] == "acme-lz-aws-gr-restricted-ssh"
    messages = aws("sqs").receive_message(QueueUrl=subscribed_url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in messages] == ["fix sg-0123456789abcdef0"]
