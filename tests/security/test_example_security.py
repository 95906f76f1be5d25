"""The example's security services, as synthesized (synth_out): audit and management stacks."""

from __future__ import annotations

import json

import pytest
from stack_json import one, reads_from, resources, statements

from landing_zone.constructs.security.events import guardduty_pattern, security_hub_pattern
from landing_zone.naming import LandingZoneNames


@pytest.fixture(scope="module")
def env(synth_out):
    return synth_out.loaded.env


@pytest.fixture(scope="module")
def audit(synth_out):
    return synth_out.stacks["audit"]


@pytest.fixture(scope="module")
def management(synth_out):
    return synth_out.stacks["management"]


def provider_of(region, env):
    return "aws" if region == env.organization.home_region else f"aws.{region}"


def test_the_audit_account_is_designated_by_the_management_account(management, env):
    for region in env.organization.governed_regions:
        admin = one(management, "aws_guardduty_organization_admin_account", f"guardduty_admin_{region}")
        assert admin["admin_account_id"] == "${aws_organizations_account.account_audit.id}"
        assert admin["provider"] == provider_of(region, env)
        assert "aws_organizations_organization.organization" in admin["depends_on"]  # trusted access first
    hub = one(management, "aws_securityhub_organization_admin_account", "securityhub_admin")
    assert hub["admin_account_id"] == "${aws_organizations_account.account_audit.id}"
    assert "aws_securityhub_account.securityhub_management_account" in hub["depends_on"]


def test_guardduty_in_every_region_auto_enabled_for_all_members(audit, env):
    features = env.security_services.guardduty.features
    for region in env.organization.governed_regions:
        detector = one(audit, "aws_guardduty_detector", f"guardduty_detector_{region}")
        assert detector["enable"] is True and detector["provider"] == provider_of(region, env)
        org = one(audit, "aws_guardduty_organization_configuration", f"guardduty_organization_{region}")
        assert org["auto_enable_organization_members"] == "ALL"
        assert org["detector_id"] == f"${{aws_guardduty_detector.guardduty_detector_{region}.id}}"
        for feature in features:
            key = f"{region}-{feature.lower()}"
            assert (
                one(audit, "aws_guardduty_organization_configuration_feature", f"guardduty_organization_feature_{key}")[
                    "auto_enable"
                ]
                == "ALL"
            )
            assert one(audit, "aws_guardduty_detector_feature", f"guardduty_feature_{key}")["status"] == "ENABLED"
    assert len(resources(audit, "aws_guardduty_organization_configuration_feature")) == len(features) * len(
        env.organization.governed_regions
    )


def test_security_hub_central_configuration(audit, env):
    home = env.organization.home_region
    hub = one(audit, "aws_securityhub_account", "securityhub_account")
    assert hub["enable_default_standards"] is False and hub["control_finding_generator"] == "SECURITY_CONTROL"
    org = one(audit, "aws_securityhub_organization_configuration", "securityhub_organization_configuration")
    assert org["organization_configuration"] == {"configuration_type": "CENTRAL"} and org["auto_enable"] is False
    policy = one(audit, "aws_securityhub_configuration_policy", "securityhub_configuration_policy")["configuration_policy"]
    assert policy["service_enabled"] is True
    assert policy["enabled_standard_arns"] == sorted(
        f"arn:aws:securityhub:{home}::standards/{path}"
        for path in ("aws-foundational-security-best-practices/v/1.0.0", "cis-aws-foundations-benchmark/v/3.0.0")
    )
    association = one(audit, "aws_securityhub_configuration_policy_association", "securityhub_policy_root_association")
    assert reads_from(association["target_id"], "management")  # the organization's root
    aggregator = one(audit, "aws_securityhub_finding_aggregator", "securityhub_finding_aggregator")
    others = [r for r in env.organization.governed_regions if r != home]
    assert aggregator == {**aggregator, "linking_mode": "SPECIFIED_REGIONS", "specified_regions": others}
    # checkov CKV_LZ_8: every Security Hub resource waits for the hub.
    for resource_type in (
        "aws_securityhub_finding_aggregator",
        "aws_securityhub_organization_configuration",
        "aws_securityhub_configuration_policy",
        "aws_securityhub_configuration_policy_association",
    ):
        for resource in resources(audit, resource_type).values():
            assert "aws_securityhub_account.securityhub_account" in resource["depends_on"], resource_type


