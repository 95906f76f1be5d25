"""The `network:` section: transit gateways and segments, VPCs, egress, peering, Direct Connect, IPAM."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import AfterValidator, BeforeValidator, Field

from .base import StrictModel, Tags

Tier = Literal["public", "private", "isolated", "transit"]
TIERS: tuple[str, ...] = ("private", "isolated", "public", "transit")
"""Subnet tiers in the order their subnets are allocated inside a VPC."""

VPC_PREFIXES = (16, 28)
"""Prefix lengths AWS allows for a VPC's IPv4 CIDR block (and its subnets)."""

_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$")


def parse_cidr(value: str) -> ipaddress.IPv4Network:
    """The network of a CIDR string the models accepted."""
    return ipaddress.IPv4Network(value)


def _cidr(value: Any) -> Any:
    if not isinstance(value, str):
        return value  # the str type reports it
    try:
        ipaddress.IPv4Network(value, strict=False)
    except ValueError:
        raise ValueError(f"{value!r} is not an IPv4 CIDR block (expected a.b.c.d/n such as '10.0.0.0/16')") from None
    if "/" not in value:
        raise ValueError(f"{value!r} has no prefix length (expected a.b.c.d/n such as '{value}/24')")
    net = ipaddress.IPv4Network(value, strict=False)
    if str(net) != value:
        raise ValueError(f"{value!r} has host bits set; the network is {str(net)!r}")
    return value


def _vpc_cidr(value: str) -> str:
    lo, hi = VPC_PREFIXES
    prefix = ipaddress.IPv4Network(value).prefixlen
    if not lo <= prefix <= hi:
        raise ValueError(f"{value!r} is a /{prefix}; a VPC's CIDR block must be between /{lo} and /{hi}")
    return value


def _name(value: Any) -> Any:
    if isinstance(value, str) and not _NAME.match(value):
        raise ValueError(
            f"{value!r} is not a valid name (expected 1-32 lower-case letters, digits and inner hyphens, such as 'prod')"
        )
    return value


Cidr = Annotated[str, BeforeValidator(_cidr)]
VpcCidr = Annotated[str, BeforeValidator(_cidr), AfterValidator(_vpc_cidr)]
Name = Annotated[str, BeforeValidator(_name)]
Netmask = Annotated[int, Field(ge=VPC_PREFIXES[0], le=VPC_PREFIXES[1])]
ZoneName = Annotated[str, Field(pattern=r"^[a-z]{2}(-[a-z]+)+-\d[a-z]$", description="A zone name such as eu-west-1a.")]
Zones = Union[Annotated[int, Field(ge=1, le=6)], Annotated[list[ZoneName], Field(min_length=1, max_length=6)]]
"""How many zones (the region's first N, from data/aws_availability_zones.yaml) or which, by name."""
Asn = Annotated[int, Field(ge=1, le=4294967294)]


def _private_tier() -> list[Tier]:
    return ["private"]


class Segment(StrictModel):
    """A transit-gateway route table: attachments in it reach only what the config connects."""

    name: Name = Field(description="Segment name, unique per transit gateway, such as 'prod'.")
    description: str = Field("", description="What the segment holds (default empty).")
    connects_to: list[str] = Field(
        default_factory=list,
        description="Segments whose attachments exchange routes with this one's, both ways (default none: isolated from every other segment).",
    )
    isolate_attachments: bool = Field(False, description="Attachments of this segment do not reach each other (default false).")
    egress: bool = Field(
        False,
        description="Send 0.0.0.0/0 from this segment to the transit gateway's egress VPC, and drop traffic to unconnected networks (default false; needs `egress`).",
    )


class TransitGatewayRoute(StrictModel):
    """A static route in one segment's route table: to a VPC's attachment, or a blackhole."""

    segment: str = Field(description="Segment whose route table gets the route.")
    cidr: Cidr = Field(description="Destination CIDR block.")
    vpc: Optional[str] = Field(
        None, description="VPC whose attachment receives the traffic (default none; then `blackhole` must be true)."
    )
    blackhole: bool = Field(False, description="Drop the traffic (default false).")


class ShareWith(StrictModel):
    """Who may attach to the transit gateway (a RAM share inside the organization; never external)."""

    organization: bool = Field(False, description="The whole organization (default false).")
    ous: list[str] = Field(
        default_factory=list, description="OU paths whose accounts (and those below) may attach (default none)."
    )


