"""Issue 28.5: `lz root-credentials` shows which member accounts still have root credentials, read through
AssumeRoot (IAMAuditRootUserCredentials) against a small organization on the local API (moto with our
root-sessions addition, landing_zone/local_aws/additions/root_sessions.py)."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

from landing_zone.cli.main import main
from landing_zone.live.root_credentials import AUDIT_TASK_POLICY
from landing_zone.local_aws.server import LocalAws
from tests.conftest import ROOT

ENV_FILE = str(ROOT / "environments" / "minimal.yaml")
TASK = "arn:aws:iam::aws:policy/root-task/"
CERTIFICATE = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----"


@pytest.fixture(scope="module")
def org(tmp_path_factory):
    """Members: `keys` (its root user made an access key and a signing certificate), `password` (given one
    through a root session), `clean` (nothing); root sessions on."""
    with LocalAws(log_file=tmp_path_factory.mktemp("moto") / "moto.log") as server:

        def client(service: str, account: str = "", credentials: dict | None = None):
            keys = credentials or {"AccessKeyId": "testing", "SecretAccessKey": "testing"}
            made = boto3.client(
                service,
                endpoint_url=server.url,
                region_name="eu-west-1",
                aws_access_key_id=keys["AccessKeyId"],
                aws_secret_access_key=keys["SecretAccessKey"],
                aws_session_token=keys.get("SessionToken"),
            )
            if account:  # the member account's own root user
                made.meta.events.register(
                    "before-sign.*.*", lambda request, **_: request.headers.add_header("x-moto-account-id", account)
                )
            return made

        organizations, iam = client("organizations"), client("iam")
        organizations.create_organization(FeatureSet="ALL")
        organizations.enable_aws_service_access(ServicePrincipal="iam.amazonaws.com")
        iam.enable_organizations_root_credentials_management()
        iam.enable_organizations_root_sessions()
        ids = {}
        for name in ("keys", "password", "clean"):
            status = organizations.create_account(AccountName=name, Email=f"{name}@example.com")["CreateAccountStatus"]
            ids[name] = status["AccountId"]
        root = client("iam", account=ids["keys"])
        root.create_access_key()
        root.upload_signing_certificate(CertificateBody=CERTIFICATE)
        session = client("sts").assume_root(
            TargetPrincipal=ids["password"], TaskPolicyArn={"arn": TASK + "IAMCreateRootUserPassword"}
        )["Credentials"]
        client("iam", credentials=session).create_login_profile(Password="Correct-Horse-9")
        yield server, client, ids


def run(capsys, server, *extra) -> tuple[int, str]:
    code = main(["root-credentials", ENV_FILE, "--endpoint", server.url, *extra])
    return code, capsys.readouterr().out


def test_the_command_names_the_members_with_root_credentials(org, capsys):
    server, _, ids = org
    code, out = run(capsys, server, "--format", "json")
    rows = {r["account"]: r for r in json.loads(out)}
    assert code == 2  # some member root has credentials
    assert (rows["keys"]["status"], rows["keys"]["access_keys"], rows["keys"]["signing_certificates"]) == ("credentials", 1, 1)
    assert (rows["keys"]["password"], rows["keys"]["mfa_devices"]) == (False, 0)
    assert (rows["password"]["status"], rows["password"]["password"], rows["password"]["access_keys"]) == ("credentials", True, 0)
    assert (rows["clean"]["status"], rows["clean"]["password"]) == ("none", False)
    assert rows["keys"]["account_id"] == ids["keys"]
    (management,) = [r for r in rows.values() if r["account_id"] not in ids.values()]
    assert management["status"] == "unknown" and "member accounts only" in management["detail"]

    code, table = run(capsys, server)
    assert code == 2
    assert "2 with credentials" in table and "IAMDeleteRootUserCredentials" in table
    line = next(x for x in table.splitlines() if x.startswith("clean"))
    assert "none" in line


def test_without_root_sessions_every_member_is_unknown_with_the_fix(org, capsys):
    server, client, ids = org
    iam = client("iam")
    iam.disable_organizations_root_sessions()
    try:
        code, out = run(capsys, server, "--format", "json")
    finally:
        iam.enable_organizations_root_sessions()
    members = [r for r in json.loads(out) if r["account_id"] in ids.values()]
    assert code == 1 and len(members) == 3
    assert all(r["status"] == "unknown" and "organization.root_access.sessions" in r["detail"] for r in members)


def test_the_audit_session_reads_only(org):
    _, client, ids = org
    sts = client("sts")
    session = sts.assume_root(TargetPrincipal=ids["password"], TaskPolicyArn={"arn": AUDIT_TASK_POLICY})["Credentials"]
    iam = client("iam", credentials=session)
    assert iam.get_login_profile()["LoginProfile"]["CreateDate"]
    with pytest.raises(ClientError) as refused:
        iam.delete_login_profile()
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    with pytest.raises(ClientError) as refused:  # the management account is no target
        management = client("organizations").describe_organization()["Organization"]["MasterAccountId"]
        sts.assume_root(TargetPrincipal=management, TaskPolicyArn={"arn": AUDIT_TASK_POLICY})
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    for bad in ({"arn": "arn:aws:iam::aws:policy/AdministratorAccess"}, {"arn": AUDIT_TASK_POLICY}):
        with pytest.raises(ClientError):
            sts.assume_root(TargetPrincipal=ids["clean"], TaskPolicyArn=bad, DurationSeconds=901)


def test_a_root_session_removes_credentials_with_the_delete_task_policy(org, capsys):
    server, client, ids = org
    session = client("sts").assume_root(
        TargetPrincipal=ids["keys"], TaskPolicyArn={"arn": TASK + "IAMDeleteRootUserCredentials"}
    )["Credentials"]
    iam = client("iam", credentials=session)
    (key,) = iam.list_access_keys()["AccessKeyMetadata"]
    iam.delete_access_key(AccessKeyId=key["AccessKeyId"])
    assert iam.list_access_keys()["AccessKeyMetadata"] == []
    rows = {r["account"]: r for r in json.loads(run(capsys, server, "--format", "json")[1])}
    assert (rows["keys"]["access_keys"], rows["keys"]["signing_certificates"]) == (0, 1)
