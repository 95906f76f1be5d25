"""Trust policies of the member accounts' privileged roles (issue 24.1). Pure Python (no cdktf).

- The access role (OrganizationAccountAccessRole by default) is what every
  member-account stack deploys through and what the guardrails exempt, so
  only the landing zone's deployment role in the management account may
  assume it: the account is the principal and `aws:PrincipalArn` names the
  role (a condition on the caller, as AWS recommends for a role's trust in
  another account's role, because the role may be deleted and re-created).
- The break-glass role is the emergency way in, bound by the guardrails (it
  is not exempt): named management-account principals, with MFA signed in
  within the hour, and every use raises an alert (guardrails/alerts.py).
"""

from __future__ import annotations

BREAK_GLASS_PURPOSE = "break-glass"
MFA_MAX_AGE_SECONDS = 3600


def default_break_glass_principals(management_account_id: str) -> list[str]:
    """IAM users under the path /break-glass/ of the management account."""
    return [f"arn:aws:iam::{management_account_id}:user/break-glass/*"]


def access_role_trust(management_account_id: str, deployment_role_name: str) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DeploymentRoleOnly",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{management_account_id}:root"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "ArnEquals": {"aws:PrincipalArn": f"arn:aws:iam::{management_account_id}:role/{deployment_role_name}"}
                },
            }
        ],
    }


def break_glass_trust(management_account_id: str, principals: list[str]) -> dict:
    return mfa_trust("BreakGlassWithMfa", management_account_id, principals)


def mfa_trust(sid: str, management_account_id: str, principals: list[str]) -> dict:
    """Named management-account principals (default: IAM users under /break-glass/), MFA signed in within the hour."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": sid,
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{management_account_id}:root"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "ArnLike": {"aws:PrincipalArn": principals or default_break_glass_principals(management_account_id)},
                    "Bool": {"aws:MultiFactorAuthPresent": "true"},
                    "NumericLessThan": {"aws:MultiFactorAuthAge": str(MFA_MAX_AGE_SECONDS)},
                },
            }
        ],
    }
