"""Centralized egress: one VPC with a NAT gateway per zone for every spoke behind the transit gateway."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional

from cdktf import TerraformProvider
from cdktf_cdktf_provider_aws.eip import Eip
from cdktf_cdktf_provider_aws.nat_gateway import NatGateway
from constructs import Construct

from ...derived.network_acls import AclRule
from ._common import lid, tags
from .vpc import LandingZoneVpc, SubnetSpec, VpcProps


@dataclass(frozen=True, kw_only=True)
class EgressVpcProps:
    """The egress VPC: public subnets with NAT gateways, transit subnets for the attachment."""

    name: str
    """VPC name."""
    cidr_block: str
    """CIDR of the egress VPC."""
    subnets: tuple[SubnetSpec, ...]
    """Public and transit subnets, one of each per zone."""
    transit_gateway_id: str
    """The transit gateway whose spokes egress here (same account)."""
    return_cidrs: tuple[str, ...]
    """Address blocks of the spokes, routed back to the transit gateway from the public subnets."""
    flow_log_destination_arn: str
    """S3 bucket ARN for the flow logs."""
    flow_log_traffic_type: str = "ALL"
    """ALL, ACCEPT or REJECT (default ALL)."""
    flow_log_max_aggregation_interval: int = 600
    """60 or 600 (default 600)."""
    network_acls: Mapping[str, tuple[AclRule, ...]] = field(default_factory=dict)
    """Network ACL rules per tier (default none: the default network ACL)."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags (default none)."""
    provider: Optional[TerraformProvider] = None
    """Provider of the network account (default: the stack's default provider)."""


class EgressVpc(Construct):
    """A LandingZoneVpc (route table per zone) plus, per zone, `aws_eip` and `aws_nat_gateway`
    in the public subnet, the transit subnets' 0.0.0.0/0 to that zone's NAT gateway, and the
    public subnets' routes back to the transit gateway for `return_cidrs`.

    Attributes: `vpc` (LandingZoneVpc), `nat_gateways` (zone -> aws_nat_gateway),
    `transit_gateway_attachment_id`.
    """

    def __init__(self, scope: Construct, id: str, props: EgressVpcProps) -> None:
        super().__init__(scope, id)
        p, name = props.provider, props.name
        if {s.tier for s in props.subnets} != {"public", "transit"}:
            raise ValueError(f"egress VPC {name!r} needs exactly public and transit subnets")
        self.vpc = LandingZoneVpc(
            self,
            "vpc",
            VpcProps(
                name=name,
                cidr_block=props.cidr_block,
                subnets=props.subnets,
                route_table_per_az=True,
                flow_log_destination_arn=props.flow_log_destination_arn,
                flow_log_traffic_type=props.flow_log_traffic_type,
                flow_log_max_aggregation_interval=props.flow_log_max_aggregation_interval,
                network_acls=props.network_acls,
                tags=props.tags,
                provider=p,
            ),
        )
        self.nat_gateways: dict[str, NatGateway] = {}
        for (tier, zone), subnet in sorted(self.vpc.subnets.items()):
            if tier != "public":
                continue
            eip = lid(
                Eip(self, f"eip_{zone}", provider=p, domain="vpc", tags=tags(f"{name}-nat-{zone}", props.tags)), "eip", name, zone
            )
            self.nat_gateways[zone] = lid(
                NatGateway(
                    self,
                    f"nat_{zone}",
                    provider=p,
                    allocation_id=eip.allocation_id,
                    subnet_id=subnet.id,
                    connectivity_type="public",
                    tags=tags(f"{name}-nat-{zone}", props.tags),
                    depends_on=[self.vpc.internet_gateway] if self.vpc.internet_gateway else None,
                ),
                "nat",
                name,
                zone,
            )
        attachment = self.vpc.attach_to_transit_gateway(props.transit_gateway_id, same_account=True, default_route_tiers=())
        for zone, nat in self.nat_gateways.items():
            self.vpc.add_route(("transit", zone), "0.0.0.0/0", why="nat", nat_gateway_id=nat.id)
        for cidr in props.return_cidrs:
            self.vpc.add_tier_route(
                "public", cidr, why="tgw", transit_gateway_id=props.transit_gateway_id, depends_on=[attachment]
            )

    @property
    def transit_gateway_attachment_id(self) -> str:
        return self.vpc.transit_gateway_attachment_id
