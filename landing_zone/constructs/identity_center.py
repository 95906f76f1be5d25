"""IAM Identity Center: groups, permission sets and account assignments.

The instance comes from `data.aws_ssoadmin_instances` (Identity Center is
enabled once, by hand or by Control Tower; there is no API to create the
organization instance). Groups are created in the Identity Center directory,
or, with an external identity source (Active Directory, Okta, Entra ID via
SCIM), looked up by display name and never created. Every permission set
gets its managed and customer managed policies, inline policy, permissions
boundary, relay state, session duration and tags; each assignment gives a
group a permission set in one account.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Mapping, Optional

from cdktf import Fn, ITerraformDependable
from cdktf_cdktf_provider_aws.data_aws_identitystore_group import (
    DataAwsIdentitystoreGroup,
    DataAwsIdentitystoreGroupAlternateIdentifier,
    DataAwsIdentitystoreGroupAlternateIdentifierUniqueAttribute,
)
from cdktf_cdktf_provider_aws.data_aws_ssoadmin_instances import DataAwsSsoadminInstances
from cdktf_cdktf_provider_aws.identitystore_group import IdentitystoreGroup
from cdktf_cdktf_provider_aws.identitystore_group_membership import IdentitystoreGroupMembership
from cdktf_cdktf_provider_aws.identitystore_user import IdentitystoreUser, IdentitystoreUserEmails, IdentitystoreUserName
from cdktf_cdktf_provider_aws.organizations_delegated_administrator import OrganizationsDelegatedAdministrator
from cdktf_cdktf_provider_aws.ssoadmin_account_assignment import SsoadminAccountAssignment
from cdktf_cdktf_provider_aws.ssoadmin_customer_managed_policy_attachment import (
    SsoadminCustomerManagedPolicyAttachment,
    SsoadminCustomerManagedPolicyAttachmentCustomerManagedPolicyReference,
)
from cdktf_cdktf_provider_aws.ssoadmin_instance_access_control_attributes import (
    SsoadminInstanceAccessControlAttributes,
    SsoadminInstanceAccessControlAttributesAttribute,
    SsoadminInstanceAccessControlAttributesAttributeValue,
)
from cdktf_cdktf_provider_aws.ssoadmin_managed_policy_attachment import SsoadminManagedPolicyAttachment
from cdktf_cdktf_provider_aws.ssoadmin_permission_set import SsoadminPermissionSet
from cdktf_cdktf_provider_aws.ssoadmin_permission_set_inline_policy import SsoadminPermissionSetInlinePolicy
from cdktf_cdktf_provider_aws.ssoadmin_permissions_boundary_attachment import (
    SsoadminPermissionsBoundaryAttachment,
    SsoadminPermissionsBoundaryAttachmentPermissionsBoundary,
    SsoadminPermissionsBoundaryAttachmentPermissionsBoundaryCustomerManagedPolicyReference,
)
from constructs import Construct

from .ids import logical_id

SSO_SERVICE_PRINCIPAL = "sso.amazonaws.com"


def terraform_literal(text: str) -> str:
    """`text` as a literal in terraform JSON: `${...}` and `%{...}` (IAM policy variables) are not interpolated."""
    return text.replace("${", "$${").replace("%{", "%%{")


@dataclass(frozen=True, kw_only=True)
class GroupSpec:
    """A group of people."""

    name: str
    """Display name, unique in the identity store."""
    description: str = ""
    """What the group is for (default empty; unused for external groups)."""


@dataclass(frozen=True, kw_only=True)
class PolicyRef:
    """A customer managed policy, by name and path, that exists in every target account."""

    name: str
    path: str = "/"
    """Policy path (default '/')."""


@dataclass(frozen=True, kw_only=True)
class PermissionSetSpec:
    """A permission set; the defaults grant nothing and keep sessions short."""

    name: str
    """Name, 1-32 characters."""
    description: str = ""
    """What it allows (default empty)."""
    session_duration: str = "PT1H"
    """ISO 8601 session length, 1-12 hours (default one hour)."""
    managed_policy_arns: tuple[str, ...] = ()
    """AWS managed policy ARNs (default none)."""
    customer_managed_policies: tuple[PolicyRef, ...] = ()
    """Customer managed policies by name and path (default none)."""
    inline_policy: Optional[str] = None
    """Inline policy as (minified) JSON, IAM policy variables written plainly (default none)."""
    boundary_managed_policy_arn: Optional[str] = None
    """Permissions boundary: an AWS managed policy ARN (default none)."""
    boundary_customer_managed_policy: Optional[PolicyRef] = None
    """Permissions boundary: a customer managed policy (default none; at most one of the two)."""
    relay_state: Optional[str] = None
    """URL opened after sign-in (default: the console home)."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags on the permission set (default none; the provider's default tags still apply)."""


