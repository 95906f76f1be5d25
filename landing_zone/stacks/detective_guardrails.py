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

from constructs import Construct

from ..constructs.guardrails import OrganizationConfigRules, OrganizationConfigRulesProps
from .base import LandingZoneStack
from .layout import DETECTIVE_GUARDRAILS
from .logging_services import governed_providers, management_account_id
from .management import ManagementStack
from .settings import StackSettings


class DetectiveGuardrailsStack(LandingZoneStack):
    """Attribute: `rules` (OrganizationConfigRules).

    Excluded accounts are the management stack's account ids, read through
    cdktf cross-stack references (known at plan time: the management stack
    is applied first).
    """

    def __init__(self, scope: Construct, settings: StackSettings, *, management: ManagementStack,
                 recorder_stacks: Iterable[LandingZoneStack], name: str = DETECTIVE_GUARDRAILS) -> None:
        env = settings.env
        org = env.organization
        allowed = (org.management_account.id,) if org.management_account.id else ()
        super().__init__(scope, name, settings, allowed_account_ids=allowed)
        self.add_dependency(management)
        for stack in recorder_stacks:
            self.add_dependency(stack)
        self.rules = OrganizationConfigRules(self, "guardrail_rules", OrganizationConfigRulesProps(
            rules=tuple(management.guardrail_plan.detective_rules),
            accounts=management.accounts,
            management_account_id=management_account_id(management),
            providers=governed_providers(self),
        ))
