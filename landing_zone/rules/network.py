"""Rules on the `network:` section: names, references, regions, segments, shares and routes.

Addresses (subnets, overlaps, IPAM) are in network_addresses.py; ASNs,
attachments, Direct Connect and peering in network_routing.py.
"""

from __future__ import annotations

from ..config.problems import Location, Problem
from ..derived.availability_zones import region_zones
from .context import RuleContext, YamlPath
from .regions import _unknown, known_regions

N = "network"


def _names(ctx: RuleContext):
    """(kind, YAML path of the name, name) of everything in `network:` that has a name."""
    net = ctx.env.network
    assert net is not None  # asked for only when there is a `network:` section
    for i, tgw in enumerate(net.transit_gateways):
        yield "transit gateway", (N, "transit_gateways", i, "name"), tgw.name
    for i, tgw in enumerate(net.transit_gateways):
        if tgw.egress:
            where = (N, "transit_gateways", i, "egress", "name") if tgw.egress.name else (N, "transit_gateways", i, "egress")
            yield "VPC", where, tgw.egress.name or f"{tgw.name}-egress"
    for i, vpc in enumerate(net.vpcs):
        yield "VPC", (N, "vpcs", i, "name"), vpc.name
    for i, p in enumerate(net.peerings):
        yield "peering", (N, "peerings", i, "name"), p.name
    for i, gw in enumerate(net.direct_connect_gateways):
        yield "Direct Connect gateway", (N, "direct_connect_gateways", i, "name"), gw.name
        for j, vif in enumerate(gw.transit_virtual_interfaces):
            yield "virtual interface", (N, "direct_connect_gateways", i, "transit_virtual_interfaces", j, "name"), vif.name
    for i, pool in enumerate(net.ipam.pools if net.ipam else []):
        yield "IPAM pool", (N, "ipam", "pools", i, "name"), pool.name


def _first(ctx: RuleContext, first, where: tuple) -> str:
    """'line N' in the same file, 'file:N' in another (an extended base)."""
    return f"line {first.line}" if first.file == ctx.location(where).file else f"{first.file}:{first.line}"


def network_names(ctx: RuleContext) -> list[Problem]:
    """Transit gateways, VPCs, peerings, gateways, interfaces and pools have unique names; so do segments per transit gateway."""
    if ctx.env.network is None:
        return []
    out: list[Problem] = []
    seen: dict[tuple[str, str], Location] = {}
    for kind, where, name in _names(ctx):
        key = (kind, name)
        if key in seen:
            out.append(
                ctx.problem(
                    where, f"{kind} name {name!r} is used twice (first at {_first(ctx, seen[key], where)})", "network_names"
                )
            )
        else:
            seen[key] = ctx.location(where)
    for i, tgw in enumerate(ctx.env.network.transit_gateways):
        first: dict[str, Location] = {}
        for j, seg in enumerate(tgw.segments):
            where = (N, "transit_gateways", i, "segments", j, "name")
            if seg.name in first:
                out.append(
                    ctx.problem(
                        where,
                        f"segment {seg.name!r} is defined twice in transit gateway {tgw.name!r} (first at {_first(ctx, first[seg.name], where)})",
                        "network_names",
                    )
                )
            else:
                first[seg.name] = ctx.location(where)
            if seg.name == "egress" and tgw.egress:
                out.append(
                    ctx.problem(
                        where,
                        "'egress' is the name of the egress VPC's own route table; name the segment differently",
                        "network_names",
                    )
                )
    return out


