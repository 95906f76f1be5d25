"""Tamper alerts (issue 24.5, landing_zone.guardrails.alerts): on the local API (moto in-process), each rule
matches the CloudTrail-shaped event it exists for, put on the default bus, and delivers it to a queue;
routine events deliver nothing."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

from landing_zone.guardrails.alerts import API_CALL, SIGN_IN, alerts

REGION = "eu-west-1"
ACCESS_ROLE = "OrganizationAccountAccessRole"
BREAK_GLASS = "acme-lz-break-glass"


def api_call(source: str, event_name: str, **detail) -> dict:
    body = {
        "eventVersion": "1.09",
        "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::111111111111:assumed-role/ops/alice"},
        "eventSource": f"{source.removeprefix('aws.')}.amazonaws.com",
        "eventName": event_name,
        "awsRegion": REGION,
        "eventType": "AwsApiCall",
        **detail,
    }
    return {"Source": source, "DetailType": API_CALL, "Detail": json.dumps(body)}


def assume(role_name: str, account: str = "222222222222") -> dict:
    return api_call(
        "aws.sts", "AssumeRole", requestParameters={"roleArn": f"arn:aws:iam::{account}:role/{role_name}", "roleSessionName": "s"}
    )


TRIGGERS = {
    "trail_tampering": [api_call("aws.cloudtrail", "StopLogging"), api_call("aws.cloudtrail", "DeleteTrail")],
    "root_sign_in": [
        {
            "Source": "aws.signin",
            "DetailType": SIGN_IN,
            "Detail": json.dumps({"eventName": "ConsoleLogin", "userIdentity": {"type": "Root"}}),
        },
        api_call("aws.s3", "ListBuckets", userIdentity={"type": "Root", "arn": "arn:aws:iam::111111111111:root"}),
    ],
    "scp_changes": [api_call("aws.organizations", "DetachPolicy"), api_call("aws.organizations", "UpdatePolicy")],
    "key_changes": [api_call("aws.kms", "ScheduleKeyDeletion"), api_call("aws.kms", "PutKeyPolicy")],
    "privileged_role_assumed": [assume(ACCESS_ROLE), assume(BREAK_GLASS)],
}
ROUTINE = [
    api_call("aws.cloudtrail", "LookupEvents"),
    api_call("aws.organizations", "ListAccounts"),
    api_call("aws.kms", "Decrypt"),
    assume("some-team-role"),
    {"Source": "aws.signin", "DetailType": SIGN_IN, "Detail": json.dumps({"userIdentity": {"type": "IAMUser"}})},
]


@pytest.fixture(scope="module")
def bus():
    """The alert rules on moto's default bus, each with a queue of its own as target."""
    with mock_aws():
        events = boto3.client("events", region_name=REGION)
        sqs = boto3.client("sqs", region_name=REGION)
        queues = {}
        for alert in alerts(access_role_name=ACCESS_ROLE, break_glass_role_name=BREAK_GLASS):
            events.put_rule(Name=f"alert-{alert.key}", EventPattern=alert.pattern_json)
            url = sqs.create_queue(QueueName=alert.key)["QueueUrl"]
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            events.put_targets(Rule=f"alert-{alert.key}", Targets=[{"Id": "queue", "Arn": arn}])
            queues[alert.key] = url
        yield events, sqs, queues


def delivered(sqs, url) -> list[dict]:
    out = []
    while True:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not got:
            return out
        for message in got:
            out.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def test_five_alerts_and_the_break_glass_role_is_watched_when_there_is_one():
    keys = [a.key for a in alerts(access_role_name=ACCESS_ROLE)]
    assert keys == ["trail_tampering", "root_sign_in", "scp_changes", "key_changes", "privileged_role_assumed"]
    watched = alerts(access_role_name=ACCESS_ROLE, break_glass_role_name=BREAK_GLASS)[-1].pattern
    assert watched["detail"]["requestParameters"]["roleArn"] == [
        {"wildcard": f"arn:aws:iam::*:role/{ACCESS_ROLE}"},
        {"wildcard": f"arn:aws:iam::*:role/{BREAK_GLASS}"},
    ]


@pytest.mark.parametrize("key", sorted(TRIGGERS))
def test_each_rule_delivers_its_cloudtrail_event_and_only_its_own(bus, key):
    events, sqs, queues = bus
    for queue in queues.values():
        delivered(sqs, queue)
    entries = TRIGGERS[key]
    assert events.put_events(Entries=entries)["FailedEntryCount"] == 0
    got = {k: delivered(sqs, url) for k, url in queues.items()}
    assert len(got[key]) == len(entries), got
    assert [e["detail-type"] for e in got[key]] == [e["DetailType"] for e in entries]
    # No event reaches another alert's queue (the root API call is an S3 call: only root_sign_in sees it).
    assert {k for k, v in got.items() if v} == {key}


def test_routine_events_alert_nobody(bus):
    events, sqs, queues = bus
    assert events.put_events(Entries=ROUTINE)["FailedEntryCount"] == 0
    assert {k: delivered(sqs, url) for k, url in queues.items()} == {k: [] for k in queues}
