"""Rules on routing: ASNs, attachment quotas, Direct Connect associations, peering."""

from __future__ import annotations

from collections import Counter

from ..config.models.limits import limit_table
from ..config.models.network import TransitGateway, parse_cidr
from ..config.paths import value_at
from ..config.problems import Problem
from ..derived.network_acls import RULES_PER_DIRECTION, rule_counts
from .context import RuleContext
from .network_addresses import _where, plan_of

N = "network"
PRIVATE_ASNS = ((64512, 65534), (4200000000, 4294967294))


def is_private_asn(asn: int) -> bool:
    return any(lo <= asn <= hi for lo, hi in PRIVATE_ASNS)


def _private(ctx: RuleContext, where: tuple, asn: int, what: str) -> list[Problem]:
    if is_private_asn(asn):
        return []
    return [
        ctx.problem(
            where, f"{asn} is not a private ASN; the {what} needs one in 64512-65534 or 4200000000-4294967294", "network_asns"
        )
    ]


def network_asns(ctx: RuleContext) -> list[Problem]:
    """Transit and Direct Connect gateways use private ASNs; a Direct Connect gateway's ASN differs from its transit gateways'."""
    net = ctx.env.network
    if net is None:
        return []
    out = []
    tgws: dict[str, tuple[TransitGateway, int]] = {}
    for i, tgw in enumerate(net.transit_gateways):
        tgws.setdefault(tgw.name, (tgw, i))
        out += _private(ctx, (N, "transit_gateways", i, "asn"), tgw.asn, "transit gateway")
    plan = plan_of(ctx)
    for i, gw in enumerate(net.direct_connect_gateways):
        out += _private(ctx, (N, "direct_connect_gateways", i, "asn"), gw.asn, "Direct Connect gateway")
        for assoc in gw.associations:
            name = plan.tgw_name(assoc.transit_gateway)
            if name and tgws[name][0].asn == gw.asn:
                tgw_path = (N, "transit_gateways", tgws[name][1])
                written = "asn" in value_at(ctx.data, tgw_path)
                where = f"at {_where(ctx, tgw_path + ('asn',))}" if written else "its default"
                out.append(
                    ctx.problem(
                        (N, "direct_connect_gateways", i, "asn"),
                        f"ASN {gw.asn} is also the ASN of transit gateway {name!r} ({where}); BGP needs them to differ",
                        "network_asns",
                    )
                )
        for j, vif in enumerate(gw.transit_virtual_interfaces):
            if vif.customer_asn == gw.asn:
                out.append(
                    ctx.problem(
                        (N, "direct_connect_gateways", i, "transit_virtual_interfaces", j, "customer_asn"),
                        f"the on-premises router's ASN {vif.customer_asn} equals the gateway's own; BGP needs them to differ",
                        "network_asns",
                    )
                )
    return out


def network_attachments(ctx: RuleContext) -> list[Problem]:
    """A VPC attaches once per transit gateway, in its region, within the quota; transit gateways and route tables stay within quotas."""
    net = ctx.env.network
    if net is None:
        return []
    limits = ctx.env.limits
    plan = plan_of(ctx)
    out = []
    for i, vpc in enumerate(net.vpcs):
        here = (N, "vpcs", i, "attachments")
        if len(vpc.attachments) > limits.tgw_attachments_per_vpc:
            out.append(
                ctx.problem(
                    here,
                    f"VPC {vpc.name!r} has {len(vpc.attachments)} transit-gateway attachments; at most {limits.tgw_attachments_per_vpc} are allowed (limits.tgw_attachments_per_vpc)",
                    "network_attachments",
                )
            )
        seen = set()
        region = vpc.region or plan.region
        for j, att in enumerate(vpc.attachments):
            name = plan.tgw_name(att.transit_gateway)
            if name is None:
                continue
            if name in seen:
                out.append(
                    ctx.problem(
                        here + (j,),
                        f"VPC {vpc.name!r} is attached to transit gateway {name!r} twice; a VPC has one attachment per transit gateway",
                        "network_attachments",
                    )
                )
            seen.add(name)
            tgw_region = plan.tgws[name].region
            if tgw_region != region:
                out.append(
                    ctx.problem(
                        here + (j,),
                        f"VPC {vpc.name!r} is in {region}, transit gateway {name!r} in {tgw_region}; a VPC attaches to a transit gateway of its own region",
                        "network_attachments",
                    )
                )
    per_region = Counter(plan.tgws[t.name].region for t in net.transit_gateways if t.name in plan.tgws)
    for region, count in sorted(per_region.items()):
        if count > limits.transit_gateways_per_region:
            out.append(
                ctx.problem(
                    (N, "transit_gateways"),
                    f"{count} transit gateways in {region}; at most {limits.transit_gateways_per_region} are allowed (limits.transit_gateways_per_region)",
                    "network_attachments",
                )
            )
    for i, tgw in enumerate(net.transit_gateways):
        tables = len(tgw.segments) + (1 if tgw.egress else 0)
        if tables > limits.tgw_route_tables:
            out.append(
                ctx.problem(
                    (N, "transit_gateways", i, "segments"),
                    f"transit gateway {tgw.name!r} needs {tables} route tables; at most {limits.tgw_route_tables} are allowed (limits.tgw_route_tables)",
                    "network_attachments",
                )
            )
    return out


