"""CIS 4.1-4.15 metric filters (landing_zone.guardrails.monitoring): each one matches the CloudTrail record it
exists for and leaves a routine one alone, and renders as CloudWatch Logs filter syntax."""

from __future__ import annotations

import re

import pytest

from landing_zone.guardrails.monitoring import AllOf, AnyOf, Field, cis_metric_filters

BY_ID = {f.cis_id: f for f in cis_metric_filters()}


def record(event_name: str, source: str, **extra) -> dict:
    """A CloudTrail record as the organization trail writes it to its log group."""
    base = {
        "eventVersion": "1.09",
        "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::222222222222:assumed-role/dev/alice"},
        "eventTime": "2026-12-05T23:00:00Z",
        "eventSource": source,
        "eventName": event_name,
        "awsRegion": "eu-west-1",
        "sourceIPAddress": "203.0.113.7",
        "eventType": "AwsApiCall",
        "recipientAccountId": "222222222222",
    }
    base.update(extra)
    return base


ROUTINE = record("DescribeInstances", "ec2.amazonaws.com")

# One record per recommendation that the benchmark's filter exists to catch.
TRIGGERS = {
    "4.1": record("RunInstances", "ec2.amazonaws.com", errorCode="Client.UnauthorizedOperation"),
    "4.2": record(
        "ConsoleLogin",
        "signin.amazonaws.com",
        userIdentity={"type": "IAMUser", "userName": "bob"},
        additionalEventData={"MFAUsed": "No"},
        responseElements={"ConsoleLogin": "Success"},
        eventType="AwsConsoleSignIn",
    ),
    "4.3": record("ListBuckets", "s3.amazonaws.com", userIdentity={"type": "Root", "arn": "arn:aws:iam::222222222222:root"}),
    "4.4": record("PutRolePolicy", "iam.amazonaws.com"),
    "4.5": record("StopLogging", "cloudtrail.amazonaws.com"),
    "4.6": record("ConsoleLogin", "signin.amazonaws.com", errorMessage="Failed authentication", eventType="AwsConsoleSignIn"),
    "4.7": record("ScheduleKeyDeletion", "kms.amazonaws.com"),
    "4.8": record("PutBucketPolicy", "s3.amazonaws.com"),
    "4.9": record("StopConfigurationRecorder", "config.amazonaws.com"),
    "4.10": record("AuthorizeSecurityGroupIngress", "ec2.amazonaws.com"),
    "4.11": record("ReplaceNetworkAclEntry", "ec2.amazonaws.com"),
    "4.12": record("AttachInternetGateway", "ec2.amazonaws.com"),
    "4.13": record("CreateRoute", "ec2.amazonaws.com"),
    "4.14": record("CreateVpcPeeringConnection", "ec2.amazonaws.com"),
    "4.15": record("DetachPolicy", "organizations.amazonaws.com"),
}


def test_one_filter_per_recommendation_4_1_to_4_15():
    assert list(BY_ID) == [f"4.{i}" for i in range(1, 16)]
    keys = [f.key for f in cis_metric_filters()]
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize("cis_id", sorted(TRIGGERS, key=lambda i: int(i.split(".")[1])))
def test_each_filter_matches_its_event_and_only_its_event(cis_id):
    assert BY_ID[cis_id].matches(TRIGGERS[cis_id])
    assert not BY_ID[cis_id].matches(ROUTINE)
    others = [other for other, event in TRIGGERS.items() if other != cis_id and BY_ID[cis_id].matches(event)]
    # 4.1 (access denied) and 4.3 (root) cut across services; every other filter catches its own event only.
    assert others == [], others


def test_the_exceptions_the_benchmark_makes():
    unauthorized = BY_ID["4.1"]
    assert unauthorized.matches(record("GetObject", "s3.amazonaws.com", errorCode="AccessDenied"))
    assert not unauthorized.matches(record("HeadBucket", "s3.amazonaws.com", errorCode="AccessDenied"))
    assert not unauthorized.matches(
        record("PutObject", "s3.amazonaws.com", errorCode="AccessDenied", sourceIPAddress="delivery.logs.amazonaws.com")
    )
    with_mfa = dict(TRIGGERS["4.2"], additionalEventData={"MFAUsed": "Yes"})
    assert not BY_ID["4.2"].matches(with_mfa)
    by_a_service = dict(TRIGGERS["4.3"], userIdentity={"type": "Root", "invokedBy": "s3.amazonaws.com"})
    assert not BY_ID["4.3"].matches(by_a_service)
    assert not BY_ID["4.3"].matches(dict(TRIGGERS["4.3"], eventType="AwsServiceEvent"))
    assert not BY_ID["4.7"].matches(record("Encrypt", "kms.amazonaws.com"))


