"""CKV_LZ_28: incident response's roles stay least privilege (checkov's own IAM wildcard checks,
CKV_AWS_286/287/289/290/355, do not run on terraform_json).

The roles are recognised by their logical ids (`remediation_role`, `responder_role`, and
their `*_role_policy` inline policies), which the AccountResponse construct fixes:
- remediation role: trusted by ssm.amazonaws.com only, with an aws:SourceAccount condition;
- responder role: trusted by AWS principals only (never `*` or a service), with an
  aws:PrincipalOrgID condition;
- their inline policies: no Allow with a wildcard action (`*`, `svc:*`) or NotAction,
  iam:PassRole never on `*`; the responder's policy denies the landing zone's own roles.
"""

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from landing_zone.scan.check_support import attribute, literal_json

ROLES = ("remediation_role", "responder_role")


def _list(value):
    return value if isinstance(value, list) else [value]


def _which(entity_name: str, conf: dict) -> str | None:
    for role in ROLES:
        if entity_name in (role, f"{role}_policy"):
            return role
        reference = attribute(conf, "role")
        if isinstance(reference, str) and f"aws_iam_role.{role}." in reference:
            return role
    return None


class ResponseRoles(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Incident response's remediation and responder roles are trusted narrowly and hold no wildcard permissions",
            id="CKV_LZ_28",
            categories=[CheckCategories.IAM],
            supported_resources=["aws_iam_role", "aws_iam_role_policy"],
            guideline="Build the roles with constructs/security/account_response.py: the remediation role trusts "
            "ssm.amazonaws.com for its own account, the responder role the audit account's responder within the "
            "organization; permissions are the enabled runbooks' API calls only.",
        )

    def scan_resource_conf(self, conf):
        role = _which(self.entity_path.rsplit(":", 1)[-1].rsplit(".", 1)[-1], conf)
        if role is None:
            return CheckResult.UNKNOWN
        if self.entity_type == "aws_iam_role":
            self.evaluated_keys = ["assume_role_policy"]
            problems = self._trust(role, literal_json(attribute(conf, "assume_role_policy")))
        else:
            self.evaluated_keys = ["policy"]
            problems = self._permissions(role, literal_json(attribute(conf, "policy")))
        self.details.extend(problems)
        return CheckResult.FAILED if problems else CheckResult.PASSED

    def _trust(self, role: str, doc) -> list[str]:
        if doc is None:
            return ["the trust policy is not literal JSON"]
        out = []
        for i, s in enumerate(_list(doc.get("Statement", [])), start=1):
            if s.get("Effect") != "Allow":
                continue
            principal = s.get("Principal")
            condition = s.get("Condition") or {}
            keys = {k for block in condition.values() if isinstance(block, dict) for k in block}
            if principal == "*" or (isinstance(principal, dict) and "*" in _list(principal.get("AWS", []))):
                out.append(f"trust statement {i} admits any principal")
            elif role == "remediation_role":
                if (
                    not isinstance(principal, dict)
                    or set(principal) != {"Service"}
                    or _list(principal["Service"]) != ["ssm.amazonaws.com"]
                ):
                    out.append(f"trust statement {i}: the remediation role is for ssm.amazonaws.com only")
                if "aws:SourceAccount" not in keys:
                    out.append(f"trust statement {i} lacks an aws:SourceAccount condition (confused deputy)")
            else:
                if not isinstance(principal, dict) or set(principal) != {"AWS"}:
                    out.append(f"trust statement {i}: the responder role is for AWS principals only")
                if "aws:PrincipalOrgID" not in keys:
                    out.append(f"trust statement {i} lacks an aws:PrincipalOrgID condition")
        return out

    def _permissions(self, role: str, doc) -> list[str]:
        if doc is None:
            return ["the policy is not literal JSON"]
        out = []
        denies_own = False
        for i, s in enumerate(_list(doc.get("Statement", [])), start=1):
            if s.get("Effect") == "Deny":
                denies_own = denies_own or any(":role/" in str(r) for r in _list(s.get("Resource", [])))
                continue
            if "NotAction" in s:
                out.append(f"statement {i} allows NotAction")
            for action in _list(s.get("Action", [])):
                if action == "*" or str(action).endswith(":*"):
                    out.append(f"statement {i} allows the wildcard action {action!r}")
                if str(action).lower() == "iam:passrole" and "*" in _list(s.get("Resource", [])):
                    out.append(f"statement {i} allows iam:PassRole on every role")
        if role == "responder_role" and not denies_own:
            out.append("the responder policy does not deny the landing zone's own roles")
        return out


check = ResponseRoles()
