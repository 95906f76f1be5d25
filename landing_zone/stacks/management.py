"""The management stack: organization, OU tree, accounts, delegated administrators, SCPs, Identity Center."""

from __future__ import annotations

from cdktf import TerraformOutput
from constructs import Construct

from ..config.vending import access_role
from ..constructs.account import Account, AccountProps, AlternateContactSpec, add_own_alternate_contact
from ..constructs.delegated_administrators import DelegatedAdministrators, DelegatedAdministratorsProps
from ..constructs.guardrails import ServiceControlPolicies, ServiceControlPoliciesProps
from ..constructs.management_policies import ManagementPolicies, ManagementPoliciesProps, ManagementPolicySpec
from ..constructs.organization import DEFAULT_SERVICE_ACCESS_PRINCIPALS, Organization, OrganizationProps
from ..constructs.organizational_units import OrganizationalUnits, OrganizationalUnitsProps, OuSpec
from ..derived.contacts import account_contacts, management_contacts
from ..derived.management_policies import ORG_ID_PLACEHOLDER, management_policies, policy_types, root_access_features
from ..derived.stack_layout import MANAGEMENT
from .base import LandingZoneStack
from .logging_services import add_security_administration
from .service_catalog import add_service_catalog, catalog_service_principals
from .settings import StackSettings


class ManagementStack(LandingZoneStack):
    """Runs with the management account's own credentials.

    Attributes: `organization`, `organizational_units`, `accounts` (by config
    name), `delegated_administrators`; `account(name)` for one account.
    Outputs: organization_id, root_id, management_account_id, ou_ids (path ->
    id) and account_ids (name -> id), for people, reports and tests.
    """

    def __init__(
        self,
        scope: Construct,
        settings: StackSettings,
        name: str = MANAGEMENT,
        *,
        read_only: bool = False,
        only_accounts: frozenset[str] | None = None,
    ) -> None:
        """`read_only`: build only what other stacks read from it (organization, OUs, accounts, the guardrail
        plan), for a synth worker whose part reads the management stack but does not write it; the constructs
        other stacks read keep their ids, so their references (and the outputs they name) are the same.
        `only_accounts` (read-only, with no other stack in the app): just these accounts, for a synth that
        patches their resources into the earlier stack (speed/management_splice.py)."""
        env = settings.env
        org = env.organization
        protect = not settings.allow_destroy
        allowed = (org.management_account.id,) if org.management_account.id else ()
        super().__init__(scope, name, settings, allowed_account_ids=allowed)

        self.organization = Organization(
            self,
            "organization",
            OrganizationProps(
                enabled_policy_types=("SERVICE_CONTROL_POLICY", *env.organization.policy_types, *policy_types(env)),
                root_access_features=root_access_features(env),
                prevent_destroy=protect,
                service_access_principals=DEFAULT_SERVICE_ACCESS_PRINCIPALS + catalog_service_principals(env),
            ),
        )
        self.organizational_units = OrganizationalUnits(
            self,
            "organizational_units",
            OrganizationalUnitsProps(
                organization=self.organization,
                units=tuple(OuSpec(path=ou.path, tags=ou.tags) for ou in env.organizational_units),
                prevent_destroy=protect,
            ),
        )
        self.accounts: dict[str, Account] = {}
        for account in env.accounts:
            if read_only and only_accounts is not None and account.name not in only_accounts:
                continue
            self.accounts[account.name] = Account(
                self,
                account.name,
                AccountProps(
                    name=account.name,
                    email=account.email,
                    organizational_units=self.organizational_units,
                    ou_path=account.ou,
                    role_name=access_role(env, account.name),  # the factory may name its own
                    iam_user_access_to_billing=account.iam_user_access_to_billing,
                    tags=account.tags,
                    close_on_deletion=account.close_on_deletion,
                    prevent_destroy=protect,
                    adopt_id=account.id,
                ),
            )
            if read_only:
                continue
            for kind, contact in account_contacts(env, account.name).items():
                self.accounts[account.name].add_alternate_contact(
                    AlternateContactSpec(
                        contact_type=kind.upper(),
                        name=contact.name,
                        title=contact.title,
                        email=contact.email,
                        phone=contact.phone,
                    )
                )
        self.guardrail_plan = settings.facts.guardrail_plan
        self.catalog_organization, self.service_catalog = None, None
        if read_only:
            return
        # The management account's own contacts: set without an account id (AWS refuses the caller's own id).
        for kind, contact in management_contacts(env).items():
            add_own_alternate_contact(
                self,
                AlternateContactSpec(
                    contact_type=kind.upper(), name=contact.name, title=contact.title, email=contact.email, phone=contact.phone
                ),
            )
        self.management_policies = ManagementPolicies(
            self,
            "management_policies",
            ManagementPoliciesProps(
                root_id=self.organization.root_id,
                policies=tuple(
                    ManagementPolicySpec(
                        key=p.key,
                        type=p.type,
                        name=p.name,
                        description=p.description,
                        content=p.document.replace(ORG_ID_PLACEHOLDER, self.organization.organization_id),
                    )
                    for p in management_policies(env)
                ),
            ),
        )
        self.delegated_administrators = DelegatedAdministrators(
            self,
            "delegated_administrators",
            DelegatedAdministratorsProps(
                organization=self.organization,
                account=self.account(env.core.audit_account),
            ),
        )
        self.security_administration = add_security_administration(self)
        self._guardrails()
        self._identity_center()
        # self_service: (None without it; the catalog itself is None here when a member account holds it)
        self.catalog_organization, self.service_catalog = add_service_catalog(self)
        self._outputs()

    def _guardrails(self) -> None:
        """Packed SCPs on their targets (`self.guardrail_plan` keeps the whole plan).

        The detective controls' organization Config rules are in the
        detective-guardrails stack, applied after every account's Config
        recorder exists (AWS fails an organization rule in any account
        without one).
        """
        self.guardrails = ServiceControlPolicies(
            self,
            "guardrails",
            ServiceControlPoliciesProps(
                organization=self.organization,
                organizational_units=self.organizational_units,
                accounts=self.accounts,
                policies=tuple(self.guardrail_plan.scps),
            ),
        )

    def _identity_center(self) -> None:
        """Groups, permission sets and assignments (`identity:`); `identity_center` is None without that section.

        Here even with a delegated administrator: only the management account
        can manage permission sets provisioned to the management account.
        """
        from .identity_center import add_identity_center

        org = self.settings.env.organization
        account_ids = {name: account.account_id for name, account in self.accounts.items()}
        account_ids[org.management_account.name] = org.management_account.id or self.organization.management_account_id
        self.identity_center = add_identity_center(
            self, self.settings.facts.identity_plan, account_ids, delegated_admin_depends_on=(self.organization.resource,)
        )

    def account(self, name: str) -> Account:
        try:
            return self.accounts[name]
        except KeyError:
            raise KeyError(f"no account {name!r} (known: {', '.join(self.accounts) or 'none'})") from None

    def _outputs(self) -> None:
        outputs = {
            "organization_id": (self.organization.organization_id, "Id of the organization (o-...)."),
            "root_id": (self.organization.root_id, "Id of the organization's root (r-...)."),
            "management_account_id": (self.organization.management_account_id, "Id of the management account."),
            "ou_ids": (
                {path: self.organizational_units.ou_id(path) for path in self.organizational_units.paths},
                "OU id by OU path.",
            ),
            "account_ids": (
                {name: account.account_id for name, account in self.accounts.items()},
                "Member account id by account name.",
            ),
        }
        for key, (value, description) in outputs.items():
            TerraformOutput(self, key, value=value, description=description, static_id=True)
