"""Rules on addresses: subnets inside their VPC, no overlap between networks that meet, IPAM pools."""

from __future__ import annotations

import ipaddress

from ..config.models.network import parse_cidr
from ..config.problems import Problem
from ..derived.network_plan import NetworkPlan, Node
from .context import RuleContext, YamlPath

N = "network"


def plan_of(ctx: RuleContext) -> NetworkPlan:
    """The environment's one NetworkPlan (facts), shared by the rules."""
    return ctx.facts.network_plan


def _where(ctx: RuleContext, path: tuple) -> str:
    loc = ctx.location(path)
    return f"{loc.file}:{loc.line}:{loc.column}"


def network_subnets(ctx: RuleContext) -> list[Problem]:
    """Subnets lie inside their VPC, do not overlap, and fit: one per zone in every tier."""
    if ctx.env.network is None:
        return []
    plan = plan_of(ctx)
    out = []
    for name, problems in plan.subnet_problems.items():
        vpc = plan.vpcs.get(name)
        if vpc is None:
            continue
        for p in problems:
            if vpc.egress_for:
                key = "public_netmask" if p.tier == "public" else "transit_netmask"
                where = vpc.path + (key,)
            else:
                where = vpc.path + ("subnets", p.tier, p.field) + ((p.index,) if p.index is not None else ())
            out.append(ctx.problem(where, f"VPC {name!r}, {p.tier} subnets: {p.message}", "network_subnets"))
    return out


def _space_text(node: Node, space, path) -> str:
    via = f" from IPAM pool {node.pool!r}" if node.pool else ""
    return f"{space}{via}"


def _conflict_reason(plan: NetworkPlan, a: str, b: str) -> str | None:
    """Why two networks' routes meet: they reach each other, or a third network reaches both."""
    direct = plan.reaches(a, b)
    if direct:
        return f"they route to each other ({direct})"
    for z in sorted(set(plan.neighbours(a)) & set(plan.neighbours(b))):
        return f"{plan.nodes[z].label} reaches both ({plan.reaches(z, a)}; {plan.reaches(z, b)})"
    return None


def _overlapping_pairs(nodes: list[Node]) -> list[tuple[int, int, int, int]]:
    """(i, j, a, b) with i < j where nodes[i].spaces[a] overlaps nodes[j].spaces[b], in that order.

    A sweep over the address ranges sorted by start instead of comparing every
    pair of networks: with 1,000 spoke VPCs the pairwise loop took seconds.
    """
    ranges = sorted(
        (space.version, int(space.network_address), int(space.broadcast_address), i, a)
        for i, node in enumerate(nodes)
        for a, (space, _) in enumerate(node.spaces)
    )
    pairs = []
    active: list[tuple] = []
    for entry in ranges:
        version, start = entry[0], entry[1]
        active = [o for o in active if o[0] == version and o[2] >= start]
        for other in active:
            (i, a), (j, b) = sorted(((other[3], other[4]), (entry[3], entry[4])))
            if i != j:
                pairs.append((i, j, a, b))
        active.append(entry)
    return sorted(pairs)


def network_overlaps(ctx: RuleContext) -> list[Problem]:
    """No two networks whose routes meet (segments, egress, peering, Direct Connect) have overlapping addresses."""
    if ctx.env.network is None:
        return []
    plan = plan_of(ctx)
    nodes = list(plan.nodes.values())
    out = []
    for i, j, a, b in _overlapping_pairs(nodes):
        first, second = nodes[i], nodes[j]
        if first.pool and first.pool == second.pool:
            continue  # IPAM never hands out overlapping blocks from one pool
        (space_a, path_a), (space_b, path_b) = first.spaces[a], second.spaces[b]
        why = _conflict_reason(plan, first.key, second.key)
        if why is None:
            continue
        out.append(
            ctx.problem(
                path_b,
                (
                    f"{second.label} ({_space_text(second, space_b, path_b)}) overlaps {first.label} "
                    f"({_space_text(first, space_a, path_a)}, at {_where(ctx, path_a)}), and {why}"
                ),
                "network_overlaps",
            )
        )
    return out


