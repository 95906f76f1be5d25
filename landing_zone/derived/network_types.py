"""The records a NetworkPlan is made of (pure data, no cdktf)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Optional

from .network_cidrs import SubnetPlan


def parse_cidr(value: str) -> ipaddress.IPv4Network:
    return ipaddress.IPv4Network(value)


@dataclass(frozen=True)
class AttachmentRef:
    transit_gateway: str
    segment: str
    appliance_mode: bool = False


@dataclass(frozen=True)
class VpcPlan:
    """One VPC: where it lives, its addresses and subnets, its attachments."""

    name: str
    account: str
    region: str
    stack: str
    cidr: Optional[str]
    """Static CIDR, or None when IPAM allocates it at deploy time."""
    pool: Optional[str]
    prefix: int
    azs: tuple[str, ...]
    subnets: tuple[SubnetPlan, ...]
    attachments: tuple[AttachmentRef, ...]
    path: tuple
    """YAML path of the VPC (for messages)."""
    egress_for: Optional[str] = None
    """Transit gateway whose centralized egress this VPC is."""
    dns_hostnames: bool = True
    tags: dict = field(default_factory=dict, compare=False)

    @property
    def tiers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.tier for s in self.subnets))

    @property
    def network(self) -> Optional[ipaddress.IPv4Network]:
        return parse_cidr(self.cidr) if self.cidr else None

    def segment_on(self, tgw: str) -> Optional[str]:
        return next((a.segment for a in self.attachments if a.transit_gateway == tgw), None)


@dataclass(frozen=True)
class Attachment:
    """An attachment to a transit gateway: a VPC's or a Direct Connect gateway's."""

    key: str
    """`vpc:<name>` or `dx:<name>`, unique per transit gateway."""
    kind: str
    name: str
    segment: str
    stack: str
    """Stack that creates the attachment and wires it."""


@dataclass(frozen=True)
class Wire:
    """An association (`kind='association'`) or propagation of an attachment with a route table."""

    transit_gateway: str
    route_table: str
    attachment: str
    kind: str
    stack: str


@dataclass(frozen=True)
class TgwRoute:
    """A static route in a transit-gateway route table."""

    transit_gateway: str
    route_table: str
    cidr: Optional[str]
    """Destination; None means the CIDR of `vpc`, known only at deploy time (IPAM)."""
    attachment: Optional[str]
    """Target attachment key; None is a blackhole."""
    stack: str
    reason: str
    vpc: Optional[str] = None


@dataclass(frozen=True)
class TgwPlan:
    name: str
    region: str
    asn: int
    description: str
    dns_support: bool
    segments: tuple[str, ...]
    route_tables: tuple[str, ...]
    egress_vpc: Optional[str]
    share_organization: bool
    share_ous: tuple[str, ...]
    attachments: tuple[Attachment, ...]


@dataclass(frozen=True)
class PeeringPlan:
    name: str
    requester: str
    accepter: str
    requester_routes: tuple[str, ...]
    """Destinations routed from the requester; empty: the accepter VPC's whole CIDR."""
    accepter_routes: tuple[str, ...]
    tiers: tuple[str, ...]
    dns_resolution: bool
    stack: str


@dataclass(frozen=True)
class DxPlan:
    name: str
    asn: int
    associations: tuple[tuple[str, str, tuple[str, ...]], ...]
    """(transit gateway, segment, allowed prefixes)."""
    on_premises: tuple[str, ...]
    vifs: tuple = ()


@dataclass(frozen=True)
class PoolPlan:
    name: str
    cidr: str
    region: str
    segment: Optional[str]
    description: str
    allocations: tuple[tuple[str, int], ...]
    """(VPC, prefix length) allocated from the pool."""


@dataclass(frozen=True)
class Node:
    """A network that routes: a VPC, or the on-premises prefixes behind a Direct Connect gateway."""

    key: str
    kind: str  # "vpc" | "onprem"
    name: str
    spaces: tuple[tuple[ipaddress.IPv4Network, tuple], ...]
    """(address space, YAML path of where it is written); a pool's CIDR stands for an IPAM VPC."""
    pool: Optional[str] = None

    @property
    def label(self) -> str:
        return f"VPC {self.name!r}" if self.kind == "vpc" else f"the on-premises network of Direct Connect gateway {self.name!r}"
