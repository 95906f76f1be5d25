"""EventBridge alert rules on tampering (issue 24.5): the event patterns, as data. Pure Python (no cdktf).

Each alert matches the CloudTrail-shaped events EventBridge puts on an
account's default bus ("AWS API Call via CloudTrail", "AWS Console Sign In
via CloudTrail"). Global services (Organizations, IAM, STS's global
endpoint, console sign-in) deliver their events to us-east-1, so the stacks
forward those from us-east-1 to the home region, where the rules send to the
notifications topic.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

API_CALL = "AWS API Call via CloudTrail"
SIGN_IN = "AWS Console Sign In via CloudTrail"
GLOBAL_EVENTS_REGION = "us-east-1"


@dataclass(frozen=True)
class Alert:
    key: str
    """Stable key: rule name suffix and construct id."""
    description: str
    pattern: dict

    @property
    def pattern_json(self) -> str:
        return json.dumps(self.pattern, separators=(",", ":"), sort_keys=True)


def _api_calls(source: str, names: list[str], **detail) -> dict:
    return {"source": [source], "detail-type": [API_CALL], "detail": {"eventName": names, **detail}}


def alerts(*, access_role_name: str, break_glass_role_name: str | None = None) -> tuple[Alert, ...]:
    """The alert rules of one account. `access_role_name`: the role the landing zone deploys member
    accounts through; `break_glass_role_name`: the MFA-only emergency role, when there is one."""
    roles = [access_role_name] + ([break_glass_role_name] if break_glass_role_name else [])
    return (
        Alert(
            "trail_tampering",
            "A CloudTrail trail was stopped, deleted or changed",
            _api_calls("aws.cloudtrail", ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors"]),
        ),
        Alert(
            "root_sign_in",
            "The root user signed in or called an API",
            {
                "detail-type": [SIGN_IN, API_CALL],
                "detail": {"userIdentity": {"type": ["Root"]}},
            },
        ),
        Alert(
            "scp_changes",
            "A service control policy was detached, changed or deleted, or a policy type disabled",
            _api_calls("aws.organizations", ["DetachPolicy", "UpdatePolicy", "DeletePolicy", "DisablePolicyType"]),
        ),
        Alert(
            "key_changes",
            "A KMS key of this account was disabled, scheduled for deletion, re-policied or lost its rotation or alias",
            _api_calls(
                "aws.kms",
                [
                    "DisableKey",
                    "ScheduleKeyDeletion",
                    "PutKeyPolicy",
                    "DisableKeyRotation",
                    "DeleteAlias",
                    "UpdateAlias",
                    "DeleteImportedKeyMaterial",
                ],
            ),
        ),
        Alert(
            "privileged_role_assumed",
            "The landing zone's access role or the break-glass role was assumed",
            _api_calls(
                "aws.sts",
                ["AssumeRole"],
                requestParameters={"roleArn": [{"wildcard": f"arn:aws:iam::*:role/{name}"} for name in roles]},
            ),
        ),
    )
