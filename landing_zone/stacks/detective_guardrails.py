"""The detective-guardrails stack: the detective controls as organization Config rules.

Runs with the management account's own credentials (organization rules are
put from the management account, or Config's delegated administrator), and
last: PutOrganizationConfigRule deploys the rule into every account it does
not exclude, and that member deployment fails in an account without a
Config recorder. Every other stack but `management` creates its account's
recorder (the account baseline), so this stack depends on all of them and
is destroyed first. The SCPs stay in the management stack: they need no
recorder and protect the accounts from their creation on.
"""

from __future__ import annotations

from typing import Iterable

from cdktf import Fn, Token
from constructs import Construct

from ..constructs.guardrails import OrganizationConfigRules, OrganizationConfigRulesProps
from ..derived.stack_layout import DETECTIVE_GUARDRAILS
from .base import LandingZoneStack
from .logging_services import governed_providers
from .management import ManagementStack
from .settings import StackSettings


class DetectiveGuardrailsStack(LandingZoneStack):
    """Attributes: `rules` (OrganizationConfigRules), `management_state` (the remote state it reads).

    Excluded accounts are ids from the applied management stack's
    `account_ids` and `management_account_id` outputs (known at plan time),
    read through a `terraform_remote_state` of that stack rather than cdktf's
    cross-stack references: those outputs are sensitive, so a plan would show
    every exclusion as "(sensitive value)"; account ids are not secret, and a
    reviewer (and `lz plan-review`) must see which accounts a rule skips.
    """

    def __init__(
        self,
        scope: Construct,
        settings: StackSettings,
        *,
        management: ManagementStack,
        recorder_stacks: Iterable[LandingZoneStack],
        name: str = DETECTIVE_GUARDRAILS,
    ) -> None:
        env = settings.env
        org = env.organization
        allowed = (org.management_account.id,) if org.management_account.id else ()
        super().__init__(scope, name, settings, allowed_account_ids=allowed)
        self.add_dependency(management)
        for stack in recorder_stacks:
            self.add_dependency(stack)
        self.management_state = management.backend.get_remote_state_data_source(self, "management", management.stack_name)
        self.rules = OrganizationConfigRules(
            self,
            "guardrail_rules",
            OrganizationConfigRulesProps(
                rules=tuple(management.guardrail_plan.detective_rules),
                account_ids={
                    account.name: account.id or self._published("account_ids", account.name) for account in env.accounts
                },
                management_account_id=org.management_account.id or self.management_state.get_string("management_account_id"),
                providers=governed_providers(self),
            ),
        )

    def _published(self, output: str, key: str) -> str:
        """`<management stack output>[key]` as a token of this stack."""
        return Token.as_string(Fn.lookup(self.management_state.get(output), key))
