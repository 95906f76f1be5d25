"""The catalog's default runbooks for EBS encryption, public RDS snapshots, CloudTrail and IMDSv1.

Table-driven: each case builds a violating resource on in-process moto, checks that the
local evaluator (the same check `lz compliance --evaluate` runs for the control's managed
rule) finds it NON_COMPLIANT, runs the runbook `CONTROL_RUNBOOKS` names for the control
with the resource's id (as the remediation configuration and `lz respond` pass it), and
checks the verdict after. EBS encryption by default is account state, checked directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import boto3
import pytest
from moto import mock_aws

from landing_zone.compliance.evaluator import check
from landing_zone.compliance.evaluator.collect import COLLECTORS
from landing_zone.guardrails.catalog import catalog
from landing_zone.local_aws.automation import Execution, parse_document, resolve_parameters, run_automation
from landing_zone.respond.model import CONTROL_RUNBOOKS
from landing_zone.respond.runbooks import load_runbooks

REGION = "eu-west-1"
ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/acme-lz-remediation"


@pytest.fixture
def aws(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield lambda service: boto3.client(service, region_name=REGION)


def run(aws, name: str, params: dict[str, str]) -> Execution:
    document = parse_document(load_runbooks()[name].content)
    given = {"AutomationAssumeRole": [ROLE], **{k: [v] for k, v in params.items()}}
    execution = Execution("exec-1", name, resolve_parameters(document, given))
    return run_automation(execution, document, aws, account_id=ACCOUNT, region=REGION)


def verdict(aws, control_id: str, resource_id: str) -> str:
    control = catalog()[control_id]
    identifier = control.config_rule.source_identifier
    from landing_zone.compliance.evaluator.rules import RULES

    resources = COLLECTORS[RULES[identifier].kind](aws, ACCOUNT, REGION)
    (resource,) = [r for r in resources if r["id"] == resource_id]
    return check(identifier, resource).status


# -- violating resources -------------------------------------------------------


def _instance(aws, tokens: str = "optional") -> str:
    ec2 = aws("ec2")
    return ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, MetadataOptions={"HttpTokens": tokens})["Instances"][
        0
    ]["InstanceId"]


def _public_snapshot(aws, shared_with: tuple[str, ...] = ("all",)) -> str:
    rds = aws("rds")
    rds.create_db_instance(
        DBInstanceIdentifier="orders",
        Engine="postgres",
        DBInstanceClass="db.t3.micro",
        MasterUsername="admin1",
        MasterUserPassword="password123",
        AllocatedStorage=20,
    )
    rds.create_db_snapshot(DBSnapshotIdentifier="orders-2026-12-01", DBInstanceIdentifier="orders")
    if shared_with:
        rds.modify_db_snapshot_attribute(
            DBSnapshotIdentifier="orders-2026-12-01", AttributeName="restore", ValuesToAdd=list(shared_with)
        )
    return "orders-2026-12-01"


def _trail(aws, *, logging: bool = False, validation: bool = False, multi_region: bool = False) -> str:
    aws("s3").create_bucket(Bucket="team-trail-logs", CreateBucketConfiguration={"LocationConstraint": REGION})
    cloudtrail = aws("cloudtrail")
    cloudtrail.create_trail(
        Name="team-trail",
        S3BucketName="team-trail-logs",
        EnableLogFileValidation=validation,
        IsMultiRegionTrail=multi_region,
    )
    if logging:
        cloudtrail.start_logging(Name="team-trail")
    return "team-trail"


@dataclass(frozen=True)
class Case:
    control_id: str
    make: Callable[[Any], str]
    after: Callable[[Any, str], None] = lambda aws, resource: None
    """Further checks on the fixed resource."""
    account_level: tuple[str, str] | None = None
    """(runbook, parameter) when the control reports the account, not the resource the runbook fixes."""


def _imds_after(aws, instance: str) -> None:
    described = aws("ec2").describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
    assert described["MetadataOptions"]["HttpTokens"] == "required"
    assert described["MetadataOptions"]["HttpEndpoint"] == "enabled"  # the metadata service stays on


def _snapshot_after(aws, snapshot: str) -> None:
    result = aws("rds").describe_db_snapshot_attributes(DBSnapshotIdentifier=snapshot)["DBSnapshotAttributesResult"]
    assert result["DBSnapshotAttributes"][0]["AttributeValues"] == ["111122223333"]  # shared by id: kept


def _trail_after(aws, trail: str) -> None:
    cloudtrail = aws("cloudtrail")
    (described,) = cloudtrail.describe_trails(trailNameList=[trail])["trailList"]
    assert described["IsMultiRegionTrail"] and described["LogFileValidationEnabled"] and described["IncludeGlobalServiceEvents"]
    assert cloudtrail.get_trail_status(Name=trail)["IsLogging"]


CASES = {
    "imdsv1": Case("LZ-EC2-IMDSV2-CHECK", _instance, _imds_after),
    "public-db-snapshot": Case(
        "AWS-GR_RDS_SNAPSHOTS_PUBLIC_PROHIBITED", lambda aws: _public_snapshot(aws, ("all", "111122223333")), _snapshot_after
    ),
    "trail-without-validation": Case("LZ-CLOUDTRAIL-LOG-FILE-VALIDATION", _trail, _trail_after),
    # CLOUD_TRAIL_ENABLED reports the account (no trail logging): the trail is named by hand.
    "no-trail-logging": Case(
        "AWS-GR_DETECT_CLOUDTRAIL_ENABLED_ON_MEMBER_ACCOUNTS",
        lambda aws: _trail(aws, validation=True),
        _trail_after,
        ("LZ-EnableCloudTrailLogging", "TrailName"),
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_default_runbook_turns_a_violation_compliant(aws, case):
    resource = case.make(aws)
    reported = ACCOUNT if case.account_level else resource
    assert verdict(aws, case.control_id, reported) == "NON_COMPLIANT"
    if case.account_level:
        assert case.control_id not in CONTROL_RUNBOOKS  # no remediation can name the trail
        runbook, parameter = case.account_level
        execution = run(aws, runbook, {parameter: resource})
    else:
        fix = CONTROL_RUNBOOKS[case.control_id]
        execution = run(aws, fix.runbook, fix.parameters(resource))
    assert execution.status == "Success", execution.failure
    assert verdict(aws, case.control_id, reported) == "COMPLIANT"
    case.after(aws, resource)


COMPLIANT = {
    "imdsv2-instance": ("LZ-EC2-IMDSV2-CHECK", lambda aws: _instance(aws, "required")),
    "private-db-snapshot": ("AWS-GR_RDS_SNAPSHOTS_PUBLIC_PROHIBITED", lambda aws: _public_snapshot(aws, ())),
    "trail-in-order": (
        "LZ-CLOUDTRAIL-LOG-FILE-VALIDATION",
        lambda aws: _trail(aws, logging=True, validation=True, multi_region=True),
    ),
}


@pytest.mark.parametrize("control_id,make", COMPLIANT.values(), ids=COMPLIANT.keys())
def test_on_a_compliant_resource_the_runbook_changes_nothing_and_succeeds(aws, control_id, make):
    resource = make(aws)
    assert verdict(aws, control_id, resource) == "COMPLIANT"
    fix = CONTROL_RUNBOOKS[control_id]
    execution = run(aws, fix.runbook, fix.parameters(resource))
    assert execution.status == "Success", execution.failure
    assert verdict(aws, control_id, resource) == "COMPLIANT"


def test_ebs_encryption_by_default_is_turned_on_and_the_reported_volume_tagged(aws):
    ec2 = aws("ec2")
    instance = _instance(aws, "required")
    volume = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=8)["VolumeId"]
    ec2.attach_volume(VolumeId=volume, InstanceId=instance, Device="/dev/sdf")
    assert verdict(aws, "AWS-GR_ENCRYPTED_VOLUMES", volume) == "NON_COMPLIANT"
    assert ec2.get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is False
    fix = CONTROL_RUNBOOKS["AWS-GR_ENCRYPTED_VOLUMES"]
    execution = run(aws, fix.runbook, fix.parameters(volume))
    assert execution.status == "Success", execution.failure
    assert [s.name for s in execution.steps] == ["enableByDefault", "assertEnabled", "hasVolume", "tagVolume"]
    assert ec2.get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is True
    tags = {t["Key"]: t["Value"] for t in ec2.describe_volumes(VolumeIds=[volume])["Volumes"][0]["Tags"]}
    assert tags["lz:unencrypted-volume"].startswith("replace with an encrypted copy")
    # The volume itself is not re-encrypted in place (that needs its instance stopped): still reported.
    assert verdict(aws, "AWS-GR_ENCRYPTED_VOLUMES", volume) == "NON_COMPLIANT"


def test_ebs_encryption_by_default_without_a_volume(aws):
    execution = run(aws, "LZ-EnableEbsEncryptionByDefault", {})
    assert execution.status == "Success", execution.failure
    assert [s.name for s in execution.steps] == ["enableByDefault", "assertEnabled", "hasVolume", "done"]
    assert aws("ec2").get_ebs_encryption_by_default()["EbsEncryptionByDefault"] is True


@pytest.mark.parametrize(
    "runbook,params,failed_step",
    [
        ("LZ-RequireImdsv2", {"InstanceId": "i-0123456789abcdef0"}, "requireTokens"),
        ("LZ-MakeRdsSnapshotPrivate", {"DBSnapshotIdentifier": "missing"}, "removePublicRestore"),
        ("LZ-EnableCloudTrailLogging", {"TrailName": "no-such-trail"}, "updateTrail"),
    ],
)
def test_a_missing_resource_fails_the_first_step_with_the_services_message(aws, runbook, params, failed_step):
    execution = run(aws, runbook, params)
    assert execution.status == "Failed"
    assert [(s.name, s.status) for s in execution.steps] == [(failed_step, "Failed")]


@pytest.mark.parametrize(
    "runbook,params",
    [
        ("LZ-RequireImdsv2", {"InstanceId": "sg-12345678"}),
        ("LZ-EnableEbsEncryptionByDefault", {"VolumeId": "snap-12345678"}),
        ("LZ-EnableCloudTrailLogging", {"TrailName": "x"}),
    ],
)
def test_ids_of_the_wrong_kind_are_refused_before_anything_runs(aws, runbook, params):
    from landing_zone.local_aws.automation import AutomationError

    with pytest.raises(AutomationError, match="does not match"):
        run(aws, runbook, params)


def test_every_default_runbook_maps_onto_a_detective_control_with_a_matching_resource():
    """The catalog's controls with a natural fix: each is detective, its runbook exists and declares the parameter."""
    for control_id, fix in CONTROL_RUNBOOKS.items():
        control = catalog()[control_id]
        assert control.config_rule is not None, control_id
        runbook = load_runbooks()[fix.runbook]
        assert fix.resource_parameter in runbook.user_parameters(), control_id
    assert {CONTROL_RUNBOOKS[c].runbook for c in ("AWS-GR_ENCRYPTED_VOLUMES", "AWS-GR_RDS_SNAPSHOTS_PUBLIC_PROHIBITED")} == {
        "LZ-EnableEbsEncryptionByDefault",
        "LZ-MakeRdsSnapshotPrivate",
    }
