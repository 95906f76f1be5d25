"""A stack deployed into one member account through its access role."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cdktf import TerraformOutput
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from constructs import Construct

from ..config.vending import access_role
from ..constructs.account import Account
from ..constructs.bootstrap import MemberPlanRole, MemberPlanRoleProps
from ..constructs.security.access_roles import AccessRoles, AccessRolesProps
from ..identity.ci_roles import ci_identity, member_role_name
from ..identity.trust import BREAK_GLASS_PURPOSE
from .base import LandingZoneStack
from .management import ManagementStack
from .settings import StackSettings

if TYPE_CHECKING:
    from ..constructs.account_extras import AccountExtras


def add_caller_output(stack: LandingZoneStack, account_name: str) -> DataAwsCallerIdentity:
    """The identity terraform runs as in `stack`, and its account id as the output `account_id`: what proves a
    member stack acts inside its own account."""
    caller = DataAwsCallerIdentity(stack, "caller")
    TerraformOutput(
        stack,
        "account_id",
        value=caller.account_id,
        static_id=True,
        description=f"Id of the {account_name!r} account, as seen by terraform through the access role.",
    )
    return caller


class AccountStack(LandingZoneStack):
    """Every provider assumes `arn:aws:iam::<account id>:role/<access role>`.

    The account id is the management stack's output, read through a cdktf
    cross-stack reference (a `terraform_remote_state` of the applied
    management stack), or the configured id of an adopted account: either
    way it is known when this stack is planned, never "known after apply",
    so the provider cannot fall back to the management account's
    credentials. `allowed_account_ids` stops terraform if the credentials
    land in any other account. The stack depends on the management stack
    explicitly, so cdktf's manifest orders it after it even for an adopted
    account (no cross-stack reference then).

    Attributes: `account` (the management stack's Account), `account_id`,
    `caller` (the identity terraform runs as, output `account_id`),
    `access_roles` (AccessRoles: the access role's trust and the break-glass
    role; None with `organization.manage_access_role: false`).
    """

    account_extras: AccountExtras  # set on a vended account's stack only (stacks/factory_accounts.add_vended_account)

    def __init__(
        self, scope: Construct, name: str, settings: StackSettings, *, management: ManagementStack, account_name: str
    ) -> None:
        self.management = management
        self.account_name = account_name
        self.account: Account = management.account(account_name)
        self.account_id = self.account.account_id
        role = access_role(settings.env, account_name)
        super().__init__(
            scope,
            name,
            settings,
            role_arn=f"arn:aws:iam::{self.account_id}:role/{member_role_name(settings.env, role)}",
            allowed_account_ids=(self.account_id,),
        )
        self.add_credentials_variable()
        self.add_dependency(management)
        self.caller = add_caller_output(self, account_name)
        self.plan_role = self._add_plan_role(settings, management)
        self.access_roles = self._access_roles(management, role) if settings.env.organization.manage_access_role else None

    def _access_roles(self, management: ManagementStack, role: str) -> AccessRoles:
        """The access role's trust narrowed to the deployment role (imported: Organizations created the role with the
        account, trusting the whole management account), and the MFA-only break-glass role (issue 24.1)."""
        from .logging_services import management_account_id, names

        org = self.settings.env.organization
        self.add_import("aws_iam_role.access_role", role)
        return AccessRoles(
            self,
            "access_roles",
            AccessRolesProps(
                management_account_id=management_account_id(management),
                access_role_name=role,
                deployment_role_name=org.deployment_role_name,
                break_glass_role_name=names(self.settings).role(BREAK_GLASS_PURPOSE),
                break_glass_principals=tuple(org.break_glass_principals),
                prevent_destroy=not self.settings.allow_destroy,
            ),
        )

    def _add_plan_role(self, settings: StackSettings, management: ManagementStack) -> MemberPlanRole | None:
        """With `ci:` (and a CI plan role, so GitHub): a read-only role the bootstrap's CI plan role alone assumes."""
        ident = ci_identity(settings.env)
        if ident is None or ident.plan_subject is None:
            return None
        management_id = settings.env.organization.management_account.id or management.organization.management_account_id
        return MemberPlanRole(
            self,
            "ci_plan",
            MemberPlanRoleProps(
                role_name=ident.member_plan_role_name, plan_role_arn=f"arn:aws:iam::{management_id}:role/{ident.plan_role_name}"
            ),
        )

    def ensure_baseline(self, log_archive):
        """The account baseline (Config recorder included) delivering to `log_archive`'s stack, added once:
        a vended account's network stack already has it when the factory gets there."""
        if getattr(self, "baseline", None) is None:
            from .logging_services import add_account_baseline, log_destination_of

            self.baseline = add_account_baseline(self, self.account_id, log_destination_of(log_archive))
        return self.baseline
