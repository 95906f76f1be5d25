"""Values AWS rejects are rejected here (issue 23 A.5) and guardrail footguns are errors (A.6), each class
over every place the value enters. Fast: no synthesis."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from landing_zone.config.problems import ConfigError
from landing_zone.environment import load_environment
from landing_zone.guardrails.catalog import catalog
from landing_zone.identity.preset import PERMISSION_SETS
from landing_zone.rules.aws_values import aws_managed_policies, config_managed_rules

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = (ROOT / "tests" / "config" / "fixtures" / "good" / "minimal.yaml").read_text()
OUS = MINIMAL.replace("  - path: Security\n", "  - path: Security\n  - path: Suspended\n  - path: Workloads\n")


def _problems(tmp_path, text: str) -> list:
    path = tmp_path / "env.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_environment(path, strict=True)
    return caught.value.problems


def _valid(tmp_path, text: str):
    path = tmp_path / "env.yaml"
    path.write_text(text)
    return load_environment(path, strict=True)


# --- AWS managed policies ---------------------------------------------------------------------------

FACTORY = "account_factory:\n  defaults:\n    email_template: aws+{{{{name}}}}@tiny-corp.io\n    ou: Security\n{defaults}  requests:\n    - name: app\n      tags: {{{{owner: me}}}}\n{request}"
PLACES = {
    "permission_set": (
        "identity:\n  permission_sets:\n    - name: P\n      managed_policies: [{value}]\n",
        "identity.permission_sets[name=P].managed_policies[0]",
    ),
    "boundary": (
        "identity:\n  permission_sets:\n    - name: P\n      permissions_boundary: {{managed_policy: {value}}}\n",
        "identity.permission_sets[name=P].permissions_boundary.managed_policy",
    ),
    "factory_default_deploy_role": (
        FACTORY.format(
            defaults="    baseline:\n      deploy_role: {{repository: o/r, managed_policies: [{value}]}}\n", request=""
        ),
        "account_factory.defaults.baseline.deploy_role.managed_policies[0]",
    ),
    "request_deploy_role": (
        FACTORY.format(
            defaults="", request="      baseline:\n        deploy_role: {{repository: o/r, managed_policies: [{value}]}}\n"
        ),
        "account_factory.requests[name=app].baseline.deploy_role.managed_policies[0]",
    ),
}
BAD_POLICIES = {
    "typo": ("PowerUserAcess", "is not an AWS managed policy (did you mean 'PowerUserAccess'?)"),
    "path_missing": ("ViewOnlyAccess", "(did you mean 'job-function/ViewOnlyAccess'?)"),
    "unknown": ("MadeUpAccessForEveryone", "is not an AWS managed policy; AWS managed policies are written as their name"),
    "customer_arn": ('"arn:aws:iam::123456789012:policy/mine"', "under customer_managed_policies (name and path) instead"),
    "unknown_arn": ('"arn:aws:iam::aws:policy/NoSuchPolicy"', "is not an AWS managed policy"),
}


@pytest.mark.parametrize("bad", sorted(BAD_POLICIES))
@pytest.mark.parametrize("place", sorted(PLACES))
def test_a_managed_policy_aws_does_not_have_is_refused_wherever_it_is_named(tmp_path, place, bad):
    template, where = PLACES[place]
    value, message = BAD_POLICIES[bad]
    (problem,) = _problems(tmp_path, MINIMAL + template.format(value=value))
    assert problem.path == where and problem.location.line > 0 and problem.rule == "aws_managed_policy_names"
    assert message in problem.message


@pytest.mark.parametrize("place", sorted(PLACES))
def test_real_managed_policies_pass(tmp_path, place):
    template, _ = PLACES[place]
    _valid(tmp_path, MINIMAL + template.format(value="job-function/ViewOnlyAccess"))


def test_an_aws_managed_arn_is_a_name_only_where_the_construct_adds_the_prefix(tmp_path):
    arn = '"arn:aws:iam::aws:policy/ReadOnlyAccess"'
    _valid(tmp_path, MINIMAL + PLACES["permission_set"][0].format(value=arn))
    (problem,) = _problems(tmp_path, MINIMAL + PLACES["request_deploy_role"][0].format(value=arn))
    assert "is an ARN; write the policy's name here: 'ReadOnlyAccess'" in problem.message


def test_the_policy_list_is_data_with_its_date_and_holds_what_the_package_uses():
    text = (ROOT / "landing_zone" / "data" / "aws_managed_policies.yaml").read_text()
    assert "checked: '20" in text and "Source:" in text
    policies = aws_managed_policies()
    assert len(policies) > 1000
    assert {policy for policy, _ in PERMISSION_SETS.values()} <= policies
    assert {"PowerUserAccess", "job-function/NetworkAdministrator", "service-role/AWS_ConfigRole"} <= policies


# --- Config managed rules ---------------------------------------------------------------------------


def test_an_unknown_config_rule_identifier_is_refused_with_the_nearest(tmp_path):
    rule = "guardrails:\n  custom_config_rules:\n    r:\n      title: t\n      source_identifier: {value}\n      ous: [root]\n"
    (problem,) = _problems(tmp_path, MINIMAL + rule.format(value="ENCRYPTED_VOLUME"))
    assert problem.path == "guardrails.custom_config_rules.r.source_identifier"
    assert problem.message == "'ENCRYPTED_VOLUME' is not an AWS Config managed rule (did you mean 'ENCRYPTED_VOLUMES'?)"
    _valid(tmp_path, MINIMAL + rule.format(value="ENCRYPTED_VOLUMES"))


def test_every_catalog_rule_is_a_known_managed_rule():
    text = (ROOT / "landing_zone" / "data" / "aws_config_managed_rules.yaml").read_text()
    assert "checked: '20" in text and "Source:" in text
    used = {c.config_rule.source_identifier for c in catalog().values() if c.config_rule is not None}
    assert used and used <= config_managed_rules()


# --- tags -------------------------------------------------------------------------------------------

TAG_PLACES = {
    "organization": ("  management_account:\n", "  tags: {tags}\n  management_account:\n", "organization.tags"),
    "ou": ("  - path: Security\n", "  - path: Security\n    tags: {tags}\n", "organizational_units[path=Security].tags"),
    "account": ("    ou: Security\n", "    ou: Security\n    tags: {tags}\n", "accounts[name=log-archive].tags"),
}


@pytest.mark.parametrize(
    "tags, bad",
    [
        ('{"cost#center": x}', "tag key 'cost#center' has the character '#'"),
        ("{owner: 'a;b'}", "tag 'owner' value 'a;b' has the character ';'"),
        ('{owner: "a\\tb"}', "has the character '\\t'"),
        ("{owner: 'x*'}", "has the character '*'"),
    ],
    ids=["key-hash", "value-semicolon", "value-tab", "value-star"],
)
@pytest.mark.parametrize("place", sorted(TAG_PLACES))
def test_tags_outside_the_organizations_pattern_are_refused(tmp_path, place, tags, bad):
    anchor, replacement, where = TAG_PLACES[place]
    (problem,) = _problems(tmp_path, MINIMAL.replace(anchor, replacement.format(tags=tags), 1))
    assert (
        problem.path == where
        and bad in problem.message
        and "allowed: letters, digits, spaces and _ . : / = + - @" in problem.message
    )


def test_tags_in_any_script_with_the_allowed_punctuation_pass(tmp_path):
    tags = '{"équipe": "sécurité", "cost:center/x": "a_b.c=d+e-f@g 1"}'
    anchor, replacement, _ = TAG_PLACES["account"]
    _valid(tmp_path, MINIMAL.replace(anchor, replacement.format(tags=tags), 1))


# --- derived names ----------------------------------------------------------------------------------


def test_an_organization_name_that_makes_a_bucket_name_too_long_is_refused_at_the_boundary(tmp_path):
    _valid(tmp_path, MINIMAL.replace("name: tiny", "name: " + "a" * 31))  # 31 + 32 = 63 characters
    (problem,) = _problems(tmp_path, MINIMAL.replace("name: tiny", "name: " + "a" * 32))
    assert problem.path == "organization.name" and problem.location.line == 2
    assert "64 characters long, and S3 allows 63: use at most 31 characters" in problem.message


# --- guardrail footguns (A.6) -----------------------------------------------------------------------

CUSTOM = "guardrails:\n  custom_scps:\n    stop:\n      title: stop\n{targets}      statements:\n        - {{Effect: Deny, Action: '*', Resource: '*'}}\n"
CATALOG = "guardrails:\n  controls:\n    LZ-DENY-ALL: {{{targets}}}\n"


@pytest.mark.parametrize(
    "targets, message",
    [
        ("ous: [root]", "is attached to the root: it would lock every member account"),
        ("ous: [Security]", "reaches the core OU 'Security' (accounts audit, log-archive)"),
        ("accounts: [audit]", "reaches the core OU 'Security' (accounts audit)"),
        ("ous: [root], exclude_ous: [Workloads]", "reaches the core OU 'Security'"),
    ],
    ids=["root", "security-ou", "audit-account", "root-around-another-ou"],
)
@pytest.mark.parametrize("kind", ["catalog", "custom"])
def test_a_deny_all_reaching_the_root_or_the_core_ou_is_refused(tmp_path, kind, targets, message):
    if kind == "catalog":
        text = CATALOG.format(targets=targets)
        where = "guardrails.controls.LZ-DENY-ALL"
    else:
        block = yaml.safe_load("{" + targets + "}")
        text = CUSTOM.format(targets="".join(f"      {k}: {v}\n".replace("'", "") for k, v in block.items()))
        where = "guardrails.custom_scps.stop"
    (problem,) = _problems(tmp_path, OUS + text)
    assert problem.path == where and problem.rule == "deny_all_targets" and message in problem.message


def test_lz_deny_all_without_targets_is_refused_and_on_suspended_it_passes(tmp_path):
    (problem,) = _problems(tmp_path, OUS + CATALOG.format(targets=""))
    assert problem.message.startswith("LZ-DENY-ALL needs targets: without ous or accounts it would attach to the root")
    _valid(tmp_path, OUS + CATALOG.format(targets="ous: [Suspended]"))
    _valid(tmp_path, OUS + "guardrails:\n  controls:\n    LZ-DENY-ALL: {enabled: false}\n")


@pytest.mark.parametrize(
    "setting, where",
    [
        ("controls:\n    LZ-DENY-ALL: {ous: [Suspended], exclude_ous: [Suspended]}", "controls.LZ-DENY-ALL.exclude_ous[0]"),
        (
            "controls:\n    AWS-GR_RESTRICT_S3_CROSS_REGION_REPLICATION: {accounts: [audit], exclude_accounts: [audit]}",
            "controls.AWS-GR_RESTRICT_S3_CROSS_REGION_REPLICATION.exclude_accounts[0]",
        ),
        (
            "custom_scps:\n    s:\n      title: t\n      ous: [Workloads]\n      exclude_ous: [Workloads]\n"
            "      statements: [{Effect: Deny, Action: 's3:DeleteBucket', Resource: '*'}]",
            "custom_scps.s.exclude_ous[0]",
        ),
    ],
    ids=["catalog-ou", "catalog-account", "custom-ou"],
)
def test_an_exclusion_equal_to_a_target_is_refused(tmp_path, setting, where):
    problems = _problems(tmp_path, OUS + "guardrails:\n  " + setting + "\n")
    assert [p.path for p in problems if p.rule == "exclusion_equals_target"] == ["guardrails." + where]
    assert any("is both a target and excluded" in p.message for p in problems)
