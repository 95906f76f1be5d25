"""The cross-stack outputs each producing stack declares up front (issue 21: stable outputs).

cdktf turns a value one stack reads from another into an output of the
producer (`cross-stack-output-<resource address><attribute>`, sensitive) and
a `terraform_remote_state` read in the consumer. Left to itself it adds those
outputs while it writes the consumers, so a producer's JSON would depend on
what its consumers happen to read: synthesizing only the stacks that changed
would write a wrong producer.

Here every producer registers a fixed set of such outputs, derived from the
facts that built it, before anything is written: the management stack every
account's id, every OU's id and ARN and the organization's ids; the log
archive its bucket, its key and the WAF log bucket; the network stack its transit gateways, their
route tables and the IPAM pools; a stack whose VPC another stack peers with,
that VPC and its route tables. cdktf reuses a registered output for every
read of the same value (one output per address), so consumers read these by
their stable names, and `check_published` fails the synth when a consumer
read anything else (a value to add here).
"""

from __future__ import annotations

from typing import Iterable, Mapping

from cdktf import DefaultTokenResolver, StringConcat, TerraformStack, Token, Tokenization

CROSS_STACK_OUTPUT = "cross-stack-output-"
"""cdktf's prefix of the outputs it creates for cross-stack references."""


class UnpublishedOutputError(AssertionError):
    """A stack read a value of another stack that its producer does not publish (a bug in this package)."""


def publish(stack: TerraformStack, values: Iterable[str]) -> None:
    """Register each value (a reference token of `stack`, e.g. `account.account_id`) as a cross-stack output
    of `stack` now, under the name cdktf gives it; recorded in `stack.published_outputs`. Literal values
    (an adopted account's configured id) need no output and are passed over."""
    published: set[str] = stack.__dict__.setdefault("published_outputs", set())
    resolver = DefaultTokenResolver(StringConcat())
    for value in values:
        if not Token.is_unresolved(value):  # a literal, such as an adopted account's configured id: nothing to read
            continue
        expression = Tokenization.resolve(value, scope=stack, resolver=resolver)
        if not (isinstance(expression, str) and expression.startswith("${") and expression.endswith("}")):
            raise TypeError(f"{stack.node.id}: only a plain reference can be published, not {expression!r}")
        output = stack.register_outgoing_cross_stack_reference(expression[2:-1])
        published.add(output.friendly_unique_id)


def publish_management(management) -> None:
    """Every account's id, every OU's id and ARN, the organization's id, ARN, root id and management account id."""
    organization = management.organization
    units = management.organizational_units
    publish(
        management,
        [
            organization.organization_id,
            organization.organization_arn,
            organization.root_id,
            organization.management_account_id,
            *(account.account_id for account in management.accounts.values()),
            *(value for path in units.paths for value in (units.ou_id(path), units.ou_arn(path))),
        ],
    )


def publish_log_archive(log_archive_stack) -> None:
    """The log bucket's name and the log key's ARN (every account's baseline delivers there), and the WAF log
    bucket's ARN when there is one (the web ACLs' logging destination)."""
    archive = log_archive_stack.log_archive
    waf = archive.waf_log_bucket
    publish(log_archive_stack, [archive.log_bucket_name, archive.key_arn, *([waf.bucket_arn] if waf else [])])


def publish_network(ctx, stacks: Mapping[str, TerraformStack]) -> None:
    """Of a NetworkContext whose stacks are built (`stacks`: stack name -> stack): each transit gateway's id and
    route tables and each IPAM pool (network stack), and each VPC a peering in another stack reads."""
    from ..derived.network_plan import NETWORK_STACK

    hub_values = [
        value
        for hub in ctx.hubs.values()
        for value in (hub.transit_gateway_id, *(hub.route_table_id(t) for t in hub.route_table_names))
    ]
    if ctx.ipam is not None:
        hub_values += [ctx.ipam.pool_id(name) for name in ctx.plan.pools]
    publish(stacks[NETWORK_STACK], hub_values)
    for peering in ctx.plan.peerings.values():
        for side in (peering.requester, peering.accepter):
            plan = ctx.plan.vpcs[side]
            if plan.stack != peering.stack and plan.stack in stacks:  # (an incremental synth builds only some stacks)
                vpc = ctx.vpcs[side]
                tables = [table for tier in vpc.tiers for table in vpc.route_table_ids(tier)]
                publish(stacks[plan.stack], [vpc.vpc_id, *tables])


def check_published(docs: Mapping[str, dict], stacks: Iterable[TerraformStack]) -> None:
    """Raise UnpublishedOutputError when a synthesized stack (`docs`: name -> cdk.tf.json) has a cross-stack output
    its producer did not publish: its JSON would then depend on another stack's."""
    problems = []
    for stack in stacks:
        name = stack.node.id
        outputs = (docs.get(name) or {}).get("output") or {}
        extra = sorted(
            o for o in outputs if o.startswith(CROSS_STACK_OUTPUT) and o not in stack.__dict__.get("published_outputs", ())
        )
        if extra:
            problems.append(f"{name}: {', '.join(extra)}")
    if problems:
        raise UnpublishedOutputError(
            "values read by other stacks that their stack does not publish (landing_zone/stacks/published_outputs.py): "
            + "; ".join(problems)
        )
