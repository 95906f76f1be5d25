"""Which member accounts still have root credentials (issue 28.5), read through centralized root access.

The management account opens a root session in each member account (STS AssumeRoot with the task policy
IAMAuditRootUserCredentials, read-only, 15 minutes at most) and reads the root user's password (login
profile), access keys, MFA devices and signing certificates. That needs RootSessions on
(organization.root_access.sessions) and the management account's credentials; where AWS refuses, the account
is listed as unknown with AWS's reason. AssumeRoot never targets the management account itself, so its own
root user cannot be read this way (it keeps its password and MFA: sign in and check them there).
Read-only: nothing is created or removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..render import Document
from .preflight import AwsClients, _error_code, _pages

AUDIT_TASK_POLICY = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"
SESSION_SECONDS = 900


@dataclass(frozen=True)
class RootCredentials:
    account: str
    account_id: str
    status: str
    """'credentials' (the root user has at least one), 'none', or 'unknown' (could not be read: `detail` says why)."""
    password: Optional[bool] = None
    access_keys: int = 0
    mfa_devices: int = 0
    signing_certificates: int = 0
    detail: str = ""


def _read_one(clients: AwsClients, name: str, account_id: str) -> RootCredentials:
    from botocore.exceptions import ClientError

    try:
        session = clients.client("sts").assume_root(
            TargetPrincipal=account_id, TaskPolicyArn={"arn": AUDIT_TASK_POLICY}, DurationSeconds=SESSION_SECONDS
        )
        iam = clients.with_credentials(session["Credentials"]).client("iam")
        try:
            iam.get_login_profile()
            password = True
        except ClientError as exc:
            if _error_code(exc) != "NoSuchEntity":
                raise
            password = False
        keys = len(iam.list_access_keys()["AccessKeyMetadata"])
        mfa = len(iam.list_mfa_devices()["MFADevices"])
        certificates = len(iam.list_signing_certificates()["Certificates"])
    except ClientError as exc:
        return RootCredentials(name, account_id, "unknown", detail=f"{_error_code(exc)}: {exc}")
    has = password or keys or mfa or certificates
    return RootCredentials(name, account_id, "credentials" if has else "none", password, keys, mfa, certificates)


def read_root_credentials(clients: AwsClients) -> list[RootCredentials]:
    """Every active member account of the caller's organization, by name; the management account first, unread."""
    organizations = clients.client("organizations")
    management = organizations.describe_organization()["Organization"]["MasterAccountId"]
    accounts = sorted(_pages(organizations, "list_accounts", "Accounts"), key=lambda a: a["Name"])
    rows = [
        RootCredentials(a["Name"], a["Id"], "unknown", detail="the management account: AssumeRoot targets member accounts only")
        for a in accounts
        if a["Id"] == management
    ]
    members = [a for a in accounts if a["Id"] != management and a.get("Status", "ACTIVE") == "ACTIVE"]
    features = clients.client("iam").list_organizations_features().get("EnabledFeatures", [])
    if "RootSessions" not in features:
        why = "root sessions are off: set organization.root_access.sessions: true and deploy the management stack"
        return rows + [RootCredentials(a["Name"], a["Id"], "unknown", detail=why) for a in members]
    return rows + [_read_one(clients, a["Name"], a["Id"]) for a in members]


def exit_code(rows: list[RootCredentials]) -> int:
    """0: no member root has credentials and every member was read; 2: some do; 1: some could not be read."""
    members = [r for r in rows if "management account" not in r.detail]
    if any(r.status == "credentials" for r in members):
        return 2
    return 1 if any(r.status == "unknown" for r in members) else 0


def _count(value: Optional[bool] | int, status: str) -> str:
    if status == "unknown":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def root_credentials_document(env_name: str, rows: list[RootCredentials]) -> Document:
    having = [r.account for r in rows if r.status == "credentials"]
    doc = Document().heading(f"Root credentials of {env_name}'s member accounts: {len(having)} with credentials")
    doc.table(
        ["account", "id", "status", "password", "access keys", "MFA", "certificates", "detail"],
        [
            [
                r.account,
                r.account_id,
                r.status,
                _count(r.password, r.status),
                _count(r.access_keys, r.status),
                _count(r.mfa_devices, r.status),
                _count(r.signing_certificates, r.status),
                r.detail,
            ]
            for r in rows
        ],
    )
    if having:
        doc.paragraph(
            "Remove them from the management account: `aws sts assume-root --target-principal <id> "
            "--task-policy-arn arn=arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials`, then delete the "
            "login profile, access keys, signing certificates and deactivate the MFA devices with those credentials."
        )
    return doc


def root_credentials_data(rows: list[RootCredentials]) -> list[dict]:
    return [r.__dict__ for r in rows]
