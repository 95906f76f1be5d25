"""CKV_LZ_40: a role trusted through OIDC names one audience and one exact subject.

checkov's own check (CKV_AWS_393) is skipped when the federated principal is a
reference such as `${aws_iam_openid_connect_provider.x.arn}` — which is how
every role of ours names its provider — so this one reads the trust policy
JSON itself. For each statement that allows `sts:AssumeRoleWithWebIdentity`:
the `<issuer>:aud` condition is `StringEquals` exactly `sts.amazonaws.com`;
the `<issuer>:sub` condition is `StringEquals` on values without a wildcard;
no `StringLike` (or other operator) loosens either. One exception: a role
tagged read-only (`lz-ci-access = read-only`, the CI plan role) may trust
every branch of one GitLab project with `StringLike` on exactly
`project_path:GROUP/PROJECT:ref_type:branch:ref:*`, GitLab's token having no
merge-request subject (identity/ci_roles.py). Roles without a web identity
statement get no result.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from landing_zone.identity.ci_roles import GITLAB_ANY_BRANCH, READ_ONLY_TAG
from landing_zone.scan.check_support import attribute, literal_json

AUDIENCE = "sts.amazonaws.com"
WEB_IDENTITY = "sts:assumerolewithwebidentity"


def _list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _any_branch_of_one_project(condition: dict, read_only: bool) -> bool:
    """The one pattern a read-only role may trust: `StringLike` on `:sub`, every value one GitLab project's branches."""
    like = condition.get("StringLike")
    if not read_only or not isinstance(like, dict):
        return False
    subs = [v for k, values in like.items() if k.lower().endswith(":sub") for v in _list(values)]
    others = [k for k in like if not k.lower().endswith(":sub")]
    return bool(subs) and not others and all(isinstance(v, str) and GITLAB_ANY_BRANCH.match(v) for v in subs)


def trust_problems(document: dict, read_only: bool = False) -> list[str] | None:
    """What is wrong with the web-identity statements of a trust policy; None when it has none.
    `read_only`: the role is tagged read-only (may trust every branch of one GitLab project)."""
    statements = [
        s
        for s in _list(document.get("Statement"))
        if isinstance(s, dict)
        and s.get("Effect") == "Allow"
        and any(isinstance(a, str) and a.lower() in (WEB_IDENTITY, "sts:*", "*") for a in _list(s.get("Action")))
    ]
    if not statements:
        return None
    problems = []
    for i, statement in enumerate(statements):
        where = f"statement {statement.get('Sid') or i + 1}"
        condition = statement.get("Condition") or {}
        project_branches = _any_branch_of_one_project(condition, read_only)
        equals = condition.get("StringEquals") or {}
        aud = [v for k, v in equals.items() if k.lower().endswith(":aud")]
        sub = [v for k, v in equals.items() if k.lower().endswith(":sub")]
        if not aud or any(_list(v) != [AUDIENCE] for v in aud):
            problems.append(f"{where}: aud must be StringEquals exactly {AUDIENCE!r}")
        if not sub and not project_branches:
            problems.append(f"{where}: sub has no StringEquals condition: any repository, branch or fork could assume the role")
        for value in (v for values in sub for v in _list(values)):
            if not isinstance(value, str) or "*" in value or "?" in value:
                problems.append(f"{where}: sub {value!r} is not one exact subject (no wildcards)")
        for operator, keys in condition.items():
            if operator == "StringEquals" or not isinstance(keys, dict) or (operator == "StringLike" and project_branches):
                continue
            loose = sorted(k for k in keys if k.lower().endswith((":sub", ":aud")))
            if loose:
                problems.append(f"{where}: {operator} on {', '.join(loose)} (only StringEquals, exact values)")
    return problems


class IamOidcTrust(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Roles trusted through OIDC name one audience (sts.amazonaws.com) and one exact subject",
            id="CKV_LZ_40",
            categories=[CheckCategories.IAM],
            supported_resources=["aws_iam_role"],
            guideline="Trust one repository and one branch, environment or pull-request subject with StringEquals on "
            "<issuer>:sub and <issuer>:aud = sts.amazonaws.com (the ci: section does this for the bootstrap roles); "
            "only a role tagged lz-ci-access = read-only may trust every branch of one GitLab project.",
        )

    def scan_resource_conf(self, conf):
        document = literal_json(attribute(conf, "assume_role_policy"))
        if document is None:
            return CheckResult.UNKNOWN  # jsonencode(...) or a reference: nothing literal to read
        tags = attribute(conf, "tags")
        read_only = isinstance(tags, dict) and all(tags.get(k) == v for k, v in READ_ONLY_TAG.items())
        problems = trust_problems(document, read_only)
        if problems is None:
            return CheckResult.UNKNOWN
        self.evaluated_keys = ["assume_role_policy"]
        self.details.extend(problems)
        return CheckResult.FAILED if problems else CheckResult.PASSED


check = IamOidcTrust()