def network_direct_connect(ctx: RuleContext) -> list[Problem]:
    """Direct Connect associations name a transit gateway and segment, once each, within the quotas."""
    net = ctx.env.network
    if net is None:
        return []
    limits = ctx.env.limits
    plan = plan_of(ctx)
    tgws = {t.name: t for t in net.transit_gateways}
    out = []
    per_tgw: Counter = Counter()
    for i, gw in enumerate(net.direct_connect_gateways):
        here = (N, "direct_connect_gateways", i)
        if not gw.associations:
            out.append(
                ctx.problem(
                    here + ("associations",),
                    f"Direct Connect gateway {gw.name!r} has no association; associate it with a transit gateway",
                    "network_direct_connect",
                )
            )
        if len(gw.associations) > limits.tgws_per_dx_gateway:
            out.append(
                ctx.problem(
                    here + ("associations",),
                    f"{len(gw.associations)} transit gateways; at most {limits.tgws_per_dx_gateway} are allowed per Direct Connect gateway (limits.tgws_per_dx_gateway)",
                    "network_direct_connect",
                )
            )
        seen = set()
        for j, assoc in enumerate(gw.associations):
            where = here + ("associations", j)
            if assoc.transit_gateway is None and len(tgws) != 1:
                out.append(
                    ctx.problem(
                        where,
                        f"name the transit_gateway: there are {len(tgws)} ({', '.join(tgws) or 'none'})",
                        "network_direct_connect",
                    )
                )
                continue
            name = plan.tgw_name(assoc.transit_gateway)
            if name is None:
                out.append(
                    ctx.problem(
                        where + ("transit_gateway",),
                        f"transit gateway {assoc.transit_gateway!r} is not defined (defined: {', '.join(tgws) or 'none'})",
                        "network_direct_connect",
                    )
                )
                continue
            if name in seen:
                out.append(
                    ctx.problem(
                        where,
                        f"Direct Connect gateway {gw.name!r} is associated with transit gateway {name!r} twice",
                        "network_direct_connect",
                    )
                )
            seen.add(name)
            per_tgw[name] += 1
            segments = [s.name for s in tgws[name].segments]
            if assoc.segment not in segments:
                out.append(
                    ctx.problem(
                        where + ("segment",),
                        f"segment {assoc.segment!r} is not defined in transit gateway {name!r} (defined: {', '.join(segments)})",
                        "network_direct_connect",
                    )
                )
            if not assoc.allowed_prefixes:
                out.append(
                    ctx.problem(
                        where + ("allowed_prefixes",),
                        "give at least one prefix to advertise to on-premises",
                        "network_direct_connect",
                    )
                )
    for name, count in sorted(per_tgw.items()):
        if count > limits.dx_gateways_per_tgw:
            i = next(i for i, t in enumerate(net.transit_gateways) if t.name == name)
            out.append(
                ctx.problem(
                    (N, "transit_gateways", i, "name"),
                    f"{count} Direct Connect gateways are associated with transit gateway {name!r}; at most {limits.dx_gateways_per_tgw} are allowed (limits.dx_gateways_per_tgw)",
                    "network_direct_connect",
                )
            )
    return out


def network_peerings(ctx: RuleContext) -> list[Problem]:
    """Peerings join two different known VPCs once; their routes reach only the peer's own addresses (peering is not transitive)."""
    net = ctx.env.network
    if net is None:
        return []
    plan = plan_of(ctx)
    known = ", ".join(plan.vpcs) or "none"
    out: list[Problem] = []
    pairs: dict[frozenset[str], str] = {}
    for i, p in enumerate(net.peerings):
        here = (N, "peerings", i)
        bad = False
        for side in ("requester", "accepter"):
            if getattr(p, side) not in plan.vpcs:
                out.append(
                    ctx.problem(here + (side,), f"VPC {getattr(p, side)!r} is not defined (defined: {known})", "network_peerings")
                )
                bad = True
        if bad:
            continue
        if p.requester == p.accepter:
            out.append(ctx.problem(here + ("accepter",), f"VPC {p.accepter!r} cannot peer with itself", "network_peerings"))
            continue
        pair = frozenset((p.requester, p.accepter))
        if pair in pairs:
            out.append(
                ctx.problem(
                    here, f"VPCs {p.requester!r} and {p.accepter!r} are already peered by {pairs[pair]!r}", "network_peerings"
                )
            )
        pairs.setdefault(pair, p.name)
        for side, peer, routes_key in (
            ("requester", p.accepter, "requester_routes"),
            ("accepter", p.requester, "accepter_routes"),
        ):
            me = getattr(p, side)
            for tier in p.route_tiers:
                if tier not in plan.vpcs[me].tiers:
                    out.append(
                        ctx.problem(
                            here + ("route_tiers",),
                            f"VPC {me!r} has no {tier} subnets to route into the peering (it has: {', '.join(plan.vpcs[me].tiers) or 'none'})",
                            "network_peerings",
                        )
                    )
            out += _peering_routes(ctx, plan, here + (routes_key,), getattr(p, routes_key), me, peer)
    return out


