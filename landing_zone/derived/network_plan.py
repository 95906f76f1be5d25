"""The network as facts: VPCs and subnets, transit-gateway wiring, peering, Direct Connect, IPAM.

Pure Python (no cdktf). The stacks build exactly what this plan says, the
rules check it, and `lz network` prints it; so the three never disagree.

Segments: each segment of a transit gateway is one route table. An
attachment is associated with its segment's table and propagates into the
tables of every segment that reaches its segment: itself (unless
`isolate_attachments`) and the segments either side names in `connects_to`.
A segment with `egress: true` gets 0.0.0.0/0 to the egress VPC, whose own
attachment sits in an internal `egress` table that those segments propagate
into (the return path); blackhole routes in the egress segment for every
network it must not reach stop traffic from hair-pinning through the egress
VPC into a segment it is not connected to.

Placement: the network account's stack (`network`) builds the hub; a VPC of
another account is built in that account's stack (`account-<name>`),
together with the acceptance, association, propagations and routes of its
own attachment (through a provider for the network account), so adding a
spoke changes no other stack. A peering lives in the later of its two VPCs'
stacks, so stacks depend on each other without cycles.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import cached_property
from typing import Iterator, Optional

from ..config.models import Environment
from ..config.models.network import Network, TransitGateway, Vpc
from .availability_zones import zones_for
from .network_blackholes import BlackholeHit, blackhole_hits
from .network_cidrs import TierSpec, allocate, summary_block, tier_specs
from .network_types import (
    Attachment,
    AttachmentRef,
    DxPlan,
    Node,
    PeeringPlan,
    PoolPlan,
    TgwPlan,
    TgwRoute,
    VpcPlan,
    Wire,
    parse_cidr,
)

NETWORK_STACK = "network"
EGRESS_TABLE = "egress"


@dataclass(frozen=True)
class _TgwReach:
    """One transit gateway's attachments (the egress table's left out) indexed for reach by segment."""

    name: str
    atts: tuple[Attachment, ...]
    positions: dict[str, tuple[int, ...]]  # node key -> indexes of its attachments in `atts`
    members: dict[str, tuple[str, ...]]  # segment -> keys of the nodes attached in it, in order, once each
    segment_reach: dict[str, dict[str, str]]  # segment -> the segments it reaches, with why
    egress_segments: frozenset[str]
    egress_key: Optional[str]


def account_stack(account: str) -> str:
    """Name of the stack of a member account."""
    return f"account-{account}"


class NetworkPlan:
    """Everything derived from `network:`; tolerant of broken references (the rules report those)."""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self.net: Network = env.network or Network()
        self.account = self.net.account
        self.region = self.net.region or env.organization.home_region
        self.tgw_models: dict[str, TransitGateway] = {}
        for tgw in self.net.transit_gateways:
            self.tgw_models.setdefault(tgw.name, tgw)
        self.pool_models = {p.name: p for p in (self.net.ipam.pools if self.net.ipam else [])}
        self.subnet_problems: dict[str, list] = {}
        self.vpcs: dict[str, VpcPlan] = {}
        for i, tgw in enumerate(self.net.transit_gateways):
            if tgw.egress and tgw.name in self.tgw_models and self.tgw_models[tgw.name] is tgw:
                self._add_egress_vpc(i, tgw)
        for i, vpc in enumerate(self.net.vpcs):
            self._add_vpc(i, vpc)

    # -- VPCs -------------------------------------------------------------
    def stack_for(self, account: str) -> str:
        return NETWORK_STACK if account == self.account else account_stack(account)

    def tgw_name(self, given: Optional[str]) -> Optional[str]:
        """The transit gateway a reference means (the only one when omitted), or None."""
        if given is not None:
            return given if given in self.tgw_models else None
        return next(iter(self.tgw_models)) if len(self.tgw_models) == 1 else None

    def _add_egress_vpc(self, i: int, tgw: TransitGateway) -> None:
        egress = tgw.egress
        assert egress is not None  # called only for a transit gateway with an egress VPC
        name = egress.name or f"{tgw.name}-egress"
        region = tgw.region or self.region
        azs = zones_for(region, egress.availability_zones)
        tiers = [TierSpec("public", egress.public_netmask, ()), TierSpec("transit", egress.transit_netmask, ())]
        net = parse_cidr(egress.cidr)
        subnets, problems = allocate(net.prefixlen, net, tiers, azs)
        self.subnet_problems[name] = problems
        # The egress VPC's attachment sits in the internal egress table, not in a segment.
        self.vpcs.setdefault(
            name,
            VpcPlan(
                name=name,
                account=self.account,
                region=region,
                stack=NETWORK_STACK,
                cidr=egress.cidr,
                pool=None,
                prefix=net.prefixlen,
                azs=azs,
                subnets=tuple(subnets),
                attachments=(AttachmentRef(tgw.name, EGRESS_TABLE),),
                path=("network", "transit_gateways", i, "egress"),
                egress_for=tgw.name,
            ),
        )

    def _add_vpc(self, i: int, vpc: Vpc) -> None:
        if vpc.name in self.vpcs:
            return
        region = vpc.region or self.region
        azs = zones_for(region, vpc.availability_zones)
        base = parse_cidr(vpc.cidr) if vpc.cidr else None
        prefix = base.prefixlen if base else (vpc.netmask_length or 16)
        attachments = []
        for a in vpc.attachments:
            tgw = self.tgw_name(a.transit_gateway)
            if tgw is not None:
                attachments.append(AttachmentRef(tgw, a.segment, a.appliance_mode))
        subnets, problems = allocate(prefix, base, tier_specs(vpc.subnets, bool(vpc.attachments)), azs)
        self.subnet_problems[vpc.name] = problems
        self.vpcs[vpc.name] = VpcPlan(
            name=vpc.name,
            account=vpc.account,
            region=region,
            stack=self.stack_for(vpc.account),
            cidr=vpc.cidr,
            pool=None if vpc.cidr else vpc.ipam_pool,
            prefix=prefix,
            azs=azs,
            subnets=tuple(subnets),
            attachments=tuple(attachments),
            path=("network", "vpcs", i),
            dns_hostnames=vpc.dns_hostnames,
            tags=dict(vpc.tags),
        )

    def space_of(self, vpc: VpcPlan) -> Optional[ipaddress.IPv4Network]:
        """The VPC's CIDR, or its IPAM pool's CIDR (what it is allocated from)."""
        if vpc.cidr:
            return vpc.network
        pool = self.pool_models.get(vpc.pool or "")
        return parse_cidr(pool.cidr) if pool else None

    # -- segments ---------------------------------------------------------
    def segment_reach(self, tgw: str, segment: str) -> dict[str, str]:
        """Segments whose attachments `segment`'s attachments reach, with why."""
        model = self.tgw_models.get(tgw)
        if model is None:
            return {}
        segs = {s.name: s for s in model.segments}
        me = segs.get(segment)
        if me is None:
            return {}
        out = {} if me.isolate_attachments else {segment: f"both in segment {segment!r}"}
        for s in model.segments:
            if s.name == segment:
                continue
            if s.name in me.connects_to:
                out[s.name] = f"segment {segment!r} connects to {s.name!r}"
            elif segment in s.connects_to:
                out[s.name] = f"segment {s.name!r} connects to {segment!r}"
        return out

    def egress_segments(self, tgw: str) -> tuple[str, ...]:
        model = self.tgw_models.get(tgw)
        if model is None or model.egress is None:
            return ()
        return tuple(s.name for s in model.segments if s.egress)

    @cached_property
    def tgws(self) -> dict[str, TgwPlan]:
        out = {}
        for name, model in self.tgw_models.items():
            segments = tuple(dict.fromkeys(s.name for s in model.segments))
            egress_vpc = next((v.name for v in self.vpcs.values() if v.egress_for == name), None)
            attachments = []
            for vpc in self.vpcs.values():
                for a in vpc.attachments:
                    if a.transit_gateway == name and (a.segment in segments or vpc.egress_for == name):
                        attachments.append(Attachment(f"vpc:{vpc.name}", "vpc", vpc.name, a.segment, vpc.stack))
            for dx in self.dx.values():
                for tgw, segment, _ in dx.associations:
                    if tgw == name and segment in segments:
                        attachments.append(Attachment(f"dx:{dx.name}", "dx", dx.name, segment, NETWORK_STACK))
            out[name] = TgwPlan(
                name=name,
                region=model.region or self.region,
                asn=model.asn,
                description=model.description,
                dns_support=model.dns_support,
                segments=segments,
                route_tables=segments + ((EGRESS_TABLE,) if egress_vpc else ()),
                egress_vpc=egress_vpc,
                share_organization=model.share_with.organization,
                share_ous=tuple(model.share_with.ous),
                attachments=tuple(attachments),
            )
        return out

    @cached_property
    def dx(self) -> dict[str, DxPlan]:
        out = {}
        for gw in self.net.direct_connect_gateways:
            if gw.name in out:
                continue
            assoc = []
            for a in gw.associations:
                tgw = self.tgw_name(a.transit_gateway)
                if tgw is not None:
                    assoc.append((tgw, a.segment, tuple(a.allowed_prefixes)))
            out[gw.name] = DxPlan(
                gw.name, gw.asn, tuple(assoc), tuple(gw.on_premises_prefixes), tuple(gw.transit_virtual_interfaces)
            )
        return out

    @cached_property
    def wires(self) -> tuple[Wire, ...]:
        out = []
        for tgw in self.tgws.values():
            egress = set(self.egress_segments(tgw.name))
            for att in tgw.attachments:
                out.append(Wire(tgw.name, att.segment, att.key, "association", att.stack))
                if att.segment == EGRESS_TABLE:
                    continue  # the egress VPC is reached through static default routes only
                for target in self.segment_reach(tgw.name, att.segment):
                    out.append(Wire(tgw.name, target, att.key, "propagation", att.stack))
                if att.segment in egress and tgw.egress_vpc:
                    out.append(Wire(tgw.name, EGRESS_TABLE, att.key, "propagation", att.stack))
        return tuple(out)

    @cached_property
    def tgw_routes(self) -> tuple[TgwRoute, ...]:
        out: list[TgwRoute] = []
        for _i, model in enumerate(self.net.transit_gateways):
            if self.tgw_models.get(model.name) is not model:
                continue
            tgw = self.tgws[model.name]
            for route in model.routes:
                if route.blackhole or route.vpc is None:
                    out.append(TgwRoute(tgw.name, route.segment, route.cidr, None, NETWORK_STACK, "configured blackhole"))
                else:
                    target = self.vpcs.get(route.vpc)
                    stack = target.stack if target else NETWORK_STACK
                    out.append(
                        TgwRoute(
                            tgw.name,
                            route.segment,
                            route.cidr,
                            f"vpc:{route.vpc}",
                            stack,
                            f"configured route to VPC {route.vpc!r}",
                        )
                    )
            if not tgw.egress_vpc:
                continue
            for segment in self.egress_segments(tgw.name):
                out.append(TgwRoute(tgw.name, segment, "0.0.0.0/0", f"vpc:{tgw.egress_vpc}", NETWORK_STACK, "centralized egress"))
                reach = self.segment_reach(tgw.name, segment)
                for att in tgw.attachments:
                    if att.segment == EGRESS_TABLE or att.segment in reach:
                        continue
                    why = f"segment {segment!r} does not reach segment {att.segment!r}"
                    if att.kind == "vpc":
                        vpc = self.vpcs[att.name]
                        out.append(TgwRoute(tgw.name, segment, vpc.cidr, None, vpc.stack, why, vpc=vpc.name))
                    else:
                        for prefix in self.dx[att.name].on_premises:
                            out.append(TgwRoute(tgw.name, segment, prefix, None, NETWORK_STACK, why))
        return tuple(out)

    def egress_return_cidrs(self, tgw: str) -> tuple[str, ...]:
        """What the egress VPC routes back to the transit gateway: summaries of every network that egresses."""
        plan = self.tgws.get(tgw)
        if plan is None:
            return ()
        egress = set(self.egress_segments(tgw))
        blocks: set[ipaddress.IPv4Network] = set()
        for att in plan.attachments:
            if att.segment not in egress:
                continue
            if att.kind == "vpc":
                space = self.space_of(self.vpcs[att.name])
                spaces = [space] if space else []
            else:
                spaces = [parse_cidr(p) for p in self.dx[att.name].on_premises]
            blocks.update(summary_block(s) for s in spaces)
        return tuple(str(b) for b in sorted(blocks))

    # -- peering ------------------------------------------------------------
    @cached_property
    def peerings(self) -> dict[str, PeeringPlan]:
        out = {}
        for p in self.net.peerings:
            req, acc = self.vpcs.get(p.requester), self.vpcs.get(p.accepter)
            if p.name in out or req is None or acc is None or req is acc:
                continue
            stack = max((req.stack, acc.stack), key=_stack_rank)
            out[p.name] = PeeringPlan(
                p.name,
                p.requester,
                p.accepter,
                tuple(p.requester_routes),
                tuple(p.accepter_routes),
                tuple(dict.fromkeys(p.route_tiers)),
                p.dns_resolution,
                stack,
            )
        return out

    # -- IPAM ---------------------------------------------------------------
    @cached_property
    def pools(self) -> dict[str, PoolPlan]:
        out = {}
        for name, pool in self.pool_models.items():
            allocs = tuple((v.name, v.prefix) for v in self.vpcs.values() if v.pool == name)
            out[name] = PoolPlan(name, pool.cidr, pool.region or self.region, pool.segment, pool.description, allocs)
        return out

    # -- reachability ---------------------------------------------------------
    @cached_property
    def nodes(self) -> dict[str, Node]:
        out = {}
        for vpc in self.vpcs.values():
            space = self.space_of(vpc)
            where = vpc.path + (("cidr",) if vpc.cidr else ("ipam_pool",))
            out[f"vpc:{vpc.name}"] = Node(f"vpc:{vpc.name}", "vpc", vpc.name, ((space, where),) if space else (), vpc.pool)
        for i, gw in enumerate(self.net.direct_connect_gateways):
            if f"dx:{gw.name}" in out:
                continue
            spaces = tuple(
                (parse_cidr(p), ("network", "direct_connect_gateways", i, "on_premises_prefixes", j))
                for j, p in enumerate(gw.on_premises_prefixes)
            )
            out[f"dx:{gw.name}"] = Node(f"dx:{gw.name}", "onprem", gw.name, spaces)
        return out

    @cached_property
    def blackhole_hits(self) -> tuple[BlackholeHit, ...]:
        """Configured blackholes that drop traffic to a network propagated into their segment (all or part of it)."""
        return tuple(blackhole_hits(self, EGRESS_TABLE))

    @cached_property
    def blackholed(self) -> dict[frozenset, str]:
        """Pairs a configured blackhole cuts apart (traffic one way is dropped, so neither reaches the other)."""
        out: dict[frozenset, str] = {}
        for hit in self.blackhole_hits:
            if not hit.whole:
                continue
            for att in self.tgws[hit.transit_gateway].attachments:
                if att.segment == hit.segment and att.key != hit.node:
                    out.setdefault(
                        frozenset((att.key, hit.node)),
                        f"blackhole {hit.cidr} in segment {hit.segment!r} of {hit.transit_gateway!r} drops traffic "
                        f"to {hit.name} ({hit.space})",
                    )
        return out

    # Reach is held per segment, not per pair: hundreds of VPCs on one segment make hundreds of thousands of
    # pairs, and building them was most of `lz validate` at 1,000 accounts. A pair's reason is the first found
    # walking each transit gateway's attachments in order (then the egress VPC, then the peerings), as before.
    @cached_property
    def _tgw_reach(self) -> tuple[_TgwReach, ...]:
        out = []
        for tgw in self.tgws.values():
            atts = tuple(a for a in tgw.attachments if a.segment != EGRESS_TABLE)
            positions: dict[str, list[int]] = {}
            members: dict[str, dict[str, None]] = {}
            for i, a in enumerate(atts):
                positions.setdefault(a.key, []).append(i)
                members.setdefault(a.segment, {})[a.key] = None
            out.append(
                _TgwReach(
                    name=tgw.name,
                    atts=atts,
                    positions={k: tuple(v) for k, v in positions.items()},
                    members={k: tuple(v) for k, v in members.items()},
                    segment_reach={seg: self.segment_reach(tgw.name, seg) for seg in members},
                    egress_segments=frozenset(self.egress_segments(tgw.name)) if tgw.egress_vpc else frozenset(),
                    egress_key=f"vpc:{tgw.egress_vpc}" if tgw.egress_vpc else None,
                )
            )
        return tuple(out)

    @cached_property
    def _peering_reach(self) -> dict[frozenset, str]:
        out: dict[frozenset, str] = {}
        for p in self.peerings.values():
            if p.requester != p.accepter:
                out.setdefault(frozenset((f"vpc:{p.requester}", f"vpc:{p.accepter}")), f"peering {p.name!r}")
        return out

    @cached_property
    def _peers(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, dict[str, None]] = {}
        for a, b in self._peering_reach:
            out.setdefault(a, {})[b] = None
            out.setdefault(b, {})[a] = None
        return {k: tuple(v) for k, v in out.items()}

    def _other_reach(self, key: str) -> dict[str, None]:
        """What `key` routes to besides its segments: the egress VPC (or, for the egress VPC, what egresses
        through it) and its peers. No blackhole cuts these."""
        out: dict[str, None] = {}
        for t in self._tgw_reach:
            if t.egress_key and any(t.atts[i].segment in t.egress_segments for i in t.positions.get(key, ())):
                out[t.egress_key] = None
            if key == t.egress_key:
                out.update((m, None) for s in sorted(t.egress_segments) for m in t.members.get(s, ()))
        out.update(dict.fromkeys(self._peers.get(key, ())))
        out.pop(key, None)
        return out

    @cached_property
    def _blackholed_keys(self) -> frozenset[str]:
        return frozenset(key for pair in self.blackholed for key in pair)

    def reaches(self, a: str, b: str) -> Optional[str]:
        """Why `a` and `b` route to each other (the first reason found), or None."""
        if a == b:
            return None
        pair = frozenset((a, b))
        cut = pair in self.blackholed
        for t in self._tgw_reach:
            pa, pb = t.positions.get(a, ()), t.positions.get(b, ())
            for i in sorted({*pa, *pb}):
                att = t.atts[i]
                other, other_positions = (b, pb) if att.key == a else (a, pa)
                reach = t.segment_reach[att.segment]
                if not cut:
                    for j in other_positions:
                        if j > i and t.atts[j].segment in reach:
                            return f"{reach[t.atts[j].segment]} on transit gateway {t.name!r}"
                if other == t.egress_key and att.segment in t.egress_segments:
                    return f"segment {att.segment!r} sends 0.0.0.0/0 to the egress VPC of {t.name!r}"
        return self._peering_reach.get(pair)

    def reach_groups(self, key: str) -> Optional[tuple[tuple[tuple[str, str, bool], ...], tuple[str, ...]]]:
        """What `key` routes to, in parts: (transit gateway, segment, whether `key` is among them) for each
        attachment, meaning every node attached in a segment that segment reaches, and the other nodes it
        routes to (the egress VPC, peers). None when a blackhole cuts one of its pairs (ask `neighbours`)."""
        if key in self._blackholed_keys:
            return None
        groups = tuple(
            (t.name, t.atts[i].segment, t.atts[i].segment in t.segment_reach[t.atts[i].segment])
            for t in self._tgw_reach
            for i in t.positions.get(key, ())
        )
        return groups, tuple(self._other_reach(key))

    def group_spans(self, tgw: str, segment: str) -> tuple[tuple[int, int], ...]:
        """The address spans of every node attached to `tgw` in a segment `segment` reaches, sorted and merged."""
        cache = self._group_spans
        if (tgw, segment) not in cache:
            t = next(t for t in self._tgw_reach if t.name == tgw)
            spans = sorted(span for s in t.segment_reach[segment] for m in t.members.get(s, ()) for span in self.spans[m])
            merged: list[list[int]] = []
            for first, last in spans:
                if merged and first <= merged[-1][1] + 1:
                    merged[-1][1] = max(merged[-1][1], last)
                else:
                    merged.append([first, last])
            cache[(tgw, segment)] = tuple((first, last) for first, last in merged)
        return cache[(tgw, segment)]

    @cached_property
    def _group_spans(self) -> dict[tuple[str, str], tuple[tuple[int, int], ...]]:
        return {}

    @cached_property
    def spans(self) -> dict[str, tuple[tuple[int, int], ...]]:
        """Node key -> its address spaces as (first, last) address integers (for set arithmetic at scale)."""
        return {
            key: tuple((int(space.network_address), int(space.broadcast_address)) for space, _ in node.spaces)
            for key, node in self.nodes.items()
        }

    def neighbours(self, key: str) -> Iterator[str]:
        """Keys of the nodes `key` routes to (each once; transit gateway segments first, then egress and peers)."""
        out: dict[str, None] = {}
        for t in self._tgw_reach:
            for i in t.positions.get(key, ()):
                for segment in t.segment_reach[t.atts[i].segment]:
                    out.update(dict.fromkeys(t.members.get(segment, ())))
        out.pop(key, None)
        if key in self._blackholed_keys:
            for other in list(out):
                if frozenset((key, other)) in self.blackholed:
                    del out[other]
        out.update(self._other_reach(key))
        yield from out

    # -- stacks -------------------------------------------------------------
    def vpcs_in(self, stack: str) -> list[VpcPlan]:
        return [v for v in self.vpcs.values() if v.stack == stack]

    @property
    def account_stacks(self) -> list[tuple[str, str]]:
        """(stack, account) of every member account that owns a VPC, by name."""
        accounts = sorted({v.account for v in self.vpcs.values() if v.stack != NETWORK_STACK})
        return [(account_stack(a), a) for a in accounts]


def _stack_rank(stack: str) -> tuple:
    return (stack != NETWORK_STACK, stack)