def test_patterns_render_in_cloudwatch_logs_filter_syntax():
    assert BY_ID["4.3"].pattern == (
        '{ (($.userIdentity.type = "Root") && ($.userIdentity.invokedBy NOT EXISTS) && ($.eventType != "AwsServiceEvent")) }'
    )
    assert BY_ID["4.7"].pattern == (
        '{ (($.eventSource = "kms.amazonaws.com") && (($.eventName = "DisableKey") || ($.eventName = "ScheduleKeyDeletion"))) }'
    )
    for f in cis_metric_filters():
        assert len(f.pattern) <= 1024, f.cis_id  # CloudWatch Logs' limit on a filter pattern
        assert f.pattern.count("(") == f.pattern.count(")")
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]+", f.metric_name)


def test_the_evaluator_follows_the_filter_semantics():
    event = {"a": {"b": "xyz"}}
    assert Field("a.b", "=", "x*").matches(event) and not Field("a.b", "=", "y*").matches(event)
    assert Field("a.c", "NOT EXISTS").matches(event) and not Field("a.b", "NOT EXISTS").matches(event)
    assert not Field("a.c", "!=", "q").matches(event)  # a missing property matches no comparison
    assert AnyOf((Field("a.b", "=", "no"), Field("a.b", "=", "xyz"))).matches(event)
    assert not AllOf((Field("a.b", "=", "no"), Field("a.b", "=", "xyz"))).matches(event)


# Prowler 5.46.0's cloudwatch_log_metric_filter_aws_organizations_changes (CIS 4.15 in `make audit`) passes a
# filter only if its pattern names the event source and each of these events, a whole name each (its
# build_metric_filter_pattern: one lookahead per name, ending in \b); three more than the benchmark prints:
# CancelHandshake, CreateOrganization, EnableAllFeatures. Earlier Prowler versions wanted them in this order.
PROWLER_4_15_EVENTS = (
    "AcceptHandshake AttachPolicy CancelHandshake CreateAccount CreateOrganization CreateOrganizationalUnit CreatePolicy "
    "DeclineHandshake DeleteOrganization DeleteOrganizationalUnit DeletePolicy EnableAllFeatures EnablePolicyType "
    "InviteAccountToOrganization LeaveOrganization DetachPolicy DisablePolicyType MoveAccount "
    "RemoveAccountFromOrganization UpdateOrganizationalUnit UpdatePolicy"
).split()
BENCHMARK_4_15_EVENTS = set(PROWLER_4_15_EVENTS) - {"CancelHandshake", "CreateOrganization", "EnableAllFeatures"}


def test_the_organizations_filter_has_every_event_prowler_requires_in_its_order():
    source = r"\$\.eventSource\s*=\s*.?organizations\.amazonaws\.com"
    lookaheads = rf"(?=.*{source})" + "".join(rf"(?=.*\$\.eventName\s*=\s*.?{name}\b)" for name in PROWLER_4_15_EVENTS)
    in_order = source + "".join(rf".+\$\.eventName\s*=\s*.?{name}" for name in PROWLER_4_15_EVENTS)
    organizations = BY_ID["4.15"]
    for prowler in (lookaheads, in_order):
        assert re.search(prowler, organizations.pattern, flags=re.DOTALL), organizations.pattern
    without_create_organization = organizations.pattern.replace('($.eventName = "CreateOrganization") || ', "")
    assert without_create_organization != organizations.pattern
    assert not re.search(lookaheads, without_create_organization, flags=re.DOTALL)  # CreateOrganizationalUnit is not it
    assert len(BENCHMARK_4_15_EVENTS) == 18
    for name in PROWLER_4_15_EVENTS:
        assert organizations.matches(record(name, "organizations.amazonaws.com")), name
    assert not organizations.matches(record("DescribeOrganization", "organizations.amazonaws.com"))
    assert not organizations.matches(record("CreateAccount", "iam.amazonaws.com"))
