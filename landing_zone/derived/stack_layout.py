"""Which stacks an environment has and the order they deploy in. Pure Python (no cdktf).

The management stack creates the accounts; every other stack assumes a role
in one of them (but management-baseline and detective-guardrails, which run
in the management account and read its outputs), so it can only be planned
once the management stack is applied and its account ids are known
(DESIGN.md, "Trap"). Deploy in this order, destroy in reverse. cdktf writes
the same dependencies into `cdktf.out/manifest.json`
(landing_zone/terraform/stacks.py); the app checks that it builds exactly
these stacks.

- `network` (transit gateways, egress, Direct Connect, IPAM) comes after the
  management and log-archive stacks; each account that owns a VPC gets
  `account-<name>` after `network`, and after the stack of any VPC it peers
  with (a peering lives in the later of its two stacks).
- Each vended account without a VPC gets its own `account-<name>` after the
  management and log-archive stacks (its Config delivers to the log
  archive); so does every other member account that is neither core nor the
  network account (baseline only: every account needs its Config recorder).
- `management-lifecycle` (when the management account holds the Service
  Catalog) and `log-archive-lifecycle` hold the lifecycle configurations of
  the management and log-archive stacks' buckets, in the same accounts. The
  AWS provider waits 55 s after writing a lifecycle configuration (a fixed
  10 s delay, then ten agreeing reads 5 s apart), and every other stack
  waits for those two: in stacks of their own nothing waits for, the waits
  overlap the rest of the deploy instead of delaying all of it
  (`WAIT_ONLY_STACKS`; they also run beside the `--parallel` limit).
- `detective-guardrails` (the organization Config rules) comes last: AWS
  deploys an organization rule into every account it does not exclude and
  fails where that account has no Config recorder yet, and every other stack
  but `management` creates its account's recorder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..config.models import Environment
from ..config.vending import vended_names
from .network_plan import NETWORK_STACK, NetworkPlan, account_stack

MANAGEMENT = "management"
LOG_ARCHIVE = "log-archive"
AUDIT = "audit"
MANAGEMENT_BASELINE = "management-baseline"
DETECTIVE_GUARDRAILS = "detective-guardrails"
MANAGEMENT_LIFECYCLE = "management-lifecycle"
LOG_ARCHIVE_LIFECYCLE = "log-archive-lifecycle"
WAIT_ONLY_STACKS = frozenset({MANAGEMENT_LIFECYCLE, LOG_ARCHIVE_LIFECYCLE})
"""Stacks whose apply is mostly the provider's fixed wait (a few lifecycle configurations): nothing waits for
them, and a deploy runs them beside its `--parallel` limit, which is there for CPU and memory."""
MANAGEMENT_ACCOUNT_STACKS = (MANAGEMENT, MANAGEMENT_LIFECYCLE, MANAGEMENT_BASELINE, DETECTIVE_GUARDRAILS)
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


def delegated_catalog_account(env: Environment) -> str | None:
    """The member account that holds the Service Catalog (its delegated administrator), or None when the
    catalog is in the management account or there is none."""
    section = env.self_service
    if section is None or section.catalog_account in (None, env.organization.management_account.name):
        return None
    return section.catalog_account


def management_holds_catalog(env: Environment) -> bool:
    """Whether the management stack builds the Service Catalog (and so its two buckets)."""
    return env.self_service is not None and delegated_catalog_account(env) is None


def stack_plans(env: Environment, network: NetworkPlan | None = None) -> list[StackPlan]:
    """The stacks of an `Environment`, in deploy order (`network`: its NetworkPlan, when already built)."""
    management = env.organization.management_account.name
    plans = [StackPlan(MANAGEMENT, management, ())]
    if management_holds_catalog(env):
        plans.append(StackPlan(MANAGEMENT_LIFECYCLE, management, (MANAGEMENT,)))
    plans += [
        StackPlan(LOG_ARCHIVE, env.core.log_archive_account, (MANAGEMENT,)),
        StackPlan(LOG_ARCHIVE_LIFECYCLE, env.core.log_archive_account, (MANAGEMENT, LOG_ARCHIVE)),
        StackPlan(AUDIT, env.core.audit_account, (MANAGEMENT, LOG_ARCHIVE)),
        StackPlan(MANAGEMENT_BASELINE, management, (MANAGEMENT, LOG_ARCHIVE)),
    ]
    if env.network is not None:
        plans += network_stack_plans(network or NetworkPlan(env))
    plans += factory_stack_plans(env, [p.name for p in plans])
    return plans + [StackPlan(DETECTIVE_GUARDRAILS, management, recorder_stacks(p.name for p in plans))]


def network_stack_plans(plan: NetworkPlan) -> list[StackPlan]:
    """The network account's stack, then one per account that owns a VPC."""
    plans = [StackPlan(NETWORK_STACK, plan.account, (MANAGEMENT, LOG_ARCHIVE))]
    for stack, account in plan.account_stacks:
        deps = [MANAGEMENT, LOG_ARCHIVE, NETWORK_STACK]
        for peering in plan.peerings.values():
            if peering.stack != stack:
                continue
            for vpc in (peering.requester, peering.accepter):
                other = plan.vpcs[vpc].stack
                if other not in deps and other != stack:
                    deps.append(other)
        plans.append(StackPlan(stack, account, tuple(deps)))
    return plans


def factory_stack_name(account: str) -> str:
    """Same name as the network's account stacks: one stack per account."""
    return account_stack(account)


def baseline_only_names(env: Environment, existing: list[str]) -> list[str]:
    """Member accounts that are neither core, the network account nor vended and own no VPC, in file order."""
    vended = set(vended_names(env))
    network = env.network
    core = {env.core.log_archive_account, env.core.audit_account} | ({network.account} if network else set())
    return [
        a.name for a in env.accounts if a.name not in core and a.name not in vended and factory_stack_name(a.name) not in existing
    ]


def factory_stack_plans(env: Environment, existing: list[str]) -> list[StackPlan]:
    """Vended accounts that have no stack among `existing` yet, in request order, then the other member
    accounts without a stack (baseline only)."""
    names = [name for name in vended_names(env) if factory_stack_name(name) not in existing]
    return [
        StackPlan(factory_stack_name(name), name, (MANAGEMENT, LOG_ARCHIVE))
        for name in names + baseline_only_names(env, existing)
    ]


def recorder_stacks(names: Iterable[str]) -> tuple[str, ...]:
    """What the detective-guardrails stack waits for, of the stacks `names` before it: all but the lifecycle
    stacks (the others but `management` create a Config recorder; `management` creates the accounts)."""
    return tuple(name for name in names if name not in WAIT_ONLY_STACKS)


def deploy_order(env: Environment) -> list[str]:
    """Stack names, each after every stack it depends on."""
    return [plan.name for plan in stack_plans(env)]


def destroy_order(env: Environment) -> list[str]:
    return list(reversed(deploy_order(env)))
