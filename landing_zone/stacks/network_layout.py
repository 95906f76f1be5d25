"""The network's stacks and their order. Pure Python (no cdktf).

`network` (the network account: transit gateways, egress, Direct Connect,
IPAM) comes after the management and log-archive stacks; each account that
owns a VPC gets `account-<name>` after `network`, and after the stack of
any VPC it peers with (a peering lives in the later of its two stacks).
"""
from __future__ import annotations

from ..derived.network_plan import NETWORK_STACK, NetworkPlan


def network_stack_plans(env, management: str, log_archive: str, plan_type):
    """StackPlans (of `plan_type`) for the network, in deploy order; none without a `network:` section."""
    if env.network is None:
        return []
    plan = NetworkPlan(env)
    plans = [plan_type(NETWORK_STACK, plan.account, (management, log_archive))]
    for stack, account in plan.account_stacks:
        deps = [management, log_archive, NETWORK_STACK]
        for peering in plan.peerings.values():
            if peering.stack != stack:
                continue
            for vpc in (peering.requester, peering.accepter):
                other = plan.vpcs[vpc].stack
                if other not in deps and other != stack:
                    deps.append(other)
        plans.append(plan_type(stack, account, tuple(deps)))
    return plans
