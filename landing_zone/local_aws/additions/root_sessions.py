"""STS AssumeRoot and the member root user's credentials (centralized root access, `lz root-credentials`).

moto 5.2 lacks AssumeRoot, and its IAM calls without a UserName look for an IAM user behind the caller's key.
As on AWS:
- AssumeRoot is for the organization's management account, with RootSessions enabled (iam_root_access.py),
  on a member account, with one of the root-task policies, for at most 900 s. It returns short credentials in
  the member account, which act as its root user within the task policy only (AccessDenied otherwise).
- Without a UserName, GetLoginProfile, ListAccessKeys, ListMFADevices and ListSigningCertificates by a root
  session (IAMAuditRootUserCredentials) read the root user's own credentials; CreateLoginProfile by a root
  session (IAMCreateRootUserPassword) gives it a password; DeleteLoginProfile and DeleteAccessKey by a root
  session (IAMDeleteRootUserCredentials) remove them.
- A caller whose key belongs to no IAM user or role session of the account is that account's root user (moto's
  default credentials; `x-moto-account-id` picks the account): it may create its own access keys and
  signing certificates and a password, which is how a test gives a member root credentials to find.
The root user's credentials are kept on the account's IAM backend, which moto's reset clears.
"""

from __future__ import annotations

from ._helpers import add_actions, state

TASK_POLICY_PREFIX = "arn:aws:iam::aws:policy/root-task/"
AUDIT, CREATE_PASSWORD, DELETE = "IAMAuditRootUserCredentials", "IAMCreateRootUserPassword", "IAMDeleteRootUserCredentials"
TASK_POLICIES = {AUDIT, CREATE_PASSWORD, DELETE, "S3UnlockBucketPolicy", "SQSUnlockQueuePolicy"}
MAX_SECONDS = 900
READS = {"get_login_profile", "list_access_keys", "list_mfa_devices", "list_signing_certificates"}
ALLOWED = {
    AUDIT: READS,
    CREATE_PASSWORD: {"create_login_profile", "get_login_profile"},
    DELETE: READS | {"delete_login_profile", "delete_access_key"},
}
ROOT_USER = "root-user"
"""The caller is the account's root user itself (not a root session): every root action."""


def _denied(message: str, service: str = "sts"):
    """AccessDenied, raised as the service's own exception (moto serializes an error by its module's service)."""
    from moto.iam.exceptions import IAMException
    from moto.sts.exceptions import STSClientError

    return (IAMException if service == "iam" else STSClientError)("AccessDenied", message)


def assume_root(self):
    from moto.core.responses import ActionResult
    from moto.iam.models import iam_backends
    from moto.organizations.models import organizations_backends

    target = self._get_param("TargetPrincipal") or ""
    task = (self._get_param("TaskPolicyArn.arn") or self._get_param("TaskPolicyArn") or "").strip()
    duration = self._get_int_param("DurationSeconds", MAX_SECONDS)
    caller = self.current_account
    partition = self.partition
    if not task.startswith(TASK_POLICY_PREFIX) or task[len(TASK_POLICY_PREFIX) :] not in TASK_POLICIES:
        raise _denied(f"{task!r} is not a root-task policy ({TASK_POLICY_PREFIX}<{'|'.join(sorted(TASK_POLICIES))}>)")
    if not 0 < duration <= MAX_SECONDS:
        raise _denied(f"DurationSeconds {duration}: a root session lasts at most {MAX_SECONDS} s")
    org = organizations_backends[caller][partition].org
    if org is None or org.master_account_id != caller:
        raise _denied("AssumeRoot is for the organization's management account")
    enabled = state(iam_backends[caller][partition], "organizations_features").get("enabled", set())
    if "RootSessions" not in enabled:
        raise _denied("root sessions are not enabled for the organization (EnableOrganizationsRootSessions)")
    members = organizations_backends[caller][partition].accounts
    if target == caller or not any(a.id == target for a in members):
        raise _denied(f"TargetPrincipal {target!r} is not a member account of the organization")
    backend = iam_backends[target][partition]
    key = backend.create_temp_access_key()
    state(backend, "root_sessions")[key.access_key_id] = task[len(TASK_POLICY_PREFIX) :]
    import datetime

    expiration = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=duration)
    credentials = {
        "AccessKeyId": key.access_key_id,
        "SecretAccessKey": key.secret_access_key,
        "SessionToken": "FQoGZXIvYXdzE" + key.secret_access_key,
        "Expiration": expiration,
    }
    return ActionResult({"Credentials": credentials, "SourceIdentity": ""})