def test_access_analyzer_of_organization_type_in_every_region(audit, env):
    names = LandingZoneNames.of(env)
    for region in env.organization.governed_regions:
        analyzer = one(audit, "aws_accessanalyzer_analyzer", f"access_analyzer_{region}")
        assert analyzer["type"] == "ORGANIZATION" and analyzer["analyzer_name"] == names.access_analyzer
        assert analyzer["provider"] == provider_of(region, env)


def test_config_aggregator_covers_the_organization(audit, env):
    aggregator = one(audit, "aws_config_configuration_aggregator", "config_aggregator")
    assert aggregator["name"] == LandingZoneNames.of(env).config_aggregator
    assert aggregator["organization_aggregation_source"] == {
        "all_regions": True,
        "role_arn": "${aws_iam_role.config_aggregator_role.arn}",
    }
    attachment = one(audit, "aws_iam_role_policy_attachment", "config_aggregator_role_policy")
    assert attachment["policy_arn"].endswith("service-role/AWSConfigRoleForOrganizations")


def test_security_notifications_topic_is_encrypted_and_fed_by_the_rules(audit, env):
    names = LandingZoneNames.of(env)
    notify = env.security_services.notifications
    topic = one(audit, "aws_sns_topic", "security_notifications_topic")
    assert topic["name"] == names.security_topic and topic["kms_master_key_id"] == "${aws_kms_key.security_notifications_key.arn}"
    key = statements(one(audit, "aws_kms_key", "security_notifications_key"))
    assert key["EventBridgePublish"]["Principal"] == {"Service": "events.amazonaws.com"}
    publish = statements(one(audit, "aws_sns_topic_policy", "security_notifications_topic_policy"))["EventBridgePublish"]
    assert publish["Condition"]["ArnLike"]["aws:SourceArn"].endswith(f":rule/{names.prefix}*")
    emails = sorted(s["endpoint"] for s in resources(audit, "aws_sns_topic_subscription").values())
    assert emails == sorted(notify.emails)
    rules = resources(audit, "aws_cloudwatch_event_rule")
    assert json.loads(rules["guardduty_findings"]["event_pattern"]) == json.loads(guardduty_pattern(notify.severity_threshold))
    assert json.loads(rules["securityhub_findings"]["event_pattern"]) == json.loads(
        security_hub_pattern(notify.severity_threshold)
    )
    assert all(r["name"].startswith(names.prefix) for r in rules.values())
    targets = resources(audit, "aws_cloudwatch_event_target")
    for rule in ("guardduty_findings", "securityhub_findings"):
        assert targets[f"{rule}_target"]["arn"] == "${aws_sns_topic.security_notifications_topic.arn}"


def test_other_regions_forward_guardduty_findings_to_the_home_region(audit, env):
    home = env.organization.home_region
    targets = resources(audit, "aws_cloudwatch_event_target")
    for region in env.organization.governed_regions:
        if region == home:
            continue
        rule = one(audit, "aws_cloudwatch_event_rule", f"guardduty_findings_forward_{region}")
        assert rule["provider"] == f"aws.{region}"
        target = targets[f"guardduty_findings_forward_{region}_target"]
        assert target["arn"].startswith(f"arn:aws:events:{home}:") and target["arn"].endswith(":event-bus/default")
        assert target["role_arn"] == "${aws_iam_role.security_findings_forwarding_role.arn}"


def test_abac_attributes_are_configured_for_the_tag_developer_access_reads(management):
    """Issue 24.7: DeveloperAccess reads aws:PrincipalTag/team, so the instance passes `team` as a session tag."""
    (attributes,) = management["resource"]["aws_ssoadmin_instance_access_control_attributes"].values()
    assert attributes["attribute"] == [{"key": "team", "value": [{"source": ["$${path:enterprise.department}"]}]}]
    assert attributes["instance_arn"].startswith("${element(tolist(data.aws_ssoadmin_instances.")
    inline = [p["inline_policy"] for p in management["resource"]["aws_ssoadmin_permission_set_inline_policy"].values()]
    assert any("aws:PrincipalTag/team" in text for text in inline)
