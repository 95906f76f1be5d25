"""The network part of a member account's stack: its VPCs, their attachments and peerings.

`add_account_network(stack, ctx)` works on any AccountStack of that account
(the account factory's `account-<name>` stack can call it); until that stack
exists, `NetworkAccountStack` is a minimal `account-<name>` stack that holds
only the network.
"""

from __future__ import annotations

from typing import Callable, Mapping

from cdktf import TerraformOutput
from constructs import Construct

from .account_stack import AccountStack
from .network import NetworkContext, NetworkStack
from .published_outputs import publish_network


def add_account_network(stack: AccountStack, ctx: NetworkContext) -> None:
    """Build the VPCs the plan places in `stack` (with the owner's side of their wiring) and the peerings it hosts."""
    built = [ctx.build_vpc(stack, vpc) for vpc in ctx.plan.vpcs_in(stack.stack_name)]
    ctx.build_peerings(stack)
    if built:
        TerraformOutput(
            stack, "vpc_ids", static_id=True, description="VPC id by name.", value={vpc.name: vpc.vpc_id for vpc in built}
        )


class NetworkAccountStack(AccountStack):
    """A minimal `account-<name>` stack for an account that owns VPCs: only its network."""

    def __init__(self, scope: Construct, name: str, account: str, ctx: NetworkContext) -> None:
        super().__init__(scope, name, ctx.settings, management=ctx.management, account_name=account)
        add_account_network(self, ctx)


def build_network_stacks(
    scope: Construct,
    settings,
    *,
    management,
    log_archive,
    timed: Callable = lambda build: build(),
    account_stacks: Mapping[str, AccountStack] | None = None,
    wanted: Callable[[str], bool] = lambda name: True,
) -> list[AccountStack]:
    """The `network` stack and the network of every account that owns a VPC, in deploy order.

    `account_stacks` (account name -> its stack, e.g. the account factory's `account-<name>`)
    receive their account's network; an account without one gets a minimal NetworkAccountStack.
    Returns the stacks this call created. `wanted(stack name)` false: that account stack is not built (the
    network stack always is: every VPC reads its hub).
    """
    if settings.env.network is None:
        return []
    ctx = NetworkContext(settings, management)
    network = timed(lambda: NetworkStack(scope, ctx))
    network.add_dependency(log_archive)  # flow logs need the log archive bucket
    network.ensure_baseline(log_archive)  # every account records Config: organization rules need it
    stacks: list[AccountStack] = [network]
    for name, account in ctx.plan.account_stacks:
        existing = (account_stacks or {}).get(account)
        if existing is not None:
            if existing.stack_name != name:  # the plan places VPCs and peerings by stack name
                raise ValueError(f"the stack of account {account!r} must be named {name!r}, not {existing.stack_name!r}")
            add_account_network(existing, ctx)
            continue
        if not wanted(name):
            continue
        stack = timed(lambda: NetworkAccountStack(scope, name, account, ctx))
        stack.add_dependency(log_archive)
        stack.ensure_baseline(log_archive)
        stacks.append(stack)
    publish_network(ctx, {s.stack_name: s for s in (*(account_stacks or {}).values(), *stacks)})  # stable outputs
    return stacks
