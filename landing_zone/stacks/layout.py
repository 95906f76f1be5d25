"""Which stacks an environment has and the order they deploy in. Pure Python.

The management stack creates the accounts; every other stack assumes a role
in one of them (but management-baseline and detective-guardrails, which run
in the management account and read its outputs), so it can only be planned
once the management stack is applied and its account ids are known
(DESIGN.md, "Trap"). Deploy in this
order, destroy in reverse. cdktf writes the same dependencies into
`cdktf.out/manifest.json` (see landing_zone/terraform/stacks.py).

`detective-guardrails` (the organization Config rules) comes last: AWS
deploys an organization rule into every account it does not exclude and
fails where that account has no Config recorder yet, and every other stack
but `management` creates its account's recorder.
"""
from __future__ import annotations

from dataclasses import dataclass

from .factory_layout import factory_stack_plans
from .network_layout import network_stack_plans

MANAGEMENT = "management"
LOG_ARCHIVE = "log-archive"
AUDIT = "audit"
MANAGEMENT_BASELINE = "management-baseline"
DETECTIVE_GUARDRAILS = "detective-guardrails"
MANAGEMENT_ACCOUNT_STACKS = (MANAGEMENT, MANAGEMENT_BASELINE, DETECTIVE_GUARDRAILS)
"""Stacks that run with the management account's own credentials (no role to assume)."""


@dataclass(frozen=True)
class StackPlan:
    """One stack: its name, the account it deploys into and what must be applied first."""

    name: str
    account: str
    """Config name of the target account (the management account's for `management`)."""
    depends_on: tuple[str, ...]
    """Stacks that must be applied before this one."""

    @property
    def assumes_role(self) -> bool:
        """Whether the stack's provider assumes the access role in a member account."""
        return self.name not in MANAGEMENT_ACCOUNT_STACKS


def stack_plans(env) -> list[StackPlan]:
    """The stacks of an `Environment`, in deploy order."""
    plans = [
        StackPlan(MANAGEMENT, env.organization.management_account.name, ()),
        StackPlan(LOG_ARCHIVE, env.core.log_archive_account, (MANAGEMENT,)),
        StackPlan(AUDIT, env.core.audit_account, (MANAGEMENT, LOG_ARCHIVE)),
        StackPlan(MANAGEMENT_BASELINE, env.organization.management_account.name, (MANAGEMENT, LOG_ARCHIVE)),
    ] + network_stack_plans(env, MANAGEMENT, LOG_ARCHIVE, StackPlan)
    plans += factory_stack_plans(env, MANAGEMENT, LOG_ARCHIVE, [p.name for p in plans], StackPlan)
    management = env.organization.management_account.name
    return plans + [StackPlan(DETECTIVE_GUARDRAILS, management, recorder_stacks(plans))]


def recorder_stacks(plans: list[StackPlan]) -> tuple[str, ...]:
    """What the detective-guardrails stack waits for: every stack before it (all but
    `management` create a Config recorder; `management` creates the accounts)."""
    return tuple(plan.name for plan in plans)


def deploy_order(env) -> list[str]:
    """Stack names, each after every stack it depends on."""
    return [plan.name for plan in stack_plans(env)]


def destroy_order(env) -> list[str]:
    return list(reversed(deploy_order(env)))