def _peering_routes(ctx, plan, where, routes, me: str, peer: str) -> list[Problem]:
    out = []
    peer_space = plan.space_of(plan.vpcs[peer])
    for k, cidr in enumerate(routes):
        net = parse_cidr(cidr)
        if peer_space is not None and net.subnet_of(peer_space):
            continue
        # Not the peer's: find whose it is, to tell transitive peering from a plain mistake.
        owner = next(
            (
                v
                for v in plan.vpcs.values()
                if v.name not in (me, peer) and (s := plan.space_of(v)) is not None and net.subnet_of(s)
            ),
            None,
        )
        if owner is not None and plan.reaches(f"vpc:{peer}", f"vpc:{owner.name}"):
            out.append(
                ctx.problem(
                    where + (k,),
                    (
                        f"{cidr} belongs to VPC {owner.name!r}, which {peer!r} reaches ({plan.reaches(f'vpc:{peer}', f'vpc:{owner.name}')}), "
                        f"not {me!r}: this route relies on transitive peering, which AWS does not forward; peer {me!r} with {owner.name!r} directly"
                    ),
                    "network_peerings",
                )
            )
        else:
            out.append(
                ctx.problem(
                    where + (k,),
                    f"{cidr} is not inside VPC {peer!r} ({peer_space or 'its IPAM pool'}); a peering route reaches only the peer VPC's own addresses",
                    "network_peerings",
                )
            )
    return out


def network_acl_quota(ctx: RuleContext) -> list[Problem]:
    """Each tier's network ACL fits the quota of rules per direction (`limits.network_acl_rules`, default 20;
    a warning: AWS raises it to 40 on request)."""
    if ctx.env.network is None:
        return []
    plan = plan_of(ctx)
    quota = ctx.env.limits.network_acl_rules
    raised = quota != RULES_PER_DIRECTION
    ceiling = limit_table()["network_acl_rules"]["adjustable_max"]
    remedy = (
        "raise the quota (up to 40) and set limits.network_acl_rules before deploying"
        if quota < ceiling
        else "nothing raises it further"
    )
    out = []
    for vpc in plan.vpcs.values():
        for tier, counts in rule_counts(plan, vpc).items():
            for direction, count in zip(("inbound", "outbound"), counts):
                if count <= quota:
                    continue
                out.append(
                    ctx.problem(
                        vpc.path,
                        f"VPC {vpc.name!r}: the network ACL of its {tier} tier needs {count} {direction} rules, "
                        f"more than the {quota} a network ACL holds {'(limits.network_acl_rules)' if raised else 'by default'}; "
                        "it admits every network the VPC routes to one range each: give those networks addresses that "
                        f"summarize, or {remedy}",
                        "network_acl_quota",
                        "warning",
                    )
                )
    return out


def network_blackholes(ctx: RuleContext) -> list[Problem]:
    """A configured blackhole that drops traffic to a live network propagated into its segment (a warning:
    it may be meant, but it cuts that network off, wholly or in part, from the segment's attachments)."""
    if ctx.env.network is None:
        return []
    out = []
    for hit in plan_of(ctx).blackhole_hits:
        what = f"the whole of {hit.name} ({hit.space})" if hit.whole else f"part of {hit.name} ({hit.space})"
        out.append(
            ctx.problem(
                (*hit.path, "cidr"),
                f"blackhole {hit.cidr} in segment {hit.segment!r} drops traffic to {what}, which is attached to "
                f"{hit.transit_gateway!r} and propagated into that segment: it is unreachable from there "
                "(`lz network` shows it); remove the route, or narrow it to addresses no network uses",
                "network_blackholes",
                "warning",
            )
        )
    return out


RULES = [network_asns, network_attachments, network_direct_connect, network_peerings, network_acl_quota, network_blackholes]