def network_ipam(ctx: RuleContext) -> list[Problem]:
    """IPAM pools do not overlap; each VPC fits its pool, is in the pool's region and segment; the pool has room for all."""
    net = ctx.env.network
    if net is None or net.ipam is None:
        return []
    plan = plan_of(ctx)
    out = []
    pools = net.ipam.pools
    segments = {s.name for t in net.transit_gateways for s in t.segments}
    for i, pool in enumerate(pools):
        here: YamlPath = (N, "ipam", "pools", i)
        cidr = parse_cidr(pool.cidr)
        for j, other in enumerate(pools[:i]):
            if cidr.overlaps(parse_cidr(other.cidr)):
                out.append(
                    ctx.problem(
                        here + ("cidr",),
                        f"pool {pool.name!r} ({pool.cidr}) overlaps pool {other.name!r} ({other.cidr}, at {_where(ctx, (N, 'ipam', 'pools', j, 'cidr'))})",
                        "network_ipam",
                    )
                )
        if pool.segment and pool.segment not in segments:
            out.append(
                ctx.problem(
                    here + ("segment",),
                    f"segment {pool.segment!r} is not defined in any transit gateway (defined: {', '.join(sorted(segments)) or 'none'})",
                    "network_ipam",
                )
            )
    by_name = {p.name: p for p in pools}
    for i, vpc in enumerate(net.vpcs):
        vpc_pool = by_name.get(vpc.ipam_pool or "")
        if vpc_pool is None or vpc.cidr or not vpc.netmask_length:
            continue
        here = (N, "vpcs", i)
        size = parse_cidr(vpc_pool.cidr).prefixlen
        if vpc.netmask_length < size:
            out.append(
                ctx.problem(
                    here + ("netmask_length",),
                    f"a /{vpc.netmask_length} does not fit in pool {vpc_pool.name!r} ({vpc_pool.cidr})",
                    "network_ipam",
                )
            )
        region = vpc.region or plan.region
        if (vpc_pool.region or plan.region) != region:
            out.append(
                ctx.problem(
                    here + ("ipam_pool",),
                    f"pool {vpc_pool.name!r} is in {vpc_pool.region or plan.region}, VPC {vpc.name!r} in {region}; allocate from a pool of the VPC's region",
                    "network_ipam",
                )
            )
        if vpc_pool.segment and vpc_pool.segment not in {a.segment for a in vpc.attachments}:
            out.append(
                ctx.problem(
                    here + ("ipam_pool",),
                    f"pool {vpc_pool.name!r} is for segment {vpc_pool.segment!r}, but VPC {vpc.name!r} does not attach there",
                    "network_ipam",
                )
            )
    for i, pool in enumerate(pools):
        request = sorted(
            (vpc.netmask_length for vpc in net.vpcs if vpc.ipam_pool == pool.name and not vpc.cidr and vpc.netmask_length)
        )
        if request and not _fits(parse_cidr(pool.cidr), request):
            sizes = ", ".join(f"/{m}" for m in request)
            out.append(
                ctx.problem(
                    (N, "ipam", "pools", i, "cidr"),
                    f"pool {pool.name!r} ({pool.cidr}) cannot hold the VPCs allocated from it ({sizes})",
                    "network_ipam",
                )
            )
    return out


def _fits(pool: ipaddress.IPv4Network, prefixes: list[int]) -> bool:
    """Whether aligned blocks of these prefix lengths all fit in the pool (largest first, tightest fit)."""
    free = [pool]
    for prefix in sorted(prefixes):
        candidates = [b for b in free if b.prefixlen <= prefix]
        if not candidates:
            return False
        block = max(candidates, key=lambda b: (b.prefixlen, -int(b.network_address)))
        free.remove(block)
        if block.prefixlen < prefix:
            free.extend(block.address_exclude(next(block.subnets(new_prefix=prefix))))
    return True


RULES = [network_subnets, network_overlaps, network_ipam]
