"""Which accounts a detective control with remediation reaches through an account-level rule.

AWS refuses remediation configurations on organization Config rules, so a
control with `remediation:` deploys in two forms: in each account it reaches
that has a stack of its own (and is not in `remediation.exclude_accounts`),
as an account-level Config rule with its remediation configuration; those
accounts are excluded from the organization rule, which keeps every other
account (the management account included). Pure Python.
"""

from __future__ import annotations

from typing import Iterable, Literal

from ..config.models import Environment
from .enabled import EnabledControl

Form = Literal["organization rule", "account rule + remediation"]
ORGANIZATION_RULE: Form = "organization rule"
ACCOUNT_RULE: Form = "account rule + remediation"


def remediation_setting(env: Environment, control_id: str):
    """The control's `remediation:` block, or None."""
    setting = env.guardrails.controls.get(control_id)
    return setting.remediation if setting is not None else None


def remediated_accounts(env: Environment, control: EnabledControl, stack_accounts: Iterable[str]) -> tuple[str, ...]:
    """Member accounts where the control runs as an account-level rule with remediation (sorted)."""
    remediation = remediation_setting(env, control.id)
    if remediation is None or control.control.preventive:
        return ()
    management = env.organization.management_account.name
    excluded = set(remediation.exclude_accounts) | {management}
    return tuple(sorted((set(control.covered) & set(stack_accounts)) - excluded))


def form_in(env: Environment, control: EnabledControl, account: str, stack_accounts: Iterable[str]) -> Form | None:
    """How a detective control reaches `account` (None for a preventive one)."""
    if control.control.preventive:
        return None
    return ACCOUNT_RULE if account in remediated_accounts(env, control, stack_accounts) else ORGANIZATION_RULE
