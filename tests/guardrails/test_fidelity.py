"""Guardrail fidelity: every AWS-GR_* control of the catalog decides as Control
Tower's published control does (guardrails/reference/control_tower.yaml,
extracted from AWS's documentation source), except for listed deviations."""

from __future__ import annotations

import json

import pytest

from landing_zone.cli.main import main
from landing_zone.guardrails.catalog import Control, Deviation, catalog
from landing_zone.guardrails.fidelity import differences, reference, unused_deviations
from landing_zone.guardrails.reference import control_tower, region_deny_data, region_deny_exemptions

AWS_GR = sorted(cid for cid in catalog() if cid.startswith("AWS-GR_"))


def test_the_reference_data_names_its_source_and_every_control_its_page():
    source = control_tower()["source"]
    assert source["repository"] == "awsdocs/aws-control-tower-guide" and len(source["commit"]) == 40 and source["committed"]
    for cid, entry in control_tower()["controls"].items():
        assert entry["url"].startswith("https://docs.aws.amazon.com/controltower/"), cid
        assert ("statements" in entry) != ("config_rule" in entry), cid
    data = region_deny_data()
    assert data["source"].startswith("https://docs.aws.amazon.com/controltower/") and data["read"] == "2026-12-05"
    assert len(region_deny_exemptions()) == 86 and region_deny_exemptions() == sorted(region_deny_exemptions())


def test_every_control_tower_control_of_the_reference_is_in_the_catalog():
    assert set(control_tower()["controls"]) == set(AWS_GR)


@pytest.mark.parametrize("cid", AWS_GR)
def test_control_decides_as_control_tower_publishes_it(cid):
    assert differences(catalog()[cid]) == []
    assert unused_deviations(catalog()[cid]) == []


def _without(control: Control, aspect: str) -> Control:
    rest = tuple(d for d in control.deviations if d.aspect != aspect)
    return Control(
        control.id,
        control.title,
        control.tier,
        control.behaviour,
        control.default_targets,
        control.references,
        control.statements,
        control.config_rule,
        control.parameters,
        deviations=rest,
    )


def test_the_comparison_sees_each_kind_of_difference():
    """Not vacuous: remove a listed deviation or change a control, and it reports the difference."""
    iam = catalog()["AWS-GR_IAM_ROLE_CHANGE_PROHIBITED"]
    assert any("exempted principals" in d for d in differences(_without(iam, "exempt_principals")))
    assert any("without a listed `names` deviation" in d for d in differences(_without(iam, "names")))
    vpc = catalog()["AWS-GR_DISALLOW_VPC_INTERNET_ACCESS"]
    [problem] = differences(_without(vpc, "actions"))
    assert "removes ['ec2:attachegressonlyinternetgateway']" in problem
    lam = catalog()["AWS-GR_LAMBDA_CHANGE_PROHIBITED"]
    fewer = [
        {**lam.statements[0], "Action": [a for a in lam.statements[0]["Action"] if a != "lambda:UpdateFunctionCode"]},
        lam.statements[1],
    ]
    changed = Control(
        lam.id, lam.title, lam.tier, lam.behaviour, lam.default_targets, lam.references, tuple(fewer), deviations=lam.deviations
    )
    [problem] = differences(changed)
    assert "'lambda:updateeventsourcemapping', 'lambda:updatefunctioncode']" in problem
    assert "statements" in {d.aspect for d in lam.deviations}
    assert differences(_without(lam, "statements")) == ["AWS-GR_LAMBDA_CHANGE_PROHIBITED: 2 statements where Control Tower has 1"]
    mfa = catalog()["AWS-GR_IAM_USER_MFA_ENABLED"]
    daily = Control(
        mfa.id,
        mfa.title,
        mfa.tier,
        mfa.behaviour,
        mfa.default_targets,
        mfa.references,
        config_rule=type(mfa.config_rule)(mfa.config_rule.source_identifier, {}, (), "TwentyFour_Hours", "home"),
    )
    assert differences(daily) == [
        "AWS-GR_IAM_USER_MFA_ENABLED: Config rule maximum_execution_frequency 'TwentyFour_Hours' "
        "where Control Tower has 'One_Hour'"
    ]
    bogus = Control(
        mfa.id,
        mfa.title,
        mfa.tier,
        mfa.behaviour,
        mfa.default_targets,
        mfa.references,
        config_rule=mfa.config_rule,
        deviations=(Deviation("rule", "no reason", field="maximum_execution_frequency"),),
    )
    assert unused_deviations(bogus) == ["AWS-GR_IAM_USER_MFA_ENABLED: deviation 'rule' lists a difference that does not exist"]


def test_the_region_deny_exemptions_are_aws_current_list():
    [statement] = reference("AWS-GR_REGION_DENY")["statements"]
    assert statement["NotAction"] == region_deny_exemptions()
    for action in (
        "ecr-public:*",
        "s3:CreateMultiRegionAccessPoint",
        "s3:GetStorageLensConfiguration",
        "resource-explorer-2:*",
        "notifications:*",
        "supportplans:*",
        "sustainability:*",
        "lightsail:Get*",
    ):
        assert action in region_deny_exemptions()


def test_every_deviation_is_listed_in_lz_guardrails_catalog(capsys):
    assert main(["guardrails", "--catalog", "--format", "json"]) == 0
    listed = {c["id"]: c["deviations"] for c in json.loads(capsys.readouterr().out)}
    for cid in AWS_GR:
        assert listed[cid] == [d.describe() for d in catalog()[cid].deviations], cid
    assert any("AttachEgressOnlyInternetGateway" in d for d in listed["AWS-GR_DISALLOW_VPC_INTERNET_ACCESS"])
    assert main(["guardrails", "--catalog"]) == 0
    out = capsys.readouterr().out
    assert "deviations from Control Tower" in out and "stacksets-exec-*" in out
