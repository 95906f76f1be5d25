"""The account factory's stacks: one `account-<name>` per vended account. Pure Python (no cdktf).

A vended account that owns a VPC already has its `account-<name>` stack from
the network; the factory adds to that one. Every other vended account gets
its own stack after the management and log-archive stacks (its Config
delivers to the log archive), so adding an account adds one
stack and changes no other stack but the management stack (the account)
and, when organization Config rules skip its OU, detective-guardrails (their
excluded accounts).
"""
from __future__ import annotations

from ..config.vending import vended_names


def factory_stack_name(account: str) -> str:
    """Same name as the network's account stacks: one stack per account."""
    from ..derived.network_plan import account_stack
    return account_stack(account)


def factory_stack_plans(env, management: str, log_archive: str, existing: list[str], plan_type) -> list:
    """StackPlans (of `plan_type`) for vended accounts that have no stack among `existing` yet, in request order."""
    return [plan_type(factory_stack_name(name), name, (management, log_archive))
            for name in vended_names(env) if factory_stack_name(name) not in existing]