def _root_caller(response) -> str | None:
    """The caller's root-session task policy, ROOT_USER, or None (an IAM user or role: moto's own action)."""
    if response._get_param("UserName"):
        return None
    key = response.get_access_key()
    sessions = state(response.backend, "root_sessions")
    if key in sessions:
        return sessions[key]
    if key in response.backend.access_keys:
        return None
    return ROOT_USER


def _root(response) -> dict:
    """The root user's own credentials in the caller's account."""
    root = state(response.backend, "root_user")
    root.setdefault("access_keys", {})
    root.setdefault("certificates", {})
    root.setdefault("mfa_devices", [])
    return root


def _login_profile(response, root: dict) -> dict:
    from moto.iam.exceptions import NoSuchEntity

    if "login_profile" not in root:
        raise NoSuchEntity(f"Login Profile for the root user of {response.current_account} cannot be found.")
    return {"LoginProfile": {"UserName": "", **root["login_profile"]}}


def _root_action(name: str, answer):
    """Wrap moto's IAM action `name`: a root caller without a UserName gets `answer(response, root)`."""

    def install(response_class) -> None:
        original = getattr(response_class, name)
        if getattr(original, "_lz_root", False):
            return

        def action(self):
            from moto.core.responses import ActionResult

            caller = _root_caller(self)
            if caller is None:
                return original(self)
            if caller != ROOT_USER and name not in ALLOWED.get(caller, set()):
                raise _denied(f"a root session with the task policy {caller} may not call {name}", "iam")
            return ActionResult(answer(self, _root(self)))

        action._lz_root = True  # type: ignore[attr-defined]
        action.__name__ = name
        setattr(response_class, name, action)

    return install


def _now():
    import datetime

    return datetime.datetime.now(datetime.timezone.utc)


def _create_login_profile(response, root: dict) -> dict:
    from moto.iam.exceptions import EntityAlreadyExists

    if "login_profile" in root:
        raise EntityAlreadyExists(f"Login Profile for the root user of {response.current_account} already exists.")
    root["login_profile"] = {"CreateDate": _now(), "PasswordResetRequired": False}
    return _login_profile(response, root)


def _delete_login_profile(response, root: dict) -> dict:
    _login_profile(response, root)  # NoSuchEntity when there is none
    del root["login_profile"]
    return {}


def _create_access_key(response, root: dict) -> dict:
    from moto.iam.utils import generate_access_key_id_from_account_id, random_alphanumeric

    key_id = generate_access_key_id_from_account_id(response.current_account, prefix="AKIA", total_length=20)
    root["access_keys"][key_id] = {"AccessKeyId": key_id, "Status": "Active", "CreateDate": _now()}
    return {"AccessKey": {**root["access_keys"][key_id], "UserName": "", "SecretAccessKey": random_alphanumeric(40)}}


def _delete_access_key(response, root: dict) -> dict:
    from moto.iam.exceptions import NoSuchEntity

    key_id = response._get_param("AccessKeyId")
    if root["access_keys"].pop(key_id, None) is None:
        raise NoSuchEntity(f"The Access Key with id {key_id} cannot be found")
    return {}


def _upload_signing_certificate(response, root: dict) -> dict:
    import hashlib

    body = response._get_param("CertificateBody") or ""
    certificate_id = hashlib.sha1(body.encode()).hexdigest().upper()[:24]
    root["certificates"][certificate_id] = {
        "CertificateId": certificate_id,
        "CertificateBody": body,
        "Status": "Active",
        "UploadDate": _now(),
    }
    return {"Certificate": {**root["certificates"][certificate_id], "UserName": ""}}


ROOT_ACTIONS = (
    _root_action("get_login_profile", _login_profile),
    _root_action("create_login_profile", _create_login_profile),
    _root_action("delete_login_profile", _delete_login_profile),
    _root_action("list_access_keys", lambda r, root: {"UserName": "", "AccessKeyMetadata": list(root["access_keys"].values())}),
    _root_action("create_access_key", _create_access_key),
    _root_action("delete_access_key", _delete_access_key),
    _root_action("list_mfa_devices", lambda r, root: {"MFADevices": list(root["mfa_devices"]), "IsTruncated": False}),
    _root_action(
        "list_signing_certificates", lambda r, root: {"UserName": "", "Certificates": list(root["certificates"].values())}
    ),
    _root_action("upload_signing_certificate", _upload_signing_certificate),
)


def install() -> None:
    from moto.iam.responses import IamResponse
    from moto.sts.responses import TokenResponse

    add_actions(TokenResponse, assume_root)
    for wrap in ROOT_ACTIONS:
        wrap(IamResponse)
