"""CKV_LZ_42: a role trusted through OIDC (a CI/CD pipeline) carries no broad AWS managed policy.

Issue 24.3: the vended accounts' deploy role had PowerUserAccess, so any workflow that obtained a token could
read data, rewrite key policies and share snapshots out. A CI/CD role gets a scoped policy and a permissions
boundary instead (identity/deploy_roles.py). checkov's own IAM checks do not relate a role's trust to its
policies.

Checked on each `aws_iam_role_policy_attachment` whose policy is AdministratorAccess, PowerUserAccess or
IAMFullAccess and whose role is a role of the same stack trusted with sts:AssumeRoleWithWebIdentity, and on a
role's own `managed_policy_arns`. The attachment names its role by reference, so the check reads the role
from the stack file checkov is scanning.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from landing_zone.scan.check_support import attribute, literal_json

SCAN_ROOT_ENV = "LZ_SCAN_ROOT"  # set by landing_zone.scan.checkov_runner (not imported: checks stay light)

BROAD = ("AdministratorAccess", "PowerUserAccess", "IAMFullAccess")
_ROLE_REFERENCE = re.compile(r"^\$\{aws_iam_role\.([\w-]+)\.(name|id)\}$")


def _list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def is_broad(policy_arn: Any) -> bool:
    return isinstance(policy_arn, str) and policy_arn.startswith("arn:aws") and policy_arn.rsplit("/", 1)[-1] in BROAD


def web_identity_trust(text: Any) -> bool:
    """Whether a trust policy (JSON text) allows sts:AssumeRoleWithWebIdentity."""
    document = literal_json(text)
    if document is None:
        return False
    return any(
        isinstance(s, dict)
        and s.get("Effect") == "Allow"
        and any(isinstance(a, str) and a.lower() == "sts:assumerolewithwebidentity" for a in _list(s.get("Action")))
        for s in _list(document.get("Statement"))
    )


def stack_file(scanned_file: str) -> Path:
    """The stack file checkov names `scanned_file` (its path below the scanned folder, with a leading slash)."""
    root = os.environ.get(SCAN_ROOT_ENV)
    below = Path(root) / scanned_file.lstrip("/") if root else None
    return below if below is not None and below.is_file() else Path(scanned_file)


@lru_cache(maxsize=64)
def _roles(path: str) -> dict[str, dict]:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    roles = (document.get("resource") or {}).get("aws_iam_role") or {}
    return roles if isinstance(roles, dict) else {}


class IamOidcBroadPolicy(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Roles trusted through OIDC carry no AdministratorAccess, PowerUserAccess or IAMFullAccess",
            id="CKV_LZ_42",
            categories=[CheckCategories.IAM],
            supported_resources=["aws_iam_role_policy_attachment", "aws_iam_role"],
            guideline="Give a CI/CD role a policy of the services it deploys and a permissions boundary "
            "(account_factory ... deploy_role.services); lz validate warns on broad managed policies.",
        )
        self._file = ""

    def run(self, scanned_file, entity_configuration, entity_name, entity_type, skip_info):
        self._file = scanned_file
        return super().run(scanned_file, entity_configuration, entity_name, entity_type, skip_info)

    def scan_resource_conf(self, conf):
        if "assume_role_policy" in conf:  # aws_iam_role
            if not web_identity_trust(attribute(conf, "assume_role_policy")):
                return CheckResult.UNKNOWN
            broad = [a for a in _list(attribute(conf, "managed_policy_arns", default=[])) if is_broad(a)]
            self.evaluated_keys = ["managed_policy_arns"]
            self.details.extend(f"an OIDC-trusted role carries {a}" for a in broad)
            return CheckResult.FAILED if broad else CheckResult.PASSED
        policy_arn = attribute(conf, "policy_arn")
        match = _ROLE_REFERENCE.match(str(attribute(conf, "role", default="")))
        if not match:
            return CheckResult.UNKNOWN  # a role by plain name: not one of this stack's
        role = _roles(str(stack_file(self._file))).get(match.group(1))
        if role is None or not web_identity_trust(role.get("assume_role_policy")):
            return CheckResult.UNKNOWN
        self.evaluated_keys = ["policy_arn"]
        if is_broad(policy_arn):
            self.details.append(f"attaches {policy_arn} to the OIDC-trusted role {match.group(1)}")
            return CheckResult.FAILED
        return CheckResult.PASSED


check = IamOidcBroadPolicy()
