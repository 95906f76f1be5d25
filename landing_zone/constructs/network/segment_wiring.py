"""What the transit gateway's owner does with one attachment: accept it, associate it with its
segment, propagate it, and route to it (or blackhole its addresses where it must not be reached)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional

from cdktf import TerraformProvider
from cdktf_cdktf_provider_aws.ec2_transit_gateway_route import Ec2TransitGatewayRoute
from cdktf_cdktf_provider_aws.ec2_transit_gateway_route_table_association import Ec2TransitGatewayRouteTableAssociation
from cdktf_cdktf_provider_aws.ec2_transit_gateway_route_table_propagation import Ec2TransitGatewayRouteTablePropagation
from cdktf_cdktf_provider_aws.ec2_transit_gateway_vpc_attachment_accepter import Ec2TransitGatewayVpcAttachmentAccepter
from constructs import Construct

from ._common import lid, tags
from .transit_gateway import TransitGatewayHub
from .vpc import cidr_key


@dataclass(frozen=True, kw_only=True)
class StaticRoute:
    """A static route in one of the hub's route tables."""

    route_table: str
    """Route table (segment) name."""
    cidr: str
    """Destination CIDR (a literal or a token such as a VPC's cidr_block)."""
    blackhole: bool = False
    """Drop the traffic instead of sending it to this attachment (default false)."""
    key: Optional[str] = None
    """Logical-id key when `cidr` is a token (default: derived from the literal CIDR)."""


@dataclass(frozen=True, kw_only=True)
class SegmentWiringProps:
    """How one attachment joins the hub's segments."""

    hub: TransitGatewayHub
    """The transit gateway (may live in another stack: cdktf passes its ids across)."""
    key: str
    """Logical-id key of the attachment, such as 'vpc_payments-prod' (unique per hub)."""
    attachment_id: Optional[str] = None
    """Id of the attachment; None for blackhole-only wiring (default None)."""
    accept: bool = False
    """Accept the attachment first: it was created by another account (default false)."""
    association: Optional[str] = None
    """Route table the attachment is associated with (default none)."""
    propagations: tuple[str, ...] = ()
    """Route tables that learn the attachment's routes (default none)."""
    routes: tuple[StaticRoute, ...] = ()
    """Static routes to the attachment, or blackholes (default none)."""
    name: Optional[str] = None
    """Name tag of the accepted attachment: give the attachment's own, since both sides tag the same
    attachment and different tags would fight (default '<hub>-<key>')."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Other tags of the accepted attachment, the attachment's own for the same reason (default none)."""
    provider: Optional[TerraformProvider] = None
    """Provider of the transit gateway's owner (default: the stack's default provider)."""


class SegmentWiring(Construct):
    """`aws_ec2_transit_gateway_vpc_attachment_accepter` (when `accept`, default route tables off),
    `aws_ec2_transit_gateway_route_table_association`, one `..._propagation` per table and one
    `aws_ec2_transit_gateway_route` per static route. Attribute: `attachment_id` (the accepted one)."""

    def __init__(self, scope: Construct, id: str, props: SegmentWiringProps) -> None:
        super().__init__(scope, id)
        hub, p, key = props.hub, props.provider, props.key
        self.attachment_id = props.attachment_id
        if props.accept:
            if props.attachment_id is None:
                raise ValueError(f"{key}: nothing to accept without an attachment_id")
            accepter = lid(
                Ec2TransitGatewayVpcAttachmentAccepter(
                    self,
                    "accepter",
                    provider=p,
                    transit_gateway_attachment_id=props.attachment_id,
                    transit_gateway_default_route_table_association=False,
                    transit_gateway_default_route_table_propagation=False,
                    tags=tags(props.name or f"{hub.name}-{key}", props.tags),
                ),
                "tgw_accepter",
                hub.name,
                key,
            )
            self.attachment_id = accepter.id
        if props.association and self.attachment_id:
            lid(
                Ec2TransitGatewayRouteTableAssociation(
                    self,
                    "association",
                    provider=p,
                    transit_gateway_attachment_id=self.attachment_id,
                    transit_gateway_route_table_id=hub.route_table_id(props.association),
                ),
                "tgw_association",
                hub.name,
                key,
            )
        for table in props.propagations if self.attachment_id else ():
            lid(
                Ec2TransitGatewayRouteTablePropagation(
                    self,
                    f"propagation_{table}",
                    provider=p,
                    transit_gateway_attachment_id=self.attachment_id,
                    transit_gateway_route_table_id=hub.route_table_id(table),
                ),
                "tgw_propagation",
                hub.name,
                key,
                table,
            )
        for route in props.routes:
            if not route.blackhole and not self.attachment_id:
                raise ValueError(f"{key}: a route to {route.cidr} needs an attachment_id (or blackhole)")
            what = "blackhole" if route.blackhole else "route"
            lid(
                Ec2TransitGatewayRoute(
                    self,
                    f"{what}_{route.route_table}_{route.key or cidr_key(route.cidr)}",
                    provider=p,
                    destination_cidr_block=route.cidr,
                    transit_gateway_route_table_id=hub.route_table_id(route.route_table),
                    blackhole=True if route.blackhole else None,
                    transit_gateway_attachment_id=None if route.blackhole else self.attachment_id,
                ),
                f"tgw_{what}",
                hub.name,
                route.route_table,
                route.key or cidr_key(route.cidr),
            )