class EgressVpc(StrictModel):
    """The centralized egress VPC: NAT gateways for every segment with `egress: true`."""

    name: Optional[Name] = Field(None, description="VPC name (default '<transit gateway>-egress').")
    cidr: VpcCidr = Field(description="CIDR block of the egress VPC, /16 to /28.")
    availability_zones: Zones = Field(
        2,
        description="Availability zones, each with a NAT gateway: how many (the region's first N) or which, by name (default 2).",
    )
    public_netmask: Netmask = Field(28, description="Prefix length of the public (NAT) subnets (default 28).")
    transit_netmask: Netmask = Field(28, description="Prefix length of the transit-gateway subnets (default 28).")


class TransitGateway(StrictModel):
    """A transit gateway in the network account, with its segments."""

    name: Name = Field(description="Transit gateway name, unique, such as 'hub'.")
    region: Optional[str] = Field(None, description="Region (default network.region).")
    asn: Asn = Field(64512, description="Amazon side BGP ASN, private: 64512-65534 or 4200000000-4294967294 (default 64512).")
    description: str = Field("", description="Description (default empty).")
    segments: list[Segment] = Field(description="Segments (route tables).")
    routes: list[TransitGatewayRoute] = Field(default_factory=list, description="Static and blackhole routes (default none).")
    share_with: ShareWith = Field(
        default_factory=lambda: ShareWith(organization=True),
        description="Accounts that may attach (default: the whole organization).",
    )
    egress: Optional[EgressVpc] = Field(None, description="Centralized egress VPC (default none).")
    dns_support: bool = Field(True, description="DNS resolution across attachments (default true).")


class SubnetTier(StrictModel):
    """The subnets of one tier: one per availability zone, by prefix length or written out."""

    netmask: Optional[Netmask] = Field(
        None, description="Prefix length of each subnet, allocated in the VPC in tier order (default none; then `cidrs`)."
    )
    cidrs: list[Cidr] = Field(
        default_factory=list, description="One CIDR per availability zone, in zone order (default none; then `netmask`)."
    )


class Subnets(StrictModel):
    """Subnet tiers of a VPC; an omitted tier has no subnets."""

    private: Optional[SubnetTier] = Field(
        None, description="Workloads; default route to the transit gateway when attached (default none)."
    )
    isolated: Optional[SubnetTier] = Field(None, description="No route out of the VPC except peering (default none).")
    public: Optional[SubnetTier] = Field(
        None, description="Default route to an internet gateway; no public IPs by default (default none)."
    )
    transit: Optional[SubnetTier] = Field(
        None, description="Transit-gateway attachment subnets (default: /28 per zone when the VPC is attached)."
    )


class VpcAttachment(StrictModel):
    """The VPC's attachment to a transit gateway, in one segment."""

    transit_gateway: Optional[str] = Field(None, description="Transit gateway name (default: the only one).")
    segment: str = Field(description="Segment the attachment is associated with.")
    appliance_mode: bool = Field(False, description="Keep flows symmetric across zones, for inspection VPCs (default false).")


class VpcAddressing(StrictModel):
    """Where a VPC lives and how it is addressed: shared by `network.vpcs` entries and a request's `network:`."""

    region: Optional[str] = Field(None, description="Region (default network.region).")
    cidr: Optional[VpcCidr] = Field(
        None, description="CIDR block, /16 to /28 (default none; then `ipam_pool` and `netmask_length`)."
    )
    ipam_pool: Optional[str] = Field(None, description="IPAM pool of network.ipam to allocate the CIDR from (default none).")
    netmask_length: Optional[Netmask] = Field(None, description="Prefix length allocated from `ipam_pool` (default none).")
    availability_zones: Zones = Field(
        2,
        description="Availability zones: how many (the region's first N, 1 to 6) or which, "
        "by name such as [eu-west-1a, eu-west-1c] (default 2).",
    )
    subnets: Subnets = Field(description="Subnet tiers.")
    dns_hostnames: bool = Field(True, description="DNS host names for instances (default true).")
    tags: Tags = Field(description="Tags on the VPC and its parts (default none).")


class Vpc(VpcAddressing):
    """A VPC in a member account (a spoke when attached to a transit gateway)."""

    name: Name = Field(description="VPC name, unique in the environment.")
    account: str = Field(description="Account that owns the VPC; its stack builds it.")
    attachments: list[VpcAttachment] = Field(
        default_factory=list, description="Transit-gateway attachments (default none: not attached)."
    )


