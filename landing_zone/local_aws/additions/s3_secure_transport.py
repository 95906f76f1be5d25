"""S3: bucket policies that deny plain HTTP.

moto 5.2 evaluates a bucket policy's statements without their conditions, so
the landing zone's `DenyInsecureTransport` statement (Deny s3:* when
`aws:SecureTransport` is false) refuses every object upload, even ones AWS
would accept over TLS. The local API stands in for AWS's TLS endpoints, so a
Deny whose only condition is `aws:SecureTransport = false` is left out of the
evaluation; every other statement is evaluated as moto does.
"""

from __future__ import annotations

import json


def _insecure_transport_only(statement: dict) -> bool:
    condition = statement.get("Condition") or {}
    return (
        statement.get("Effect") == "Deny"
        and list(condition) == ["Bool"]
        and {k.lower(): str(v).lower() for k, v in condition["Bool"].items()} == {"aws:securetransport": "false"}
    )


def install() -> None:
    from moto.s3.models import FakeBucket

    if getattr(FakeBucket, "_lz_secure_transport", False):
        return
    original = FakeBucket.get_permission

    def get_permission(self, action: str, resource: str):
        if self.policy is None:
            return original(self, action, resource)
        document = json.loads(self.policy.decode())
        statements = document.get("Statement", [])
        statements = [statements] if isinstance(statements, dict) else statements
        kept = [s for s in statements if not _insecure_transport_only(s)]
        if len(kept) == len(statements):
            return original(self, action, resource)
        saved = self.policy
        try:
            self.policy = json.dumps({**document, "Statement": kept}).encode() if kept else None
            return original(self, action, resource)
        finally:
            self.policy = saved

    FakeBucket.get_permission = get_permission  # type: ignore[method-assign]  # patches moto's class at run time
    FakeBucket._lz_secure_transport = True  # type: ignore[attr-defined]  # marks moto's patched class so it is patched once