def network_accounts(ctx: RuleContext) -> list[Problem]:
    """The network account and every VPC's account are member accounts defined in `accounts`."""
    net = ctx.env.network
    if net is None:
        return []
    names = [a.name for a in ctx.env.accounts]
    known = ", ".join(names) or "none"
    items: list[tuple[YamlPath, str, str]] = [((N, "account"), net.account, "network account")]
    items += [((N, "vpcs", i, "account"), v.account, "account") for i, v in enumerate(net.vpcs)]
    out = []
    for where, name, what in items:
        if name not in names:
            mgmt = ctx.env.organization.management_account.name
            extra = " (the management account cannot own network resources)" if name == mgmt else ""
            written = what != "network account" or "account" in ctx.data.get(N, {})
            default = "" if written else " (the default of network.account)"
            out.append(
                ctx.problem(
                    where, f"{what} {name!r}{default} is not defined in accounts{extra} (defined: {known})", "network_accounts"
                )
            )
    return out


def network_regions(ctx: RuleContext) -> list[Problem]:
    """Network regions are AWS regions the landing zone governs."""
    net = ctx.env.network
    if net is None:
        return []
    governed = ctx.env.organization.governed_regions
    items: list[tuple[YamlPath, str | None]] = [((N, "region"), net.region)]
    items += [((N, "transit_gateways", i, "region"), t.region) for i, t in enumerate(net.transit_gateways)]
    items += [((N, "vpcs", i, "region"), v.region) for i, v in enumerate(net.vpcs)]
    items += [((N, "ipam", "pools", i, "region"), p.region) for i, p in enumerate(net.ipam.pools if net.ipam else [])]
    out = []
    for where, region in items:
        if region is None:
            continue
        if region not in known_regions():
            out.append(ctx.problem(where, _unknown(region), "network_regions"))
        elif region not in governed:
            out.append(
                ctx.problem(where, f"{region!r} is not a governed region (governed: {', '.join(governed)})", "network_regions")
            )
    return out


def network_availability_zones(ctx: RuleContext) -> list[Problem]:
    """A VPC's zones exist in its region: a count the region can give, or zones of that region, each once."""
    net = ctx.env.network
    if net is None:
        return []
    default = ctx.facts.network_plan.region  # network.region, else the home region
    specs: list[tuple[YamlPath, str, int | list[str]]] = [
        ((N, "vpcs", i), v.region or default, v.availability_zones) for i, v in enumerate(net.vpcs)
    ]
    specs += [
        ((N, "transit_gateways", i, "egress"), t.region or default, t.egress.availability_zones)
        for i, t in enumerate(net.transit_gateways)
        if t.egress is not None
    ]
    out = []
    for where, region, spec in specs:
        zones = region_zones(region)
        if not zones:
            continue  # not an AWS region: network_regions says so
        listed = f"{region} has {len(zones)}: {', '.join(zones)}"
        if isinstance(spec, int):
            if spec > len(zones):
                out.append(
                    ctx.problem(
                        where + ("availability_zones",),
                        f"{spec} availability zones asked for, but {listed} (data/aws_availability_zones.yaml)",
                        "network_availability_zones",
                    )
                )
            continue
        seen: set[str] = set()
        for j, zone in enumerate(spec):
            if zone not in zones:
                out.append(
                    ctx.problem(
                        where + ("availability_zones", j),
                        f"{zone!r} is not a zone of {region}; {listed}",
                        "network_availability_zones",
                    )
                )
            elif zone in seen:
                out.append(
                    ctx.problem(where + ("availability_zones", j), f"zone {zone!r} is listed twice", "network_availability_zones")
                )
            seen.add(zone)
    return out


