"""The `organization`, `organizational_units`, `accounts` and `core` sections."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field

from .base import AccountId, ContactEmail, ContactPhone, IamPrincipalArn, StrictModel, Tags
from .default_vpcs import DefaultVpcs

# Policy types of provider 5.100.0's aws_organizations_organization.enabled_policy_types, SCPs aside.
PolicyType = Literal[
    "TAG_POLICY",
    "BACKUP_POLICY",
    "AISERVICES_OPT_OUT_POLICY",
    "CHATBOT_POLICY",
    "DECLARATIVE_POLICY_EC2",
    "RESOURCE_CONTROL_POLICY",
]


class ManagementAccount(StrictModel):
    """The organization's management (payer) account."""

    name: str = Field("management", description="Display name of the management account (default 'management').")
    email: str = Field(description="Root email of the management account.")
    id: Optional[AccountId] = Field(
        None, description="12-digit account id, quoted; omitted: read from the credentials at deploy time."
    )


class Organization(StrictModel):
    """The organization as a whole."""

    name: str = Field(description="Short name of the organization, used in resource names and tags.")
    home_region: str = Field(description="Region where the landing zone's global resources live; must be governed.")
    governed_regions: list[str] = Field(description="Regions the landing zone governs (logging, Config, security services).")
    management_account: ManagementAccount = Field(description="The management account.")
    access_role_name: str = Field(
        "OrganizationAccountAccessRole",
        description="Role assumed in member accounts (default OrganizationAccountAccessRole; "
        "AWSControlTowerExecution when adopting a Control Tower organization).",
    )
    deployment_role_name: str = Field(
        "LandingZoneDeployment",
        description="Name of the role that deploys the management stacks; with access_role_name, the only principals the mandatory guardrails exempt (default LandingZoneDeployment).",
    )
    manage_access_role: bool = Field(
        True,
        description="Each member account's stack takes over its access role's trust (imported on real AWS): only the deployment role in the management account may assume it (default true; turn off when adopting accounts whose access role another tool owns, such as AWSControlTowerExecution).",
    )
    break_glass_principals: list[str] = Field(
        default_factory=list,
        description="Management-account principals (ARNs, wildcards allowed) that may assume the MFA-only break-glass role in every member account (default: IAM users under the path /break-glass/).",
    )
    tags: Tags = Field(description="Tags applied to every resource through the providers' default_tags (default none).")
    support_role: SupportRole = Field(
        default_factory=lambda: SupportRole(),
        description="An IAM role with AWSSupportAccess in every account (CIS 1.17) where Identity Center's support "
        "permission set does not give it (default: created when there is no identity section or its preset is none).",
    )
    root_access: RootAccess = Field(
        default_factory=lambda: RootAccess(),
        description="Centralized root access for member accounts (default: root credentials management and root sessions on).",
    )
    alternate_contacts: Optional[AlternateContacts] = Field(
        None,
        description="Default security, billing and operations contacts of every account; an account's own "
        "alternate_contacts replace them per type (default none).",
    )
    management_policies: ManagementPolicies = Field(
        default_factory=lambda: ManagementPolicies(),
        description="AI services opt-out and tag policies attached at the root (default: both on).",
    )
    default_vpcs: DefaultVpcs = Field(
        default_factory=lambda: DefaultVpcs(),
        description="What happens to the default VPC of every governed region in each account: delete, lock or "
        "keep, per OU or account (default: delete everywhere).",
    )
    policy_types: list[PolicyType] = Field(
        default_factory=list,
        description="Organization policy types to enable besides SCPs, which are always on "
        "(for example TAG_POLICY, BACKUP_POLICY; default none).",
    )


class SupportRole(StrictModel):
    """An IAM role with AWSSupportAccess in every account, the management account included (CIS 1.17)."""

    create: Literal["auto", "always", "never"] = Field(
        "auto",
        description="'auto' creates it where Identity Center's control_tower preset does not give AWSSupportAccess "
        "(no identity section, or preset: none); 'always' and 'never' decide regardless (default auto).",
    )
    principals: list[IamPrincipalArn] = Field(
        default_factory=list,
        description="Management-account principals (ARNs, wildcards allowed) that may assume it, with MFA signed in "
        "within the hour (default: organization.break_glass_principals, else IAM users under the path /break-glass/).",
    )