class Peering(StrictModel):
    """A VPC peering connection; routes on both sides for the peer's addresses only."""

    name: Name = Field(description="Peering name, unique.")
    requester: str = Field(description="VPC that requests the connection.")
    accepter: str = Field(description="VPC that accepts it (any account or region).")
    requester_routes: list[Cidr] = Field(
        default_factory=list,
        description="Destinations routed from the requester into the peering, inside the accepter VPC (default: the accepter's CIDR).",
    )
    accepter_routes: list[Cidr] = Field(
        default_factory=list,
        description="Destinations routed from the accepter, inside the requester VPC (default: the requester's CIDR).",
    )
    route_tiers: list[Tier] = Field(
        default_factory=_private_tier,
        description="Subnet tiers whose route tables get the routes, on both sides (default [private]).",
    )
    dns_resolution: bool = Field(
        True, description="Resolve the peer's private DNS names to private IPs, both ways (default true)."
    )


class DirectConnectAssociation(StrictModel):
    """The Direct Connect gateway's association with a transit gateway."""

    transit_gateway: Optional[str] = Field(None, description="Transit gateway name (default: the only one).")
    segment: str = Field(description="Segment the Direct Connect attachment is associated with.")
    allowed_prefixes: list[Cidr] = Field(description="Prefixes advertised to on-premises.")


class TransitVirtualInterface(StrictModel):
    """A transit virtual interface on an existing Direct Connect connection."""

    name: Name = Field(description="Interface name.")
    connection_id: str = Field(
        pattern=r"^dx(con|lag)-[a-z0-9]{8}$", description="Existing connection or LAG id (dxcon-xxxxxxxx)."
    )
    vlan: int = Field(ge=1, le=4094, description="VLAN id, 1-4094.")
    customer_asn: Asn = Field(description="BGP ASN of the on-premises router.")
    mtu: Literal[1500, 8500] = Field(8500, description="MTU (default 8500, jumbo frames).")


class DirectConnectGateway(StrictModel):
    """A Direct Connect gateway associated with transit gateways."""

    name: Name = Field(description="Gateway name, unique.")
    asn: Asn = Field(description="Amazon side BGP ASN, private and different from the transit gateway's.")
    associations: list[DirectConnectAssociation] = Field(description="Transit gateways it connects to.")
    on_premises_prefixes: list[Cidr] = Field(
        default_factory=list, description="Networks behind the gateway, checked for overlaps (default none)."
    )
    transit_virtual_interfaces: list[TransitVirtualInterface] = Field(
        default_factory=list, description="Transit VIFs on existing connections (default none)."
    )


class IpamPool(StrictModel):
    """An IPAM pool VPCs allocate their CIDR from."""

    name: Name = Field(description="Pool name, unique.")
    cidr: Cidr = Field(description="CIDR provisioned to the pool.")
    region: Optional[str] = Field(None, description="Region (locale) of the pool (default network.region).")
    segment: Optional[str] = Field(
        None, description="Segment whose VPCs the pool is for; VPCs from it must attach there (default any)."
    )
    description: str = Field("", description="Description (default empty).")


class Ipam(StrictModel):
    """IP address management in the network account, pools shared like the transit gateways."""

    pools: list[IpamPool] = Field(description="Pools.")


class FlowLogs(StrictModel):
    """VPC flow logs to the log archive bucket (every VPC has them)."""

    traffic_type: Literal["ALL", "ACCEPT", "REJECT"] = Field("ALL", description="Traffic to log (default ALL).")
    max_aggregation_interval: Literal[60, 600] = Field(600, description="Seconds per flow record (default 600).")


class Network(StrictModel):
    """Networking: transit gateways with segments, VPCs, egress, peering, Direct Connect, IPAM."""

    account: str = Field(
        "network", description="Account that owns the transit gateways, egress VPCs, Direct Connect and IPAM (default 'network')."
    )
    region: Optional[str] = Field(None, description="Default region of network resources (default organization.home_region).")
    flow_logs: FlowLogs = Field(default_factory=FlowLogs, description="Flow log settings of every VPC.")
    transit_gateways: list[TransitGateway] = Field(default_factory=list, description="Transit gateways (default none).")
    vpcs: list[Vpc] = Field(default_factory=list, description="VPCs (default none).")
    peerings: list[Peering] = Field(default_factory=list, description="VPC peering connections (default none).")
    direct_connect_gateways: list[DirectConnectGateway] = Field(
        default_factory=list, description="Direct Connect gateways (default none)."
    )
    ipam: Optional[Ipam] = Field(None, description="IPAM (default none: static CIDRs only).")
