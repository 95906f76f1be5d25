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


def baseline_only_names(env, existing: list[str]) -> list[str]:
    """Member accounts that are neither core, the network account nor vended and own no VPC, in file order.

    They get an `account-<name>` stack with the account baseline only: every
    account needs its Config recorder (the organization Config rules fail in
    an account without one) and the rest of the baseline, as Control Tower
    enrolls every account it governs.
    """
    vended = set(vended_names(env))
    network = getattr(env, "network", None)
    core = {env.core.log_archive_account, env.core.audit_account} | ({network.account} if network else set())
    return [a.name for a in env.accounts
            if a.name not in core and a.name not in vended and factory_stack_name(a.name) not in existing]


def factory_stack_plans(env, management: str, log_archive: str, existing: list[str], plan_type) -> list:
    """StackPlans (of `plan_type`) for vended accounts that have no stack among `existing` yet, in request
    order, then for the other member accounts without a stack (baseline only)."""
    names = [name for name in vended_names(env) if factory_stack_name(name) not in existing]
    return [plan_type(factory_stack_name(name), name, (management, log_archive))
            for name in names + baseline_only_names(env, existing)]
