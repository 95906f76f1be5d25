"""CKV_LZ_41: a role's trust never admits a whole account, every principal, a service or an identity provider
without a condition.

Issue 24.1 found member access roles trusting `arn:aws:iam::<management>:root` with no condition: every
principal of the management account that may call sts:AssumeRole became an administrator everywhere. checkov
has no check for it (CKV_AWS_60/61 only look for `*`). A statement that names one role or user ARN passes:
the principal is exact. Every other Allow of an sts:AssumeRole* action needs a Condition (aws:PrincipalArn,
aws:SourceAccount / aws:SourceArn against the confused deputy, the OIDC `sub` and `aud`, MFA...).
"""

from __future__ import annotations

import re
from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from landing_zone.scan.check_support import attribute, literal_json

_ACCOUNT = re.compile(r"^(\d{12}|arn:aws[\w-]*:iam::(\d{12}|\*|\$\{[^}]+\}):root)$")


def _list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _assumes(statement: dict) -> bool:
    return any(
        isinstance(a, str) and a.lower().startswith(("sts:assumerole", "sts:*")) or a == "*"
        for a in _list(statement.get("Action"))
    )


def _broad_principals(principal: Any) -> list[str]:
    """The principals of a statement that stand for more than one exact identity."""
    if principal == "*":
        return ["*"]
    if not isinstance(principal, dict):
        return []
    out = []
    for kind, values in principal.items():
        for value in _list(values):
            if kind == "AWS" and isinstance(value, str) and (value == "*" or _ACCOUNT.match(value) or value.endswith(":root")):
                out.append(value)
            elif kind in ("Service", "Federated"):
                out.append(str(value))
    return out


def trust_problems(document: dict) -> list[str]:
    """Each unconditioned Allow of an assume action to a broad principal."""
    problems = []
    for i, statement in enumerate(_list(document.get("Statement"))):
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow" or not _assumes(statement):
            continue
        if statement.get("Condition"):
            continue
        broad = _broad_principals(statement.get("Principal"))
        if broad:
            where = f"statement {statement.get('Sid') or i + 1}"
            problems.append(f"{where} admits {', '.join(broad)} with no condition")
    return problems


class IamTrustCondition(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="A role's trust admits a whole account, every principal, a service or an identity provider only "
            "under a condition",
            id="CKV_LZ_41",
            categories=[CheckCategories.IAM],
            supported_resources=["aws_iam_role"],
            guideline="Name the one role that may assume it, or add a condition: aws:PrincipalArn for an account, "
            "aws:SourceAccount or aws:SourceArn for a service, the exact sub and aud for an OIDC provider.",
        )

    def scan_resource_conf(self, conf):
        document = literal_json(attribute(conf, "assume_role_policy"))
        if document is None:
            return CheckResult.UNKNOWN  # jsonencode(...) or a reference: nothing literal to read
        self.evaluated_keys = ["assume_role_policy"]
        problems = trust_problems(document)
        self.details.extend(problems)
        return CheckResult.FAILED if problems else CheckResult.PASSED


check = IamTrustCondition()
