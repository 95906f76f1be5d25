"""The account factory's CI/CD deploy roles (issue 24.3): trust, generated policy and permissions boundary.

Pure Python (no cdktf): `constructs/account_extras.py` renders these dicts and
the unit tests evaluate them.

- **Trust:** web identity from the account's OIDC provider with `StringEquals`
  on exactly one audience and one subject: the GitHub deployment environment
  (`repo:OWNER/NAME:environment:ENV`, whose required reviewers AWS cannot see
  but GitHub enforces) when one is named, else the branch.
- **Policy:** every action of the listed services, and IAM role management
  only for roles that carry this boundary (`iam:PermissionsBoundary`), so
  whatever the role creates is held by the same boundary.
- **Boundary:** the same allowances, and denies that no attached policy can
  lift: removing or editing the boundary, roles without it, IAM users, keys
  and identity providers (escalation), the landing zone's roles and resources,
  turning off its services (trail, Config, GuardDuty, Security Hub, account
  public access block, EBS encryption), leaving the organization, and sharing
  data out (snapshot and image sharing, key policies).
- **Names:** the role's name is one of the names the mandatory role guardrail
  protects (naming.LandingZoneNames.protected_role_names), so no member
  admin can change its trust or policies; the boundary is named with the
  landing zone's prefix, protected the same way.
"""

from __future__ import annotations

from typing import Any, Iterable

from ..naming import LandingZoneNames, bounded, slug

BROAD_MANAGED_POLICIES = frozenset({"AdministratorAccess", "PowerUserAccess", "IAMFullAccess"})
"""AWS managed policies too broad for a CI/CD role (lz validate warns)."""

FORBIDDEN_SERVICES = frozenset({"iam", "organizations", "account", "sts", "sso", "identitystore", "cloudtrail", "config"})
"""Service prefixes a deploy role's `services` may not list: IAM is granted only under the boundary, the rest are
the landing zone's."""

ROLE_CHANGES = (
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PassRole",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:TagRole",
    "iam:UntagRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole",
    "iam:UpdateRoleDescription",
)
BOUNDED_ROLE_ACTIONS = (
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
)
"""Role changes that carry the `iam:PermissionsBoundary` condition key: allowed only with this boundary."""
ROLE_UPKEEP = (
    "iam:DeleteRole",
    "iam:GetRole",
    "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies",
    "iam:ListInstanceProfilesForRole",
    "iam:ListRolePolicies",
    "iam:PassRole",
    "iam:TagRole",
    "iam:UntagRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRoleDescription",
)
POLICY_READS = ("iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions", "sts:GetCallerIdentity")
ESCALATION = (
    "iam:AddClientIDToOpenIDConnectProvider",
    "iam:AddUserToGroup",
    "iam:AttachGroupPolicy",
    "iam:AttachUserPolicy",
    "iam:CreateAccessKey",
    "iam:CreateGroup",
    "iam:CreateLoginProfile",
    "iam:CreateOpenIDConnectProvider",
    "iam:CreateSAMLProvider",
    "iam:CreateServiceSpecificCredential",
    "iam:CreateUser",
    "iam:PutGroupPolicy",
    "iam:PutUserPermissionsBoundary",
    "iam:PutUserPolicy",
    "iam:UpdateLoginProfile",
    "iam:UpdateOpenIDConnectProviderThumbprint",
    "iam:UpdateSAMLProvider",
    "iam:UploadSSHPublicKey",
)
BOUNDARY_CHANGES = ("iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion")
LANDING_ZONE_SERVICES = (
    "cloudtrail:DeleteTrail",
    "cloudtrail:PutEventSelectors",
    "cloudtrail:StopLogging",
    "cloudtrail:UpdateTrail",
    "config:DeleteConfigurationRecorder",
    "config:DeleteDeliveryChannel",
    "config:PutConfigurationRecorder",
    "config:PutDeliveryChannel",
    "config:StopConfigurationRecorder",
    "ec2:DisableEbsEncryptionByDefault",
    "ec2:ModifyInstanceMetadataDefaults",
    "guardduty:DeleteDetector",
    "guardduty:DisassociateFromAdministratorAccount",
    "guardduty:UpdateDetector",
    "organizations:LeaveOrganization",
    "s3:PutAccountPublicAccessBlock",
    "securityhub:DisableSecurityHub",
    "securityhub:DisassociateFromAdministratorAccount",
)
DATA_SHARING = (
    "ec2:ModifyImageAttribute",
    "ec2:ModifySnapshotAttribute",
    "kms:PutKeyPolicy",
    "rds:ModifyDBClusterSnapshotAttribute",
    "rds:ModifyDBSnapshotAttribute",
)
"""Sharing snapshots and images with other accounts, and rewriting key policies."""
RESERVED_ROLE_ARNS = ("arn:aws:iam::*:role/aws-reserved/*", "arn:aws:iam::*:role/aws-service-role/*")


