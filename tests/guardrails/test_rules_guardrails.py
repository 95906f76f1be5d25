"""Bad `guardrails:` sections: every mistake is one problem naming the line, the YAML path,
the bad value and what is allowed (each file starts with an `extends:` line over the example)."""

from __future__ import annotations

import pytest

from landing_zone.cli.main import main
from landing_zone.environment import ConfigError, load_environment

CASES = {
    "mandatory_off": (
        "guardrails:\n  controls:\n    AWS-GR_CLOUDTRAIL_ENABLED: {enabled: false}\n",
        [
            (
                4,
                "guardrails.controls.AWS-GR_CLOUDTRAIL_ENABLED.enabled",
                "AWS-GR_CLOUDTRAIL_ENABLED is mandatory and cannot be turned off",
            )
        ],
    ),
    "mandatory_exclusion": (
        "guardrails:\n  controls:\n    AWS-GR_IAM_ROLE_CHANGE_PROHIBITED: {exclude_ous: [Sandbox]}\n",
        [
            (
                4,
                "guardrails.controls.AWS-GR_IAM_ROLE_CHANGE_PROHIBITED.exclude_ous",
                "AWS-GR_IAM_ROLE_CHANGE_PROHIBITED is mandatory: it cannot exclude OUs or accounts (targets can only be added)",
            )
        ],
    ),
    "unknown_id": (
        "guardrails:\n  controls:\n    AWS-GR_RESTRICT_ROOT_USR: {}\n",
        [
            (
                4,
                "guardrails.controls.AWS-GR_RESTRICT_ROOT_USR",
                "'AWS-GR_RESTRICT_ROOT_USR' is not a control of the catalog (did you mean 'AWS-GR_RESTRICT_ROOT_USER'?) (`lz guardrails --catalog` lists them; your own go under custom_scps or custom_config_rules)",
            )
        ],
    ),
    "unknown_ou": (
        "guardrails:\n  controls:\n    AWS-GR_REGION_DENY: {ous: [Workload]}\n",
        [
            (
                4,
                "guardrails.controls.AWS-GR_REGION_DENY.ous[0]",
                "OU 'Workload' is not defined (did you mean 'Workloads'?) (expected 'root' or an OU path from organizational_units)",
            )
        ],
    ),
    "unknown_account": (
        "guardrails:\n  controls:\n    AWS-GR_REGION_DENY: {accounts: [web-prd]}\n",
        [
            (
                4,
                "guardrails.controls.AWS-GR_REGION_DENY.accounts[0]",
                "account 'web-prd' is not defined (did you mean 'web-prod'?)",
            )
        ],
    ),
    "exclusion_outside": (
        "guardrails:\n  controls:\n    AWS-GR_DISALLOW_VPN_CONNECTIONS: {ous: [Workloads], exclude_accounts: [network]}\n",
        [
            (
                4,
                "guardrails.controls.AWS-GR_DISALLOW_VPN_CONNECTIONS.exclude_accounts[0]",
                "account 'network' is not below any target OU of this control, so excluding it does nothing",
            )
        ],
    ),
    "no_targets": (
        "guardrails:\n  controls:\n    AWS-GR_DISALLOW_VPN_CONNECTIONS: {ous: []}\n",
        [(4, "guardrails.controls.AWS-GR_DISALLOW_VPN_CONNECTIONS", "no targets: list OUs or accounts, or set enabled: false")],
    ),
    "param_unknown": (
        "guardrails:\n  controls:\n    AWS-GR_REGION_DENY: {parameters: {allowed_region: [eu-west-1]}}\n",
        [
            (
                4,
                "guardrails.controls.AWS-GR_REGION_DENY.parameters.allowed_region",
                "AWS-GR_REGION_DENY has no parameter 'allowed_region' (did you mean 'allowed_regions'?) (parameters: allowed_regions, exempt_actions)",
            )
        ],
    ),
    "param_type": (
        "guardrails:\n  controls:\n    AWS-GR_REGION_DENY: {parameters: {allowed_regions: eu-west-1}}\n",
        [
            (
                4,
                "guardrails.controls.AWS-GR_REGION_DENY.parameters.allowed_regions",
                "'eu-west-1' is not a list; allowed_regions: Regions where regional actions stay allowed (default the governed regions)",
            )
        ],
    ),
    "param_region": (
        "guardrails:\n  controls:\n    AWS-GR_REGION_DENY: {parameters: {allowed_regions: [eu-west-1, eu-central-1, eu-wset-2]}}\n",
        [
            (
                4,
                "guardrails.controls.AWS-GR_REGION_DENY.parameters.allowed_regions",
                "'eu-wset-2' is not an AWS region (did you mean 'eu-west-2'?)",
            )
        ],
    ),
    "param_governed": (
        "guardrails:\n  controls:\n    AWS-GR_REGION_DENY: {parameters: {allowed_regions: [eu-west-1]}}\n",
        [
            (
                4,
                "guardrails.controls.AWS-GR_REGION_DENY.parameters.allowed_regions",
                "the governed region(s) eu-central-1 must stay allowed: the landing zone runs Config and security services there",
            )
        ],
    ),
    "param_ports": (
        "guardrails:\n  controls:\n    AWS-GR_RESTRICTED_COMMON_PORTS: {parameters: {blocked_ports: ['1', '2', '3', '4', '5', '6']}}\n",
        [
            (
                4,
                "guardrails.controls.AWS-GR_RESTRICTED_COMMON_PORTS.parameters.blocked_ports",
                "['1', '2', '3', '4', '5', '6']: expected 1 to 5 TCP port numbers (1-65535) as strings",
            )
        ],
    ),
    "param_actions": (
        "guardrails:\n  controls:\n    AWS-GR_REGION_DENY: {parameters: {exempt_actions: [bedrock]}}\n",
        [
            (
                4,
                "guardrails.controls.AWS-GR_REGION_DENY.parameters.exempt_actions",
                "'bedrock' is not an action (expected service:Action, wildcards allowed)",
            )
        ],
    ),
    "custom_allow": (
        "guardrails:\n  custom_scps:\n    allow-x:\n      title: t\n      ous: [Sandbox]\n      statements:\n        - {Effect: Allow, Action: 's3:*', Resource: '*'}\n",
        [
            (
                8,
                "guardrails.custom_scps.allow-x.statements[0]",
                "Effect is 'Allow'; guardrail statements must be 'Deny' (FullAWSAccess already allows)",
            )
        ],
    ),
    "custom_shape": (
        "guardrails:\n  custom_scps:\n    x:\n      title: t\n      ous: [Sandbox]\n      statements:\n        - {Sid: A, Effect: Deny, Action: s3:Get*, NotAction: s3:Put*, Resource: '*', Condition: {StringEqual: {a: b}}}\n",
        [
            (8, "guardrails.custom_scps.x.statements[0]", "give exactly one of Action or NotAction"),
            (8, "guardrails.custom_scps.x.statements[0]", "remove 'Sid': statement ids are derived from the control id"),
            (8, "guardrails.custom_scps.x.statements[0]", "unknown condition operator 'StringEqual'"),
        ],
    ),
    "custom_placeholder": (
        "guardrails:\n  custom_scps:\n    x:\n      title: t\n      ous: [Sandbox]\n      statements:\n        - {Effect: Deny, Action: 's3:*', Resource: '${log_buckets}'}\n",
        [
            (
                8,
                "guardrails.custom_scps.x.statements[0]",
                "unknown placeholder ${log_buckets} (known: config_aggregator, event_rule_arns, exempt_principal_arns, function_arns, governed_regions, home_region, log_bucket_arns, log_group_arns, managed_tag_key, managed_tag_value, org, region_deny_exemptions, role_arns, security_topic_arns, topic_arns, trail_arns)",
            )
        ],
    ),
    "custom_principal": (
        "guardrails:\n  custom_scps:\n    x:\n      title: t\n      ous: [Sandbox]\n      statements:\n        - {Effect: Deny, Principal: '*', Action: 's3:*', NotResource: '*'}\n",
        [
            (
                8,
                "guardrails.custom_scps.x.statements[0]",
                "unknown key(s) Principal (allowed: Action, Condition, Effect, NotAction, NotResource, Resource; SCPs have no Principal)",
            )
        ],
    ),
    "custom_no_targets": (
        "guardrails:\n  custom_scps:\n    x:\n      title: t\n      statements:\n        - {Effect: Deny, Action: 's3:*', Resource: '*'}\n",
        [
            (
                5,
                "guardrails.custom_scps.x",
                "a custom control needs targets: list OU paths ('root' for all) under ous, or account names under accounts",
            )
        ],
    ),
    "custom_clash": (
        "guardrails:\n  custom_scps:\n    LZ-ORG-DENY-LEAVE:\n      title: t\n      ous: [root]\n      statements:\n        - {Effect: Deny, Action: 'organizations:LeaveOrganization', Resource: '*'}\n",
        [
            (
                5,
                "guardrails.custom_scps.LZ-ORG-DENY-LEAVE",
                "'LZ-ORG-DENY-LEAVE' is a catalog control; enable it under guardrails.controls or give the custom control another id",
            ),
            (5, "guardrails.custom_scps.LZ-ORG-DENY-LEAVE", "id 'LZ-ORG-DENY-LEAVE' is also used under guardrails.controls"),
        ],
    ),
    "custom_rule": (
        "guardrails:\n  custom_config_rules:\n    r:\n      title: t\n      source_identifier: s3-bucket-ssl\n      resource_types: [AWS::S3Bucket]\n      ous: [root]\n",
        [
            (
                6,
                "guardrails.custom_config_rules.r.source_identifier",
                "'s3-bucket-ssl' is not an AWS managed rule identifier (upper-case letters, digits and '_', such as 'S3_BUCKET_SSL_REQUESTS_ONLY')",
            ),
            (
                7,
                "guardrails.custom_config_rules.r.resource_types[0]",
                "'AWS::S3Bucket' is not a resource type (expected AWS::Service::Type such as 'AWS::S3::Bucket')",
            ),
        ],
    ),
    "custom_rule_frequency": (
        "guardrails:\n  custom_config_rules:\n    r:\n      title: t\n      source_identifier: IAM_PASSWORD_POLICY\n      maximum_execution_frequency: Daily\n      ous: [root]\n",
        [
            (
                7,
                "guardrails.custom_config_rules.r.maximum_execution_frequency",
                "'Daily' is not allowed (expected 'One_Hour', 'Three_Hours', 'Six_Hours', 'Twelve_Hours' or 'TwentyFour_Hours')",
            )
        ],
    ),
    "shape_key": (
        "guardrails:\n  controls:\n    AWS-GR_REGION_DENY: {ou: [Workloads]}\n",
        [
            (
                4,
                "guardrails.controls.AWS-GR_REGION_DENY.ou",
                "unknown key 'ou' (did you mean 'ous'?); allowed: ous, accounts, exclude_ous, exclude_accounts, enabled, parameters, remediation",
            )
        ],
    ),
    "custom_bad_id": (
        "guardrails:\n  custom_scps:\n    '1-bad id':\n      title: t\n      ous: [root]\n      statements:\n        - {Effect: Deny, Action: 's3:*', Resource: '*'}\n",
        [
            (
                5,
                "guardrails.custom_scps.1-bad id",
                "'1-bad id' is not a valid control id (a letter, then up to 63 letters, digits, '_', '.' or '-')",
            )
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_guardrails_section_is_reported_with_line_path_and_message(name, extend_example):
    text, expected = CASES[name]
    path = extend_example(text, name=f"{name}.yaml")
    with pytest.raises(ConfigError) as caught:
        load_environment(path)
    got = [(p.location.line, p.path, p.message) for p in caught.value.problems]
    assert got == expected
    assert all(p.location.file.endswith(f"{name}.yaml") for p in caught.value.problems)


def test_lz_validate_exits_2_on_a_disabled_mandatory_control_and_prints_where(extend_example, capsys):
    path = extend_example(CASES["mandatory_off"][0])
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path.name}:4:" in err and "AWS-GR_CLOUDTRAIL_ENABLED is mandatory and cannot be turned off" in err
    assert "Traceback" not in err


def test_custom_controls_with_placeholders_are_accepted(extend_example):
    env = load_environment(
        extend_example(
            "guardrails:\n  custom_scps:\n    deny-kms-deletion:\n      title: Keep KMS keys\n      ous: [Workloads]\n"
            "      statements:\n        - Effect: Deny\n          Action: [kms:ScheduleKeyDeletion]\n          Resource: '*'\n"
            "          Condition: {ArnNotLike: {aws:PrincipalArn: '${exempt_principal_arns}'}}\n"
        )
    ).env
    assert "deny-kms-deletion" in env.guardrails.custom_scps
