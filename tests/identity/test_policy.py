"""Inline policies: minify, '*' on '*', lint. Pure Python."""

from __future__ import annotations

import json

import pytest

from landing_zone.identity.policy import PolicyError, grants_admin, lint_policy, managed_policy_arn, minify_policy

READ_LOGS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::acme-logs/*"}],
}


def test_minify_keeps_meaning_and_order():
    text = minify_policy(json.dumps(READ_LOGS, indent=4))
    assert (
        text
        == '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::acme-logs/*"}]}'
    )
    assert minify_policy(READ_LOGS) == text and json.loads(text) == READ_LOGS


@pytest.mark.parametrize(
    "bad, message",
    [
        ('{"Version": ', "is not valid JSON (Expecting value at line 1 column 13 of the policy)"),
        ("[1, 2]", "is a JSON list; expected an object with Version and Statement"),
    ],
)
def test_not_a_policy(bad, message):
    with pytest.raises(PolicyError, match=message.replace("(", r"\(").replace(")", r"\)")):
        minify_policy(bad)


@pytest.mark.parametrize(
    "statement, admin",
    [
        ({"Effect": "Allow", "Action": "*", "Resource": "*"}, True),
        ({"Effect": "Allow", "Action": ["s3:GetObject", "*:*"], "Resource": ["*"]}, True),
        ({"Effect": "Deny", "Action": "*", "Resource": "*"}, False),
        ({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b/*"}, False),
        ({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}, False),
        # NotAction allows everything but the listed actions: admin in effect
        ({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}, True),
        ({"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": ["*"]}, True),
        ({"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::b/*"}, False),
        ({"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}, False),
    ],
)
def test_grants_admin(statement, admin):
    assert grants_admin({"Version": "2012-10-17", "Statement": [statement]}) is admin
    assert grants_admin({"Version": "2012-10-17", "Statement": statement}) is admin  # a single statement, not a list


def test_lint_reports_unknown_actions_as_warnings_and_malformed_as_errors():
    assert lint_policy(READ_LOGS) == []
    [finding] = lint_policy(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjcet", "Resource": "*"}]}
    )
    assert (finding.issue, finding.severity) == ("UNKNOWN_ACTION", "warning") and "s3:GetObjcet" in str(finding)
    errors = [
        f
        for f in lint_policy({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]})
        if f.severity == "error"
    ]
    assert errors, "a statement without Resource is malformed"


def test_managed_policy_names_become_arns():
    assert managed_policy_arn("ReadOnlyAccess") == "arn:aws:iam::aws:policy/ReadOnlyAccess"
    assert managed_policy_arn("job-function/ViewOnlyAccess") == "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
    arn = "arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess"
    assert managed_policy_arn(arn) == arn
