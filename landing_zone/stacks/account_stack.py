"""A stack deployed into one member account through its access role."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cdktf import TerraformOutput
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from constructs import Construct

from ..config.vending import access_role
from ..constructs.account import Account
from .base import LandingZoneStack
from .management import ManagementStack
from .settings import StackSettings

if TYPE_CHECKING:
    from ..constructs.account_extras import AccountExtras


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
    `caller` (the identity terraform runs as, output `account_id`).
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
            scope, name, settings, role_arn=f"arn:aws:iam::{self.account_id}:role/{role}", allowed_account_ids=(self.account_id,)
        )
        self.add_dependency(management)
        self.caller = DataAwsCallerIdentity(self, "caller")
        TerraformOutput(
            self,
            "account_id",
            value=self.caller.account_id,
            static_id=True,
            description=f"Id of the {account_name!r} account, as seen by terraform through the access role.",
        )

    def ensure_baseline(self, log_archive):
        """The account baseline (Config recorder included) delivering to `log_archive`'s stack, added once:
        a vended account's network stack already has it when the factory gets there."""
        if getattr(self, "baseline", None) is None:
            from .logging_services import add_account_baseline, log_destination_of

            self.baseline = add_account_baseline(self, self.account_id, log_destination_of(log_archive))
        return self.baseline