class RootAccess(StrictModel):
    """Centralized root access (IAM): the management account, not each member, holds root power."""

    credentials_management: bool = Field(
        True,
        description="Member accounts have no root password, access keys or MFA of their own; the management "
        "account audits and removes them (RootCredentialsManagement; default true).",
    )
    sessions: bool = Field(
        True,
        description="The management account opens short root sessions in a member account for the few tasks "
        "that need root (RootSessions; default true).",
    )


class ManagementPolicies(StrictModel):
    """Organization management policies attached at the root."""

    ai_services_opt_out: bool = Field(
        True,
        description="Opt every account out of AI services storing or using its content to improve them "
        "(AISERVICES_OPT_OUT_POLICY; default true).",
    )
    tag_policy: bool = Field(
        True,
        description="A tag policy with every tag key the environment requires (organization.tags and the "
        "account factory's required_tags), so their case is enforced (TAG_POLICY; default true).",
    )
    data_perimeter: bool = Field(
        False,
        description="A resource control policy at the root (RESOURCE_CONTROL_POLICY) forming a data perimeter: S3, "
        "SQS, KMS, Secrets Manager and STS resources admit only principals of this organization and AWS services "
        "acting for it, and only over TLS (default false: RCPs also bind third parties the organization's "
        "resources trust, so review those first).",
    )


class OrganizationalUnit(StrictModel):
    """One OU, identified by its path from the root such as `Workloads/Prod`."""

    path: str = Field(description="OU path from the root, parts separated by '/'; the parent must be defined too.")
    description: str = Field("", description="What the OU holds (default empty).")
    tags: Tags = Field(description="Tags on the OU (default none).")


class Contact(StrictModel):
    """An alternate contact of an account."""

    name: str = Field(min_length=1, max_length=64, description="Contact name (1-64 characters).")
    title: str = Field(min_length=1, max_length=50, description="Contact title (1-50 characters).")
    email: ContactEmail = Field(description="Contact email (name@domain.tld).")
    phone: ContactPhone = Field(description="Contact phone number, quoted (digits, spaces, parentheses, + and -).")


class AlternateContacts(StrictModel):
    """Alternate contacts of an account (each optional); an account's own replace the organization's per type."""

    security: Optional[Contact] = Field(None, description="Security contact (default none).")
    billing: Optional[Contact] = Field(None, description="Billing contact (default none).")
    operations: Optional[Contact] = Field(None, description="Operations contact (default none).")


class Account(StrictModel):
    """A member account, created by the landing zone or adopted by id."""

    name: str = Field(description="Account name, unique in the organization (case-insensitive).")
    email: str = Field(description="Root email, unique in the organization (case-insensitive).")
    ou: str = Field(description="Path of the OU the account sits in, such as 'Workloads/Prod'.")
    tags: Tags = Field(description="Tags on the account (default none).")
    id: Optional[AccountId] = Field(
        None, description="Existing 12-digit account id to adopt, quoted (default: the account is created)."
    )
    alternate_contacts: Optional[AlternateContacts] = Field(None, description="Alternate contacts (default none).")
    iam_user_access_to_billing: bool = Field(True, description="Let IAM users reach billing (default true).")
    close_on_deletion: bool = Field(
        False,
        description="Close the account if it is ever removed from the config (default false: it is only removed from the organization, and prevent_destroy blocks even that).",
    )


class Core(StrictModel):
    """The core (Security) OU and its two shared accounts."""

    security_ou: str = Field("Security", description="Path of the core OU (default 'Security').")
    log_archive_account: str = Field("log-archive", description="Name of the log archive account (default 'log-archive').")
    audit_account: str = Field("audit", description="Name of the audit (security tooling) account (default 'audit').")


Organization.model_rebuild()
