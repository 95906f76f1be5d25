"""A member account, created by the organization or adopted by id."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping, Optional

from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.account_alternate_contact import AccountAlternateContact
from cdktf_cdktf_provider_aws.organizations_account import OrganizationsAccount
from constructs import Construct

from ..derived.account_tags import account_tags
from .ids import logical_id
from .organizational_units import OrganizationalUnits


@dataclass(frozen=True, kw_only=True)
class AccountProps:
    """One member account; the defaults keep it from being lost by accident."""

    name: str
    """Account name, unique in the organization."""
    email: str
    """Root user email, unique in the organization."""
    organizational_units: OrganizationalUnits
    """The OU tree the account is placed in."""
    ou_path: str
    """Path of the account's OU, such as 'Workloads/Prod'."""
    role_name: str = "OrganizationAccountAccessRole"
    """Role the organization creates in a new account for the management account to assume (default OrganizationAccountAccessRole)."""
    iam_user_access_to_billing: bool = True
    """Let IAM users whose policies grant it see billing (default true, as AWS's CreateAccount and the YAML
    `accounts[].iam_user_access_to_billing` default; false: only the root user)."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags on the account (default none; the provider's default tags still apply)."""
    close_on_deletion: bool = False
    """Close the account when the resource is destroyed (default false: it only leaves the organization)."""
    prevent_destroy: bool = True
    """Refuse to destroy the account (default true: removing it from the config fails the plan)."""
    adopt_id: Optional[str] = None
    """Id of an existing account to import instead of creating one (default: create)."""


CONTACT_TYPES = ("BILLING", "OPERATIONS", "SECURITY")


@dataclass(frozen=True, kw_only=True)
class AlternateContactSpec:
    """Who AWS contacts about an account's billing, operations or security."""

    contact_type: str
    """BILLING, OPERATIONS or SECURITY."""
    name: str
    title: str
    email: str
    phone: str


def add_own_alternate_contact(scope: Construct, spec: AlternateContactSpec) -> AccountAlternateContact:
    """An alternate contact of the account the provider signs in to (no `account_id`: the management
    account's own contacts, which AWS refuses to set by its own id)."""
    if spec.contact_type not in CONTACT_TYPES:
        raise ValueError(f"contact type {spec.contact_type!r} is not one of {', '.join(CONTACT_TYPES)}")
    contact = AccountAlternateContact(
        scope,
        f"own_contact_{spec.contact_type.lower()}",
        alternate_contact_type=spec.contact_type,
        name=spec.name,
        title=spec.title,
        email_address=spec.email,
        phone_number=spec.phone,
    )
    contact.override_logical_id(f"own_contact_{spec.contact_type.lower()}")
    return contact


class Account(Construct):
    """`aws_organizations_account`, placed in its OU.

    An adopted account (`adopt_id`) gets an `import` block, so the first apply
    takes it over without creating anything. Attributes: `account_id`,
    `account_arn`, `name`, `ou_path`, `adopted`. `add_alternate_contact`
    sets a contact from the management account (trusted access for
    account.amazonaws.com), without signing in to the member account.
    """

    def __init__(self, scope: Construct, id: str, props: AccountProps) -> None:
        super().__init__(scope, id)
        self.props = props
        self.resource = OrganizationsAccount(
            self,
            "account",
            name=props.name,
            email=props.email,
            parent_id=props.organizational_units.ou_id(props.ou_path),
            role_name=props.role_name,
            iam_user_access_to_billing="ALLOW" if props.iam_user_access_to_billing else "DENY",
            close_on_deletion=props.close_on_deletion,
            tags=account_tags(props.tags, props.close_on_deletion) or None,  # a tag edit's patch computes the same
            lifecycle=TerraformResourceLifecycle(
                prevent_destroy=props.prevent_destroy,
                # Both apply only when AWS creates the account and cannot be read
                # back or changed later; a difference would force a replacement.
                ignore_changes=["iam_user_access_to_billing", "role_name"],
            ),
        )
        self.resource.override_logical_id(logical_id("account", props.name))
        if props.adopt_id:
            self.resource.import_from(props.adopt_id)

    def add_alternate_contact(self, spec: AlternateContactSpec) -> AccountAlternateContact:
        if spec.contact_type not in CONTACT_TYPES:
            raise ValueError(f"contact type {spec.contact_type!r} is not one of {', '.join(CONTACT_TYPES)}")
        contact = AccountAlternateContact(
            self,
            f"contact_{spec.contact_type.lower()}",
            account_id=self.account_id,
            alternate_contact_type=spec.contact_type,
            name=spec.name,
            title=spec.title,
            email_address=spec.email,
            phone_number=spec.phone,
        )
        contact.override_logical_id(logical_id(f"contact_{spec.contact_type.lower()}", self.props.name))
        return contact

    @property
    def name(self) -> str:
        return self.props.name

    @property
    def ou_path(self) -> str:
        return self.props.ou_path

    @property
    def adopted(self) -> bool:
        return self.props.adopt_id is not None

    @cached_property  # every stack of the account reads it: one jsii round trip, not one per read
    def account_id(self) -> str:
        """The account id: the literal id of an adopted account, else a token resolved at apply time."""
        return self.props.adopt_id or self.resource.id

    @property
    def account_arn(self) -> str:
        return self.resource.arn
