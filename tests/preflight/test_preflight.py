"""`lz preflight` against moto in-process: a clean organization passes; each planted problem is found with its fix."""

from __future__ import annotations

from pathlib import Path

import pytest

moto = pytest.importorskip("moto")
import boto3  # noqa: E402
from botocore.stub import Stubber  # noqa: E402

from landing_zone.environment import load_environment  # noqa: E402
from landing_zone.live.preflight import AwsClients, exit_code, preflight, preflight_document  # noqa: E402
from landing_zone.live.trusted_services import SERVICE_ACCESS_PRINCIPALS  # noqa: E402

REGION = "eu-west-1"
MINIMAL = Path(__file__).resolve().parents[1] / "config" / "fixtures" / "good" / "minimal.yaml"


@pytest.fixture
def aws(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("LZ_AWS_ENDPOINT", raising=False)
    from landing_zone.local_aws.additions import iam_root_access

    iam_root_access.install()  # moto refuses IAM as a trusted service without it (centralized root access)
    with moto.mock_aws():
        yield


def healthy_org(feature_set: str = "ALL"):
    orgs = boto3.client("organizations", region_name="us-east-1")
    orgs.create_organization(FeatureSet=feature_set)
    if feature_set == "ALL":
        for principal in SERVICE_ACCESS_PRINCIPALS:
            orgs.enable_aws_service_access(ServicePrincipal=principal)
    return orgs


def problems(findings, check=None):
    return [f for f in findings if f.status == "problem" and (check is None or f.check == check)]


def run(path=MINIMAL):
    loaded = load_environment(path)
    return preflight(loaded, AwsClients(region=REGION))


def test_a_clean_organization_passes(aws):
    healthy_org()
    findings = run()
    assert problems(findings) == [], findings
    assert exit_code(findings) == 0
    assert {f.check for f in findings} >= {
        "management credentials",
        "all features",
        "trusted access",
        "conflicts",
        "quota: accounts",
        "quota: OUs",
        "quota: SCPs",
        "governed regions",
        "account emails",
    }
    assert "0 problem(s)" in preflight_document("minimal", findings).to_text(width=200)


def test_no_organization_yet_is_fine(aws):
    assert problems(run()) == []


def test_credentials_of_another_account(aws, tmp_path):
    healthy_org()
    path = tmp_path / "env.yaml"
    path.write_text(
        MINIMAL.read_text().replace(
            "    email: aws+management@tiny-corp.io\n", "    email: aws+management@tiny-corp.io\n    id: '111111111111'\n", 1
        )
    )
    (found,) = problems(run(path), "management credentials")
    assert "123456789012, not the management account 111111111111" in found.detail and found.fix


def test_consolidated_billing_only(aws):
    healthy_org("CONSOLIDATED_BILLING")
    (found,) = problems(run(), "all features")
    assert "CONSOLIDATED_BILLING" in found.detail and "enable-all-features" in found.fix


def test_trusted_access_off(aws):
    orgs = boto3.client("organizations", region_name="us-east-1")
    orgs.create_organization(FeatureSet="ALL")
    orgs.enable_aws_service_access(ServicePrincipal="sso.amazonaws.com")
    (found,) = problems(run(), "trusted access")
    assert "guardduty.amazonaws.com" in found.detail and "sso.amazonaws.com" not in found.detail
    assert "enable-aws-service-access" in found.fix


def test_conflicting_trail_recorder_and_delegated_admin(aws):
    orgs = healthy_org()
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="old-trail", CreateBucketConfiguration={"LocationConstraint": REGION})
    boto3.client("cloudtrail", region_name=REGION).create_trail(
        Name="old-org-trail", S3BucketName="old-trail", IsOrganizationTrail=True
    )
    boto3.client("config", region_name=REGION).put_configuration_recorder(
        ConfigurationRecorder={"name": "default", "roleARN": "arn:aws:iam::123456789012:role/config"}
    )
    other = orgs.create_account(AccountName="secops", Email="secops@tiny-corp.io")["CreateAccountStatus"]["AccountId"]
    orgs.register_delegated_administrator(AccountId=other, ServicePrincipal="guardduty.amazonaws.com")
    found = {f.check: f for f in problems(run())}
    assert "'old-org-trail'" in found["organization trail"].detail
    assert "'default' exists in eu-west-1" in found["config recorder"].detail
    assert (
        f"account {other} (secops) is delegated administrator of guardduty.amazonaws.com"
        in found["delegated administrator"].detail
    )
    assert all(f.fix for f in found.values())


def test_delegating_to_the_audit_account_is_no_conflict(aws):
    orgs = healthy_org()
    audit = orgs.create_account(AccountName="audit", Email="aws+audit@tiny-corp.io")["CreateAccountStatus"]["AccountId"]
    orgs.register_delegated_administrator(AccountId=audit, ServicePrincipal="guardduty.amazonaws.com")
    assert problems(run(), "delegated administrator") == []


def test_no_room_for_the_accounts(aws, tmp_path):
    healthy_org().create_account(AccountName="sandbox", Email="sandbox@tiny-corp.io")  # not in the file
    path = tmp_path / "env.yaml"
    path.write_text(MINIMAL.read_text() + "limits:\n  accounts_per_organization: 3\n")  # the file alone fits
    (found,) = problems(run(path), "quota: accounts")
    assert "2 accounts exist, 2 to create: 4 of 3" in found.detail and "Service Quotas" in found.fix


def test_a_governed_region_not_enabled(aws, tmp_path):
    healthy_org()
    path = tmp_path / "env.yaml"
    path.write_text(MINIMAL.read_text().replace("governed_regions: [eu-west-1]", "governed_regions: [eu-west-1, eu-south-1]"))
    loaded = load_environment(path)
    clients = AwsClients(region=REGION)
    ec2 = clients.client("ec2", REGION)
    stub = Stubber(ec2)  # moto reports every region enabled: plant an opt-in region that is not
    stub.add_response(
        "describe_regions",
        {
            "Regions": [
                {"RegionName": "eu-west-1", "OptInStatus": "opt-in-not-required"},
                {"RegionName": "eu-south-1", "OptInStatus": "not-opted-in"},
            ]
        },
        {"AllRegions": True},
    )
    with stub:
        findings = preflight(loaded, clients)
    (found,) = problems(findings, "governed regions")
    assert found.detail == "not enabled in this account: eu-south-1" and "enable-region" in found.fix


def test_an_email_already_used_by_another_account(aws):
    orgs = healthy_org()
    taken = orgs.create_account(AccountName="legacy-logs", Email="aws+log-archive@tiny-corp.io")["CreateAccountStatus"][
        "AccountId"
    ]
    (found,) = problems(run(), "account emails")
    assert (
        found.detail
        == f"log-archive: aws+log-archive@tiny-corp.io is already the email of account {taken} (legacy-logs); creating it would fail"
    )
    assert f"id: '{taken}'" in found.fix


def test_lz_preflight_exit_status(aws, capsys):
    from landing_zone.cli.main import main

    assert main(["preflight", str(MINIMAL)]) == 0
    healthy_org("CONSOLIDATED_BILLING")
    assert main(["preflight", str(MINIMAL), "--format", "json"]) == 1
    out = capsys.readouterr().out
    assert '"check": "all features"' in out and '"status": "problem"' in out