@dataclass(frozen=True, kw_only=True)
class AssignmentSpec:
    """A group holds a permission set in one account (named as in `account_ids`)."""

    group: str
    permission_set: str
    account: str


@dataclass(frozen=True, kw_only=True)
class UserSpec:
    """An end user of the Identity Center directory and the groups it belongs to."""

    user_name: str
    """Sign-in name, unique in the identity store."""
    display_name: str
    given_name: str
    family_name: str
    email: str
    """Primary work email (Identity Center sends the invitation here)."""
    groups: tuple[str, ...] = ()
    """Group names, each added with `add_group` (default none)."""


@dataclass(frozen=True, kw_only=True)
class IdentityCenterProps:
    """What Identity Center holds; with nothing given, only the instance is read."""

    identity_source: Literal["identity_center", "external"] = "identity_center"
    """'identity_center' creates the groups; 'external' looks them up by display name (default identity_center)."""
    groups: tuple[GroupSpec, ...] = ()
    permission_sets: tuple[PermissionSetSpec, ...] = ()
    assignments: tuple[AssignmentSpec, ...] = ()
    users: tuple[UserSpec, ...] = ()
    """End users, only with the identity_center source (default none)."""
    account_ids: Mapping[str, str] = field(default_factory=dict)
    """Account id (or a reference to one) by account name, for every account an assignment names."""
    delegated_admin_account_id: Optional[str] = None
    """Register this account as Identity Center's delegated administrator (default none)."""
    delegated_admin_depends_on: tuple[ITerraformDependable, ...] = ()
    """What the registration waits for, such as the organization's trusted access (default nothing)."""
    access_control_attributes: tuple[tuple[str, str], ...] = ()
    """ABAC: (session tag key, user attribute source such as `${path:enterprise.department}`) (default none: no
    attributes for access control are configured)."""