def deploy_subject(repository: str, branch: str, environment: str | None) -> str:
    """The one token subject trusted: the GitHub deployment environment when named, else the branch."""
    if environment:
        return f"repo:{repository}:environment:{environment}"
    return f"repo:{repository}:ref:refs/heads/{branch}"


def boundary_name(names: LandingZoneNames, role_name: str) -> str:
    """The deploy role's permissions boundary: `<org>-lz-deploy-boundary-<role>` (protected by the prefix)."""
    return bounded(f"{names.prefix}deploy-boundary-{slug(role_name)}", 128)


def deploy_trust_policy(provider_arn: str, host: str, audience: str, subject: str) -> dict[str, Any]:
    """Web identity from `provider_arn`, exactly this audience and this subject (no wildcards)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": provider_arn},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {"StringEquals": {f"{host}:aud": audience, f"{host}:sub": subject}},
            }
        ],
    }


def _allowances(services: Iterable[str], role_condition: dict[str, Any] | None) -> list[dict[str, Any]]:
    bounded_roles: dict[str, Any] = {
        "Sid": "RolesWithTheBoundary",
        "Effect": "Allow",
        "Action": list(BOUNDED_ROLE_ACTIONS),
        "Resource": "arn:aws:iam::*:role/*",
    }
    if role_condition:
        bounded_roles["Condition"] = role_condition
    return [
        {"Sid": "Services", "Effect": "Allow", "Action": [f"{s}:*" for s in sorted(set(services))], "Resource": "*"},
        bounded_roles,
        {"Sid": "RoleUpkeep", "Effect": "Allow", "Action": list(ROLE_UPKEEP), "Resource": "arn:aws:iam::*:role/*"},
        {"Sid": "Reads", "Effect": "Allow", "Action": list(POLICY_READS), "Resource": "*"},
    ]


def deploy_policy(services: Iterable[str], boundary_arn: str) -> dict[str, Any]:
    """The role's own policy: the services, and IAM roles only when they carry `boundary_arn`."""
    condition = {"StringEquals": {"iam:PermissionsBoundary": boundary_arn}}
    return {"Version": "2012-10-17", "Statement": _allowances(services, condition)}


def deploy_boundary(services: Iterable[str], names: LandingZoneNames, role_name: str) -> dict[str, Any]:
    """The permissions boundary of the deploy role and of every role it creates."""
    own = f"arn:aws:iam::*:policy/{boundary_name(names, role_name)}"
    protected_roles = sorted({*names.role_arns, f"arn:aws:iam::*:role/{role_name}", *RESERVED_ROLE_ARNS})
    landing_zone_resources = [
        *names.trail_arns,
        *names.log_bucket_arns,
        *(f"{arn}/*" for arn in names.log_bucket_arns),
        *names.log_group_arns,
        *names.event_rule_arns,
        *names.function_arns,
        *names.topic_arns,
        f"arn:aws:iam::*:policy/{names.prefix}*",
    ]
    denies: list[dict[str, Any]] = [
        {"Sid": "DenyBoundaryChanges", "Effect": "Deny", "Action": list(BOUNDARY_CHANGES), "Resource": own},
        {"Sid": "DenyBoundaryRemoval", "Effect": "Deny", "Action": "iam:DeleteRolePermissionsBoundary", "Resource": "*"},
        {
            "Sid": "DenyRolesWithoutThisBoundary",
            "Effect": "Deny",
            "Action": ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
            "Resource": "*",
            "Condition": {"StringNotLike": {"iam:PermissionsBoundary": own}},
        },
        {"Sid": "DenyEscalation", "Effect": "Deny", "Action": list(ESCALATION), "Resource": "*"},
        {"Sid": "DenyProtectedRoles", "Effect": "Deny", "Action": list(ROLE_CHANGES), "Resource": protected_roles},
        {"Sid": "DenyLandingZoneResources", "Effect": "Deny", "Action": "*", "Resource": landing_zone_resources},
        {"Sid": "DenyLandingZoneServices", "Effect": "Deny", "Action": list(LANDING_ZONE_SERVICES), "Resource": "*"},
        {"Sid": "DenyDataSharing", "Effect": "Deny", "Action": list(DATA_SHARING), "Resource": "*"},
    ]
    return {"Version": "2012-10-17", "Statement": [*_allowances(services, None), *denies]}


def broad_policies(managed_policies: Iterable[str]) -> list[str]:
    """The attached AWS managed policies (names or ARNs) too broad for a CI/CD role."""
    return [p for p in managed_policies if p.rsplit("/", 1)[-1] in BROAD_MANAGED_POLICIES]
