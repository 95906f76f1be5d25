"""Configured blackhole routes that drop traffic to a live network (issue 23 A.9).

A transit-gateway route table picks the longest matching prefix, and a static route beats a propagated one
of the same prefix. So a configured blackhole drops traffic to a VPC (or on-premises prefix) propagated into
its segment when it is as specific as that network's CIDR (the whole network) or more specific (part of it);
a broader blackhole loses to the propagated route and drops nothing there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from .network_types import parse_cidr

if TYPE_CHECKING:
    from .network_plan import NetworkPlan


@dataclass(frozen=True)
class BlackholeHit:
    transit_gateway: str
    segment: str
    cidr: str
    path: tuple  # YAML path of the route
    node: str  # key of the network it drops traffic to
    space: str  # that network's CIDR
    whole: bool  # the whole network (else part of it)

    @property
    def name(self) -> str:
        return self.node.split(":", 1)[1]


def blackhole_hits(plan: "NetworkPlan", egress_table: str) -> Iterator[BlackholeHit]:
    for i, model in enumerate(plan.net.transit_gateways if plan.net else ()):
        if plan.tgw_models.get(model.name) is not model or model.name not in plan.tgws:
            continue
        for j, route in enumerate(model.routes):
            if not route.blackhole and route.vpc is not None:
                continue
            hole = parse_cidr(route.cidr)
            if hole is None:
                continue  # its own rule reports a bad CIDR
            reached = plan.segment_reach(model.name, route.segment)
            for att in plan.tgws[model.name].attachments:
                node = plan.nodes.get(att.key)
                if att.segment == egress_table or att.segment not in reached or node is None or node.pool:
                    continue  # not propagated there, or an IPAM VPC whose own CIDR is known only at deploy time
                for space, _where in node.spaces:
                    if hole.version == space.version and hole.overlaps(space) and hole.prefixlen >= space.prefixlen:
                        yield BlackholeHit(
                            model.name,
                            route.segment,
                            route.cidr,
                            ("network", "transit_gateways", i, "routes", j),
                            att.key,
                            str(space),
                            hole.prefixlen == space.prefixlen,
                        )
