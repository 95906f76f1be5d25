"""The `identity:` section: IAM Identity Center groups, permission sets and assignments."""

from __future__ import annotations

from typing import Any, Literal, Optional, Union

from pydantic import Field

from .base import StrictModel, Tags

ROOT_TARGET = "root"
"""In `ous:` and `exclude_ous:`, every member account of the organization (all OUs)."""


class IdentityGroup(StrictModel):
    """A group of people; created in Identity Center, or looked up by display name when the source is external."""

    name: str = Field(description="Display name of the group, unique (case-insensitive).")
    description: str = Field("", description="What the group is for (default empty; ignored for external groups).")


class CustomerManagedPolicyRef(StrictModel):
    """An IAM policy that must exist, with this name and path, in every account the permission set is assigned to."""

    name: str = Field(description="Policy name in the target accounts.")
    path: str = Field("/", description="Policy path (default '/').")


class PermissionsBoundary(StrictModel):
    """The permissions boundary of a permission set: exactly one of the two."""

    managed_policy: Optional[str] = Field(
        None, description="AWS managed policy name (such as 'PowerUserAccess') or ARN (default none)."
    )
    customer_managed_policy: Optional[CustomerManagedPolicyRef] = Field(
        None, description="Customer managed policy in the target accounts (default none)."
    )


class PermissionSet(StrictModel):
    """A permission set: the role Identity Center creates in every account it is assigned to."""

    name: str = Field(
        description="Permission set name: 1-32 characters of letters, digits and +=,.@_-; unique (case-insensitive)."
    )
    description: str = Field("", description="What the permission set allows (default empty; at most 700 characters).")
    session_duration: str = Field(
        "PT1H", description="Session length as ISO 8601, such as PT1H or PT8H30M: 1 to 12 hours (default PT1H)."
    )
    managed_policies: list[str] = Field(
        default_factory=list,
        description="AWS managed policies by name (such as 'ReadOnlyAccess', 'job-function/ViewOnlyAccess') or ARN (default none).",
    )
    customer_managed_policies: list[CustomerManagedPolicyRef] = Field(
        default_factory=list,
        description="Customer managed policies by name and path, which must exist in each target account (default none).",
    )
    inline_policy: Optional[Union[dict[str, Any], str]] = Field(
        None,
        description="Inline IAM policy: a mapping or a JSON string; at most limits.inline_policy_size characters once minified (default none).",
    )
    allow_admin_reason: Optional[str] = Field(
        None,
        description="Why the inline policy may grant every action on every resource ('*' on '*'); without it that is an error (default none).",
    )
    permissions_boundary: Optional[PermissionsBoundary] = Field(None, description="Permissions boundary (default none).")
    relay_state: Optional[str] = Field(
        None,
        description="URL the console opens after sign-in, such as https://console.aws.amazon.com/ec2/ (default: the console home).",
    )
    tags: Tags = Field(default_factory=dict, description="Tags on the permission set (default none).")


class Assignment(StrictModel):
    """Gives a group a permission set in a set of accounts."""

    name: str = Field(description="Name of the assignment, unique; `lz access` shows it as the reason for each access.")
    group: str = Field(description="Group name (defined in identity.groups or by the preset).")
    permission_set: str = Field(description="Permission set name (defined in identity.permission_sets or by the preset).")
    ous: list[str] = Field(
        default_factory=list,
        description="OU paths: every account in each OU and below it, now and later ('root' for every member account) (default none).",
    )
    accounts: list[str] = Field(
        default_factory=list, description="Account names, the management account included (default none)."
    )
    exclude_ous: list[str] = Field(
        default_factory=list, description="OU paths whose accounts (and those below) are left out (default none)."
    )
    exclude_accounts: list[str] = Field(default_factory=list, description="Account names left out (default none).")


class IdentityUser(StrictModel):
    """A person in the Identity Center directory (only with `source: identity_center`; an external IdP owns its users through SCIM)."""

    user_name: str = Field(
        description="Sign-in name, unique (case-insensitive); 1-128 characters of letters, digits and +=,.@_-."
    )
    display_name: str = Field(description="Name shown in the access portal and the console.")
    given_name: str = Field(description="Given (first) name.")
    family_name: str = Field(description="Family (last) name.")
    email: str = Field(description="Work email address, unique (case-insensitive); Identity Center sends the invitation here.")
    groups: list[str] = Field(
        default_factory=list,
        description="Groups the user belongs to (defined in identity.groups or by the preset) (default none).",
    )


class Identity(StrictModel):
    """IAM Identity Center: where people come from, what they may do, and where."""

    source: Literal["identity_center", "external"] = Field(
        "identity_center",
        description="Identity source: 'identity_center' (groups are created here) or 'external' (Active Directory, Okta, Entra ID through SCIM: groups are looked up by display name, never created) (default identity_center).",
    )
    preset: Literal["control_tower", "none"] = Field(
        "control_tower",
        description="'control_tower' adds Control Tower's groups, permission sets and assignments; 'none' switches them off (default control_tower).",
    )
    support_group: str = Field(
        "AWSSupportUsers",
        description="Group the control_tower preset gives AWSSupportAccess in every account, the management account included (CIS 1.17); the preset creates AWSSupportUsers, another name must be a group of identity.groups or, with an external source, of the directory (default AWSSupportUsers).",
    )
    access_control_attributes: dict[str, str] = Field(
        default_factory=dict,
        description="Attributes for access control (ABAC): session tag key -> the user attribute it comes from, such as "
        "team: ${path:enterprise.department}; needed by every permission set that reads aws:PrincipalTag/<key> "
        "(lz validate warns on one without) (default none).",
    )
    delegated_admin_account: Optional[str] = Field(
        None,
        description="Member account registered as Identity Center's delegated administrator (default none: the management account administers it).",
    )
    groups: list[IdentityGroup] = Field(default_factory=list, description="Groups besides the preset's (default none).")
    permission_sets: list[PermissionSet] = Field(
        default_factory=list, description="Permission sets besides the preset's (default none)."
    )
    assignments: list[Assignment] = Field(default_factory=list, description="Assignments besides the preset's (default none).")
    users: list[IdentityUser] = Field(
        default_factory=list,
        description="End users created in the Identity Center directory, with their group memberships; refused with `source: external`, where the IdP provisions users through SCIM (default none).",
    )
