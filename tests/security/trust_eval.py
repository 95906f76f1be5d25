"""A small evaluator of role trust policies for the tests (the local API does not evaluate them).

It answers whether `principal_arn` (an IAM role or user of `account`) may call sts:AssumeRole under a trust
policy, with the request context given (MFA). It covers what the landing zone's trust policies use: Allow and
Deny statements; Principal AWS as an account root or an exact ARN, or Service; Action strings or lists with *;
the condition operators StringEquals, StringLike, ArnEquals, ArnLike, Bool and NumericLessThan (values lists are
ORed, keys ANDed); a key absent from the context fails its condition, as in IAM.
"""

from __future__ import annotations

from fnmatch import fnmatchcase


def _list(value) -> list:
    return value if isinstance(value, list) else [value]


def _principal_matches(principal, caller_arn: str, caller_account: str) -> bool:
    if principal == "*":
        return True
    for arn in _list(principal.get("AWS", [])):
        if arn == "*" or arn == caller_arn or arn in (f"arn:aws:iam::{caller_account}:root", caller_account):
            return True
    return False


def _condition_holds(condition: dict, context: dict) -> bool:
    for operator, keys in condition.items():
        for key, wanted in keys.items():
            if key not in context:
                return False
            have = str(context[key])
            wanted = [str(w) for w in _list(wanted)]
            if operator in ("StringEquals", "ArnEquals"):
                ok = have in wanted
            elif operator in ("StringLike", "ArnLike"):
                ok = any(fnmatchcase(have, w) for w in wanted)
            elif operator == "Bool":
                ok = have.lower() in [w.lower() for w in wanted]
            elif operator == "NumericLessThan":
                ok = any(float(have) < float(w) for w in wanted)
            else:
                raise ValueError(f"the test evaluator does not know the condition operator {operator}")
            if not ok:
                return False
    return True


def may_assume(trust: dict, caller_arn: str, *, mfa_age_seconds: int | None = None) -> bool:
    account = caller_arn.split(":")[4]
    context: dict = {"aws:PrincipalArn": caller_arn, "aws:PrincipalAccount": account}
    if mfa_age_seconds is not None:
        context.update({"aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": mfa_age_seconds})
    else:
        context["aws:MultiFactorAuthPresent"] = "false"
    allowed = False
    for statement in trust["Statement"]:
        if not any(fnmatchcase("sts:AssumeRole", a) for a in _list(statement["Action"])):
            continue
        if not _principal_matches(statement.get("Principal", {}), caller_arn, account):
            continue
        if not _condition_holds(statement.get("Condition", {}), context):
            continue
        if statement["Effect"] == "Deny":
            return False
        allowed = True
    return allowed


def may_assume_with_web_identity(trust: dict, claims: dict) -> bool:
    """Whether a web-identity token with these claims (`<issuer>:aud`, `<issuer>:sub`) may assume the role through
    the federated principal of the trust (the provider is whichever the trust names)."""
    allowed = False
    for statement in trust["Statement"]:
        if not any(fnmatchcase("sts:AssumeRoleWithWebIdentity", a) for a in _list(statement["Action"])):
            continue
        if "Federated" not in (statement.get("Principal") or {}):
            continue
        if not _condition_holds(statement.get("Condition", {}), claims):
            continue
        if statement["Effect"] == "Deny":
            return False
        allowed = True
    return allowed