def network_segments(ctx: RuleContext) -> list[Problem]:
    """Segments connect to segments of the same transit gateway; `egress: true` needs an egress VPC."""
    net = ctx.env.network
    if net is None:
        return []
    out = []
    for i, tgw in enumerate(net.transit_gateways):
        names = [s.name for s in tgw.segments]
        if not names:
            out.append(
                ctx.problem(
                    (N, "transit_gateways", i, "segments"),
                    f"transit gateway {tgw.name!r} has no segments; define at least one",
                    "network_segments",
                )
            )
        for j, seg in enumerate(tgw.segments):
            for k, other in enumerate(seg.connects_to):
                where = (N, "transit_gateways", i, "segments", j, "connects_to", k)
                if other == seg.name:
                    out.append(
                        ctx.problem(
                            where,
                            f"segment {seg.name!r} connects to itself; its attachments reach each other unless isolate_attachments is true",
                            "network_segments",
                        )
                    )
                elif other not in names:
                    out.append(
                        ctx.problem(
                            where,
                            f"segment {other!r} is not defined in transit gateway {tgw.name!r} (defined: {', '.join(names)})",
                            "network_segments",
                        )
                    )
            if seg.egress and tgw.egress is None:
                out.append(
                    ctx.problem(
                        (N, "transit_gateways", i, "segments", j, "egress"),
                        f"segment {seg.name!r} sends traffic to the egress VPC, but transit gateway {tgw.name!r} has no `egress`",
                        "network_segments",
                    )
                )
    return out


def network_share(ctx: RuleContext) -> list[Problem]:
    """Each transit gateway is shared with the organization or with defined OUs, not both, not neither."""
    net = ctx.env.network
    if net is None:
        return []
    paths = [ou.path for ou in ctx.env.organizational_units]
    out = []
    for i, tgw in enumerate(net.transit_gateways):
        share = tgw.share_with
        where = (N, "transit_gateways", i, "share_with")
        if share.organization == bool(share.ous):
            out.append(
                ctx.problem(
                    where,
                    "share with either the organization (organization: true) or a list of OUs (ous: [...]), exactly one",
                    "network_share",
                )
            )
        for j, ou in enumerate(share.ous):
            if ou not in paths:
                out.append(
                    ctx.problem(
                        where + ("ous", j), f"OU {ou!r} is not defined (defined: {', '.join(paths) or 'none'})", "network_share"
                    )
                )
        if share.organization or not share.ous:
            continue
        # An account outside the shared OUs never sees the transit gateway: its attachment would fail at deploy time.
        ous = {a.name: a.ou for a in ctx.env.accounts}
        only = len(net.transit_gateways) == 1
        for k, vpc in enumerate(net.vpcs):
            account_ou = ous.get(vpc.account)
            if vpc.account == net.account or account_ou is None:
                continue
            for m, att in enumerate(vpc.attachments):
                if (att.transit_gateway or (tgw.name if only else None)) != tgw.name:
                    continue
                if not any(account_ou == p or account_ou.startswith(p + "/") for p in share.ous):
                    out.append(
                        ctx.problem(
                            (N, "vpcs", k, "attachments", m),
                            (
                                f"account {vpc.account!r} (OU {account_ou!r}) cannot attach to transit gateway {tgw.name!r}: "
                                f"it is shared with {', '.join(share.ous)} only"
                            ),
                            "network_share",
                        )
                    )
    return out


