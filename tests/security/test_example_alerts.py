"""The example's CIS 4.x alarms (issue 16.7) and tamper alerts (issue 24.5), as synthesized (synth_out)."""

from __future__ import annotations

import json

import pytest
from stack_json import one, resources, statements

from landing_zone.guardrails.alerts import alerts
from landing_zone.guardrails.monitoring import NAMESPACE, cis_metric_filters


@pytest.fixture(scope="module")
def env(synth_out):
    return synth_out.loaded.env


@pytest.fixture(scope="module")
def baseline(synth_out):
    return synth_out.stacks["management-baseline"]


@pytest.fixture(scope="module")
def audit(synth_out):
    return synth_out.stacks["audit"]


def test_the_management_account_has_a_kms_encrypted_alerts_topic(baseline, env):
    topic = one(baseline, "aws_sns_topic", "alerts_topic")
    assert topic["name"] == "acme-lz-security-notifications"
    assert topic["kms_master_key_id"] == "${aws_kms_key.alerts_topic_key.arn}"
    key = one(baseline, "aws_kms_key", "alerts_topic_key")
    assert key["enable_key_rotation"] is True
    publish = statements(key)["AlarmsAndRulesPublish"]
    assert publish["Principal"] == {"Service": ["cloudwatch.amazonaws.com", "events.amazonaws.com"]}
    assert "aws:SourceAccount" in publish["Condition"]["StringEquals"]
    policy = statements(one(baseline, "aws_sns_topic_policy", "alerts_topic_policy"))
    assert policy["CloudWatchAlarmsPublish"]["Condition"]["ArnLike"]["aws:SourceArn"].endswith(":alarm:acme-lz-*")
    assert policy["EventBridgePublish"]["Condition"]["ArnLike"]["aws:SourceArn"].endswith(":rule/acme-lz-*")
    emails = {s["endpoint"] for s in resources(baseline, "aws_sns_topic_subscription").values()}
    assert emails == set(env.security_services.notifications.emails)


def test_one_metric_filter_and_alarm_per_cis_4_recommendation_on_the_trail_log_group(baseline):
    filters = resources(baseline, "aws_cloudwatch_log_metric_filter")
    alarms = resources(baseline, "aws_cloudwatch_metric_alarm")
    assert len(filters) == len(alarms) == 15
    for f in cis_metric_filters():
        metric_filter = one(baseline, "aws_cloudwatch_log_metric_filter", f"cis_filter_{f.key}")
        assert metric_filter["log_group_name"] == "${aws_cloudwatch_log_group.trail_log_group.name}"
        assert metric_filter["pattern"] == f.pattern
        assert metric_filter["metric_transformation"] == {"name": f.metric_name, "namespace": NAMESPACE, "value": "1"}
        alarm = one(baseline, "aws_cloudwatch_metric_alarm", f"cis_alarm_{f.key}")
        assert (alarm["namespace"], alarm["metric_name"]) == (NAMESPACE, f.metric_name)
        assert alarm["alarm_actions"] == ["${aws_sns_topic.alerts_topic.arn}"] and alarm["actions_enabled"] is True
        assert (alarm["statistic"], alarm["threshold"], alarm["comparison_operator"]) == (
            "Sum",
            1,
            "GreaterThanOrEqualToThreshold",
        )
        assert alarm["alarm_description"].startswith(f"CIS {f.cis_id}:")
        assert alarm["alarm_name"].startswith("acme-lz-")  # admitted by the topic policy


@pytest.mark.parametrize("stack,topic", [("management-baseline", "alerts_topic"), ("audit", "security_notifications_topic")])
def test_tamper_alerts_in_the_management_and_audit_accounts(synth_out, env, stack, topic):
    s = synth_out.stacks[stack]
    for alert in alerts(access_role_name=env.organization.access_role_name, break_glass_role_name="acme-lz-break-glass"):
        rule = one(s, "aws_cloudwatch_event_rule", f"alert_{alert.key}")
        assert json.loads(rule["event_pattern"]) == alert.pattern
        assert rule["name"].startswith("acme-lz-") and rule.get("provider", "aws") == "aws"  # home region, admitted by the topic
        assert one(s, "aws_cloudwatch_event_target", f"alert_{alert.key}_target")["arn"] == f"${{aws_sns_topic.{topic}.arn}}"
        # Global services' events arrive in us-east-1: forwarded to the home region's default bus.
        forward = one(s, "aws_cloudwatch_event_rule", f"alert_{alert.key}_forward")
        assert forward["provider"] == "aws.us-east-1" and json.loads(forward["event_pattern"]) == alert.pattern
        target = one(s, "aws_cloudwatch_event_target", f"alert_{alert.key}_forward_target")
        assert target["arn"].endswith(f":{env.organization.home_region}:{target['arn'].split(':')[4]}:event-bus/default")
        assert target["role_arn"] == "${aws_iam_role.alert_forwarding_role.arn}"
    role = one(s, "aws_iam_role", "alert_forwarding_role")
    trust = json.loads(role["assume_role_policy"])["Statement"][0]
    assert trust["Principal"] == {"Service": "events.amazonaws.com"} and "aws:SourceAccount" in trust["Condition"]["StringEquals"]
    grant = json.loads(one(s, "aws_iam_role_policy", "alert_forwarding_policy")["policy"])["Statement"]
    assert [g["Action"] for g in grant] == ["events:PutEvents"] and grant[0]["Resource"].endswith(":event-bus/default")
