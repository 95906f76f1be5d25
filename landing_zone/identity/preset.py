"""The Control Tower preset: the groups, permission sets and assignments AWS
Control Tower sets up in IAM Identity Center when it creates a landing zone
(Control Tower user guide, "IAM Identity Center groups for AWS Control Tower").

Data, not code: `identity.preset: none` switches all of it off. Assignments
name the core accounts from the environment (`core.*`, the management
account's name); `root` targets every member account, so accounts added to
any OU later get the auditors' access on the next deploy, as in Control Tower.
"""

from __future__ import annotations

from ..config.models import Assignment, Environment, IdentityGroup, PermissionSet
from ..config.models.identity import ROOT_TARGET

PRESET = "control_tower"

# name -> (AWS managed policy, description); Control Tower's sessions last one hour.
PERMISSION_SETS: dict[str, tuple[str, str]] = {
    "AWSAdministratorAccess": ("AdministratorAccess", "Provides full access to AWS services and resources"),
    "AWSPowerUserAccess": (
        "PowerUserAccess",
        "Provides full access to AWS services and resources, but does not allow management of users and groups",
    ),
    "AWSReadOnlyAccess": (
        "job-function/ViewOnlyAccess",
        "This policy grants permissions to view resources and basic metadata across all AWS services",
    ),
    "AWSOrganizationsFullAccess": ("AWSOrganizationsFullAccess", "Provides full access to AWS Organizations"),
    "AWSServiceCatalogAdminFullAccess": (
        "AWSServiceCatalogAdminFullAccess",
        "Provides full access to AWS Service Catalog admin capabilities",
    ),
    "AWSServiceCatalogEndUserAccess": (
        "AWSServiceCatalogEndUserFullAccess",
        "Provides access to the AWS Service Catalog end user console",
    ),
    # Not Control Tower's: CIS 1.17 asks for a role that manages incidents with AWS Support in every account.
    "AWSSupportAccess": ("AWSSupportAccess", "Open and manage cases with AWS Support"),
}

SUPPORT_GROUP = "AWSSupportUsers"
"""The preset's support group (identity.support_group names another)."""
PLATFORM_ADMINS = "AWSControlTowerAdmins"
"""The only group the preset gives broad access (AdministratorAccess, PowerUserAccess) in the management account."""
BROAD_POLICIES = frozenset({"AdministratorAccess", "PowerUserAccess"})
"""AWS managed policies that reach every member account from the management account (through its access role)."""

GROUPS: dict[str, str] = {
    "AWSAccountFactory": "Read-only access to account factory in AWS Service Catalog for end users",
    "AWSAuditAccountAdmins": "Admin rights to cross-account audit account",
    "AWSControlTowerAdmins": "Admin rights to AWS Control Tower core and provisioned accounts",
    "AWSLogArchiveAdmins": "Admin rights to log archive account",
    "AWSLogArchiveViewers": "Read-only access to log archive account",
    "AWSSecurityAuditors": "Read-only access to all accounts for security audits",
    "AWSSecurityAuditPowerUsers": "Power user access to all accounts for security audits",
    "AWSServiceCatalogAdmins": "Admin rights to account factory in AWS Service Catalog",
    SUPPORT_GROUP: "Open and manage AWS Support cases in every account (CIS 1.17)",
}

# Symbolic account roles, resolved per environment.
MANAGEMENT, LOG_ARCHIVE, AUDIT, MEMBERS = "<management>", "<log-archive>", "<audit>", "<members>"

# (assignment name, group, permission set, targets)
ASSIGNMENTS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("control-tower-account-factory", "AWSAccountFactory", "AWSServiceCatalogEndUserAccess", (MANAGEMENT,)),
    ("control-tower-service-catalog-admins", "AWSServiceCatalogAdmins", "AWSServiceCatalogAdminFullAccess", (MANAGEMENT,)),
    ("control-tower-admins", "AWSControlTowerAdmins", "AWSAdministratorAccess", (MANAGEMENT, LOG_ARCHIVE, AUDIT)),
    ("control-tower-admins-organizations", "AWSControlTowerAdmins", "AWSOrganizationsFullAccess", (MEMBERS,)),
    ("control-tower-audit-account-admins", "AWSAuditAccountAdmins", "AWSAdministratorAccess", (AUDIT,)),
    ("control-tower-log-archive-admins", "AWSLogArchiveAdmins", "AWSAdministratorAccess", (LOG_ARCHIVE,)),
    ("control-tower-log-archive-viewers", "AWSLogArchiveViewers", "AWSReadOnlyAccess", (LOG_ARCHIVE,)),
    ("control-tower-security-auditors", "AWSSecurityAuditors", "AWSReadOnlyAccess", (MANAGEMENT, MEMBERS)),
    # Member accounts only: PowerUserAccess allows sts:AssumeRole, and in the management account that reaches every
    # member's access role, which no guardrail binds (issue 24). Only the platform administrators hold broad
    # access there.
    ("control-tower-security-audit-power-users", "AWSSecurityAuditPowerUsers", "AWSPowerUserAccess", (MEMBERS,)),
    ("support", SUPPORT_GROUP, "AWSSupportAccess", (MANAGEMENT, MEMBERS)),
)


def preset_groups(env: Environment | None = None) -> list[IdentityGroup]:
    """The preset's groups; the support group only when identity.support_group is the preset's."""
    support = support_group(env)
    return [
        IdentityGroup(name=name, description=description)
        for name, description in GROUPS.items()
        if name != SUPPORT_GROUP or support == SUPPORT_GROUP
    ]


def support_group(env: Environment | None) -> str:
    identity = env.identity if env is not None else None
    return identity.support_group if identity is not None else SUPPORT_GROUP


def preset_permission_sets() -> list[PermissionSet]:
    return [
        PermissionSet(name=name, description=description, session_duration="PT1H", managed_policies=[policy])
        for name, (policy, description) in PERMISSION_SETS.items()
    ]


def preset_assignments(env: Environment) -> list[Assignment]:
    names = {
        MANAGEMENT: env.organization.management_account.name,
        LOG_ARCHIVE: env.core.log_archive_account,
        AUDIT: env.core.audit_account,
    }
    out = []
    for name, group, permission_set, targets in ASSIGNMENTS:
        if group == SUPPORT_GROUP:
            group = support_group(env)
        accounts = [names[t] for t in targets if t in names]
        ous = [ROOT_TARGET] if MEMBERS in targets else []
        out.append(Assignment(name=name, group=group, permission_set=permission_set, accounts=accounts, ous=ous))
    return out