def network_vpc_references(ctx: RuleContext) -> list[Problem]:
    """Each VPC has a CIDR or an IPAM pool with a prefix length; its attachments name a transit gateway and segment that exist."""
    net = ctx.env.network
    if net is None:
        return []
    tgws = {t.name: t for t in net.transit_gateways}
    pools = [p.name for p in (net.ipam.pools if net.ipam else [])]
    out = []
    for i, vpc in enumerate(net.vpcs):
        here = (N, "vpcs", i)
        if vpc.cidr and (vpc.ipam_pool or vpc.netmask_length):
            key = "ipam_pool" if vpc.ipam_pool else "netmask_length"
            out.append(
                ctx.problem(
                    here + (key,),
                    f"VPC {vpc.name!r} has a cidr; give either cidr or ipam_pool with netmask_length, not both",
                    "network_vpc_references",
                )
            )
        elif not vpc.cidr and not (vpc.ipam_pool and vpc.netmask_length):
            missing = "netmask_length" if vpc.ipam_pool else ("ipam_pool" if vpc.netmask_length else "cidr")
            out.append(
                ctx.problem(
                    here,
                    f"VPC {vpc.name!r} needs a cidr, or an ipam_pool with a netmask_length ({missing} is missing)",
                    "network_vpc_references",
                )
            )
        if vpc.ipam_pool and vpc.ipam_pool not in pools:
            out.append(
                ctx.problem(
                    here + ("ipam_pool",),
                    f"IPAM pool {vpc.ipam_pool!r} is not defined (defined: {', '.join(pools) or 'none'})",
                    "network_vpc_references",
                )
            )
        for j, att in enumerate(vpc.attachments):
            where = here + ("attachments", j)
            if att.transit_gateway is None and len(tgws) != 1:
                out.append(
                    ctx.problem(
                        where,
                        f"name the transit_gateway: there are {len(tgws)} ({', '.join(tgws) or 'none'})",
                        "network_vpc_references",
                    )
                )
                continue
            tgw = tgws.get(att.transit_gateway) if att.transit_gateway else next(iter(tgws.values()))
            if tgw is None:
                out.append(
                    ctx.problem(
                        where + ("transit_gateway",),
                        f"transit gateway {att.transit_gateway!r} is not defined (defined: {', '.join(tgws) or 'none'})",
                        "network_vpc_references",
                    )
                )
                continue
            segments = [s.name for s in tgw.segments]
            if att.segment not in segments:
                out.append(
                    ctx.problem(
                        where + ("segment",),
                        f"segment {att.segment!r} is not defined in transit gateway {tgw.name!r} (defined: {', '.join(segments)})",
                        "network_vpc_references",
                    )
                )
    return out


def network_tgw_routes(ctx: RuleContext) -> list[Problem]:
    """Static routes name a segment of their transit gateway and either a VPC attached to it or `blackhole: true`; one route per destination."""
    net = ctx.env.network
    if net is None:
        return []
    out = []
    for i, tgw in enumerate(net.transit_gateways):
        segments = [s.name for s in tgw.segments]
        attached = {
            v.name
            for v in net.vpcs
            if any(
                (a.transit_gateway or (tgw.name if len(net.transit_gateways) == 1 else None)) == tgw.name for a in v.attachments
            )
        }
        route_seen: dict[tuple[str, str], Location] = {}
        for j, route in enumerate(tgw.routes):
            here = (N, "transit_gateways", i, "routes", j)
            if route.segment not in segments:
                out.append(
                    ctx.problem(
                        here + ("segment",),
                        f"segment {route.segment!r} is not defined in transit gateway {tgw.name!r} (defined: {', '.join(segments)})",
                        "network_tgw_routes",
                    )
                )
            if route.blackhole == (route.vpc is not None):
                out.append(
                    ctx.problem(
                        here,
                        f"route to {route.cidr} needs exactly one of `vpc: <name>` and `blackhole: true`",
                        "network_tgw_routes",
                    )
                )
            elif route.vpc is not None and route.vpc not in attached:
                out.append(
                    ctx.problem(
                        here + ("vpc",),
                        f"VPC {route.vpc!r} is not attached to transit gateway {tgw.name!r} (attached: {', '.join(sorted(attached)) or 'none'})",
                        "network_tgw_routes",
                    )
                )
            key = (route.segment, route.cidr)
            if key in route_seen:
                out.append(
                    ctx.problem(
                        here + ("cidr",),
                        f"segment {route.segment!r} already has a route to {route.cidr} (line {route_seen[key].line})",
                        "network_tgw_routes",
                    )
                )
            else:
                route_seen[key] = ctx.location(here + ("cidr",))
            if route.cidr == "0.0.0.0/0" and route.segment in {s.name for s in tgw.segments if s.egress} and tgw.egress:
                out.append(
                    ctx.problem(
                        here + ("cidr",),
                        f"segment {route.segment!r} already sends 0.0.0.0/0 to the egress VPC (egress: true)",
                        "network_tgw_routes",
                    )
                )
    return out


RULES = [
    network_names,
    network_accounts,
    network_regions,
    network_availability_zones,
    network_segments,
    network_share,
    network_vpc_references,
    network_tgw_routes,
]
