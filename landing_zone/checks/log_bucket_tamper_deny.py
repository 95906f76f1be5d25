"""CKV_LZ_43: a log bucket's policy denies version deletion, governance bypass and lock changes to everyone.

Issue 24.2: a log-archive admin could delete locked versions (GOVERNANCE mode with
s3:BypassGovernanceRetention) or shorten the lock. A bucket policy is the one place
that binds the bucket's own account, root included. A log bucket here is one whose
policy lets CloudTrail, AWS Config or log delivery (flow logs) write; it must carry
Deny statements to every principal (`*`), without a condition, that cover
s3:DeleteObjectVersion, s3:BypassGovernanceRetention, s3:PutBucketObjectLockConfiguration
and s3:PutObjectRetention (wildcards such as s3:* count). checkov has no such check.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from landing_zone.scan.check_support import attribute, literal_json

WRITERS = ("cloudtrail.amazonaws.com", "config.amazonaws.com", "delivery.logs.amazonaws.com")
REQUIRED = (
    "s3:DeleteObjectVersion",
    "s3:BypassGovernanceRetention",
    "s3:PutBucketObjectLockConfiguration",
    "s3:PutObjectRetention",
)


def _list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _services(statement: dict) -> list[str]:
    principal = statement.get("Principal")
    return [s for s in _list(principal.get("Service", [])) if isinstance(s, str)] if isinstance(principal, dict) else []


def _everyone(statement: dict) -> bool:
    principal = statement.get("Principal")
    return principal == "*" or (isinstance(principal, dict) and "*" in _list(principal.get("AWS", [])))


def _covers(statement: dict, action: str) -> bool:
    return any(isinstance(a, str) and fnmatchcase(action.lower(), a.lower()) for a in _list(statement.get("Action")))


def is_log_bucket_policy(document: dict) -> bool:
    return any(
        isinstance(s, dict) and s.get("Effect") == "Allow" and _covers(s, "s3:PutObject") and set(_services(s)) & set(WRITERS)
        for s in _list(document.get("Statement"))
    )


def missing_denies(document: dict) -> list[str]:
    """The required actions no unconditioned Deny to everyone covers."""
    denies = [
        s
        for s in _list(document.get("Statement"))
        if isinstance(s, dict) and s.get("Effect") == "Deny" and _everyone(s) and not s.get("Condition")
    ]
    return [a for a in REQUIRED if not any(_covers(s, a) for s in denies)]


class LogBucketTamperDeny(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Log buckets deny version deletion, governance bypass and Object Lock changes to every principal",
            id="CKV_LZ_43",
            categories=[CheckCategories.LOGGING],
            supported_resources=["aws_s3_bucket_policy"],
            guideline="Add a Deny to Principal * (no condition) of s3:DeleteObjectVersion, s3:BypassGovernanceRetention, "
            "s3:PutBucketObjectLockConfiguration and s3:PutObjectRetention (the log archive's DenyLogTampering).",
        )

    def scan_resource_conf(self, conf):
        document = literal_json(attribute(conf, "policy"))
        if document is None or not is_log_bucket_policy(document):
            return CheckResult.UNKNOWN
        self.evaluated_keys = ["policy"]
        missing = missing_denies(document)
        if missing:
            self.details.append(f"no unconditioned Deny to every principal of {', '.join(missing)}")
            return CheckResult.FAILED
        return CheckResult.PASSED


check = LogBucketTamperDeny()