class IdentityCenter(Construct):
    """Groups, permission sets and assignments in the organization's Identity Center instance.

    Attributes: `instance_arn`, `identity_store_id`, `group_ids` (name -> id),
    `permission_set_arns` (name -> ARN), `permission_sets` and `assignments`
    (the resources), `delegated_administrator` (or None). Add more with
    `add_group`, `add_permission_set` and `add_assignment`.
    """

    def __init__(self, scope: Construct, id: str, props: IdentityCenterProps = IdentityCenterProps()) -> None:
        super().__init__(scope, id)
        self.props = props
        instances = DataAwsSsoadminInstances(self, "instances")
        instances.override_logical_id("identity_center_instances")
        # One Identity Center instance per organization: the first is the only one.
        self.instance_arn: str = Fn.element(Fn.tolist(instances.arns), 0)
        self.identity_store_id: str = Fn.element(Fn.tolist(instances.identity_store_ids), 0)
        self.group_ids: dict[str, str] = {}
        self.permission_set_arns: dict[str, str] = {}
        self.permission_sets: dict[str, SsoadminPermissionSet] = {}
        self._attachments: dict[str, list[ITerraformDependable]] = {}
        self.assignments: dict[tuple[str, str, str], SsoadminAccountAssignment] = {}
        self.delegated_administrator: Optional[OrganizationsDelegatedAdministrator] = None
        for group in props.groups:
            self.add_group(group)
        for permission_set in props.permission_sets:
            self.add_permission_set(permission_set)
        for assignment in props.assignments:
            self.add_assignment(assignment)
        self.user_ids: dict[str, str] = {}
        for user in props.users:
            self.add_user(user)
        self.access_control_attributes: Optional[SsoadminInstanceAccessControlAttributes] = None
        if props.access_control_attributes:
            # Permission sets that read aws:PrincipalTag/<key> see only the keys configured here.
            self.access_control_attributes = SsoadminInstanceAccessControlAttributes(
                self,
                "access_control_attributes",
                instance_arn=self.instance_arn,
                attribute=[
                    SsoadminInstanceAccessControlAttributesAttribute(
                        key=key,
                        value=[SsoadminInstanceAccessControlAttributesAttributeValue(source=[terraform_literal(source)])],
                    )
                    for key, source in props.access_control_attributes
                ],
            )
            self.access_control_attributes.override_logical_id("identity_center_access_control_attributes")
        if props.delegated_admin_account_id:
            self.delegated_administrator = OrganizationsDelegatedAdministrator(
                self,
                "delegated_administrator",
                account_id=props.delegated_admin_account_id,
                service_principal=SSO_SERVICE_PRINCIPAL,
                depends_on=list(props.delegated_admin_depends_on) or None,
            )
            self.delegated_administrator.override_logical_id("identity_center_delegated_admin")

    # -- groups -----------------------------------------------------------
    def add_group(self, spec: GroupSpec) -> str:
        """Create (or, for an external source, look up) a group; returns its group id."""
        if spec.name in self.group_ids:
            raise ValueError(f"group {spec.name!r} is added twice")
        if self.props.identity_source == "external":
            group = DataAwsIdentitystoreGroup(
                self,
                f"group-{spec.name}",
                identity_store_id=self.identity_store_id,
                alternate_identifier=DataAwsIdentitystoreGroupAlternateIdentifier(
                    unique_attribute=DataAwsIdentitystoreGroupAlternateIdentifierUniqueAttribute(
                        attribute_path="DisplayName", attribute_value=spec.name
                    )
                ),
            )
        else:
            group = IdentitystoreGroup(
                self,
                f"group-{spec.name}",
                identity_store_id=self.identity_store_id,
                display_name=spec.name,
                description=spec.description or None,
            )
        group.override_logical_id(logical_id("sso_group", spec.name))
        self.group_ids[spec.name] = group.group_id
        return group.group_id

    # -- users ------------------------------------------------------------
    def add_user(self, spec: UserSpec) -> str:
        """Create a user in the directory and add it to its groups; returns its user id.

        An external identity source owns its users (SCIM), so adding one then is an error.
        """
        if self.props.identity_source == "external":
            raise ValueError(
                f"user {spec.user_name!r}: an external identity source provisions users through SCIM; none are created here"
            )
        if spec.user_name in self.user_ids:
            raise ValueError(f"user {spec.user_name!r} is added twice")
        user = IdentitystoreUser(
            self,
            f"user-{spec.user_name}",
            identity_store_id=self.identity_store_id,
            user_name=spec.user_name,
            display_name=spec.display_name,
            name=IdentitystoreUserName(given_name=spec.given_name, family_name=spec.family_name),
            emails=IdentitystoreUserEmails(value=spec.email, primary=True, type="work"),
        )
        user.override_logical_id(logical_id("sso_user", spec.user_name))
        self.user_ids[spec.user_name] = user.user_id
        for group in spec.groups:
            if group not in self.group_ids:
                raise KeyError(f"user {spec.user_name!r}: unknown group {group!r} (known: {', '.join(self.group_ids) or 'none'})")
            IdentitystoreGroupMembership(
                self,
                f"user-{spec.user_name}-in-{group}",
                identity_store_id=self.identity_store_id,
                group_id=self.group_ids[group],
                member_id=user.user_id,
            ).override_logical_id(logical_id("sso_group_membership", f"{group}|{spec.user_name}"))
        return user.user_id

    # -- permission sets --------------------------------------------------
    def add_permission_set(self, spec: PermissionSetSpec) -> str:
        """Create a permission set with its policies; returns its ARN."""
        if spec.name in self.permission_set_arns:
            raise ValueError(f"permission set {spec.name!r} is added twice")
        if spec.boundary_managed_policy_arn and spec.boundary_customer_managed_policy:
            raise ValueError(f"permission set {spec.name!r}: a permissions boundary names one policy, not two")
        ps = SsoadminPermissionSet(
            self,
            f"permission-set-{spec.name}",
            instance_arn=self.instance_arn,
            name=spec.name,
            description=spec.description or None,
            session_duration=spec.session_duration,
            relay_state=spec.relay_state,
            tags=dict(sorted(spec.tags.items())) or None,
        )
        ps.override_logical_id(logical_id("permission_set", spec.name))
        arn = ps.arn
        attachments: list[ITerraformDependable] = []
        for policy_arn in spec.managed_policy_arns:
            attachment = SsoadminManagedPolicyAttachment(
                self,
                f"permission-set-{spec.name}-managed-{policy_arn}",
                instance_arn=self.instance_arn,
                permission_set_arn=arn,
                managed_policy_arn=policy_arn,
            )
            attachment.override_logical_id(logical_id("permission_set_policy", f"{spec.name}|{policy_arn.rsplit(':', 1)[-1]}"))
            attachments.append(attachment)
        for ref in spec.customer_managed_policies:
            attachment = SsoadminCustomerManagedPolicyAttachment(
                self,
                f"permission-set-{spec.name}-customer-{ref.path}{ref.name}",
                instance_arn=self.instance_arn,
                permission_set_arn=arn,
                customer_managed_policy_reference=SsoadminCustomerManagedPolicyAttachmentCustomerManagedPolicyReference(
                    name=ref.name, path=ref.path
                ),
            )
            attachment.override_logical_id(logical_id("permission_set_customer_policy", f"{spec.name}|{ref.path}{ref.name}"))
            attachments.append(attachment)
        if spec.inline_policy is not None:
            inline = SsoadminPermissionSetInlinePolicy(
                self,
                f"permission-set-{spec.name}-inline",
                instance_arn=self.instance_arn,
                permission_set_arn=arn,
                inline_policy=terraform_literal(spec.inline_policy),
            )
            inline.override_logical_id(logical_id("permission_set_inline_policy", spec.name))
            attachments.append(inline)
        boundary = None
        if spec.boundary_managed_policy_arn:
            boundary = SsoadminPermissionsBoundaryAttachmentPermissionsBoundary(
                managed_policy_arn=spec.boundary_managed_policy_arn
            )
        elif spec.boundary_customer_managed_policy:
            ref = spec.boundary_customer_managed_policy
            boundary = SsoadminPermissionsBoundaryAttachmentPermissionsBoundary(
                customer_managed_policy_reference=SsoadminPermissionsBoundaryAttachmentPermissionsBoundaryCustomerManagedPolicyReference(
                    name=ref.name, path=ref.path
                )
            )
        if boundary is not None:
            attachment = SsoadminPermissionsBoundaryAttachment(
                self,
                f"permission-set-{spec.name}-boundary",
                instance_arn=self.instance_arn,
                permission_set_arn=arn,
                permissions_boundary=boundary,
            )
            attachment.override_logical_id(logical_id("permission_set_boundary", spec.name))
            attachments.append(attachment)
        self.permission_sets[spec.name] = ps
        self.permission_set_arns[spec.name] = arn
        self._attachments[spec.name] = attachments
        return arn

    # -- assignments ------------------------------------------------------
    def add_assignment(self, spec: AssignmentSpec) -> SsoadminAccountAssignment:
        """Give a group a permission set in an account."""
        key = (spec.group, spec.permission_set, spec.account)
        if key in self.assignments:
            return self.assignments[key]
        for kind, name, known in (
            ("group", spec.group, self.group_ids),
            ("permission set", spec.permission_set, self.permission_set_arns),
            ("account", spec.account, self.props.account_ids),
        ):
            if name not in known:
                raise KeyError(f"assignment {'/'.join(key)}: unknown {kind} {name!r} (known: {', '.join(known) or 'none'})")
        assignment = SsoadminAccountAssignment(
            self,
            f"assignment-{spec.group}-{spec.permission_set}-{spec.account}",
            instance_arn=self.instance_arn,
            permission_set_arn=self.permission_set_arns[spec.permission_set],
            principal_id=self.group_ids[spec.group],
            principal_type="GROUP",
            target_id=self.props.account_ids[spec.account],
            target_type="AWS_ACCOUNT",
            # Policies first: the role lands in the account with its permissions, not empty.
            depends_on=self._attachments[spec.permission_set] or None,
        )
        assignment.override_logical_id(logical_id("sso_assignment", "|".join(key)))
        self.assignments[key] = assignment
        return assignment
