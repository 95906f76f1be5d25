"""VPC peering across accounts and regions: requester and accepter sides with their own providers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from cdktf import TerraformProvider, Token
from cdktf_cdktf_provider_aws.route import Route
from cdktf_cdktf_provider_aws.vpc_peering_connection import VpcPeeringConnection
from cdktf_cdktf_provider_aws.vpc_peering_connection_accepter import VpcPeeringConnectionAccepterA
from cdktf_cdktf_provider_aws.vpc_peering_connection_options import (
    VpcPeeringConnectionOptions,
    VpcPeeringConnectionOptionsAccepter,
    VpcPeeringConnectionOptionsRequester,
)
from constructs import Construct

from ._common import lid, tags
from .vpc import LandingZoneVpc, cidr_key


@dataclass(frozen=True, kw_only=True)
class VpcPeeringProps:
    """Two VPCs peered; each side routes only the destinations it is given."""

    name: str
    """Peering name (Name tag and logical-id key)."""
    requester: LandingZoneVpc
    """The VPC that requests."""
    accepter: LandingZoneVpc
    """The VPC that accepts (any account, any region)."""
    requester_provider: TerraformProvider
    """Provider of the requester's account and region."""
    accepter_provider: TerraformProvider
    """Provider of the accepter's account and region (an aliased provider)."""
    accepter_account_id: str
    """Account id of the accepter (the requester names it as the peer owner)."""
    accepter_region: str
    """Region of the accepter."""
    requester_routes: tuple[str, ...] = ()
    """Destinations routed from the requester into the peering (default: the accepter's whole CIDR)."""
    accepter_routes: tuple[str, ...] = ()
    """Destinations routed from the accepter (default: the requester's whole CIDR)."""
    route_tiers: tuple[str, ...] = ("private",)
    """Subnet tiers whose route tables get the routes, both sides (default private)."""
    dns_resolution: bool = True
    """Resolve the peer's private DNS names to private addresses, both ways (default true)."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags (default none)."""


class VpcPeering(Construct):
    """`aws_vpc_peering_connection` (requester, never auto-accepted on its side),
    `aws_vpc_peering_connection_accepter` (accepter's provider), `aws_vpc_peering_connection_options`
    on each side for DNS resolution, and `aws_route` per route table of `route_tiers` on each side,
    to the given destinations only (never 0.0.0.0/0, CKV2_AWS_44).

    Attributes: `connection`, `vpc_peering_connection_id`, `accepter`.
    """

    def __init__(self, scope: Construct, id: str, props: VpcPeeringProps) -> None:
        super().__init__(scope, id)
        name, req, acc = props.name, props.requester, props.accepter
        self.connection = lid(
            VpcPeeringConnection(
                self,
                "connection",
                provider=props.requester_provider,
                vpc_id=req.vpc_id,
                peer_vpc_id=acc.vpc_id,
                peer_owner_id=props.accepter_account_id,
                peer_region=props.accepter_region,
                auto_accept=False,
                tags=tags(name, props.tags),
            ),
            "pcx",
            name,
        )
        self.accepter = lid(
            VpcPeeringConnectionAccepterA(
                self,
                "accepter",
                provider=props.accepter_provider,
                vpc_peering_connection_id=self.connection.id,
                auto_accept=True,
                tags=tags(name, props.tags),  # the same connection: the same tags on both sides
            ),
            "pcx_accepter",
            name,
        )
        if props.dns_resolution:
            lid(
                VpcPeeringConnectionOptions(
                    self,
                    "requester_options",
                    provider=props.requester_provider,
                    vpc_peering_connection_id=self.accepter.id,
                    requester=VpcPeeringConnectionOptionsRequester(allow_remote_vpc_dns_resolution=True),
                ),
                "pcx_options_requester",
                name,
            )
            lid(
                VpcPeeringConnectionOptions(
                    self,
                    "accepter_options",
                    provider=props.accepter_provider,
                    vpc_peering_connection_id=self.accepter.id,
                    accepter=VpcPeeringConnectionOptionsAccepter(allow_remote_vpc_dns_resolution=True),
                ),
                "pcx_options_accepter",
                name,
            )
        self._routes("requester", req, props.requester_routes or (acc.vpc_cidr_block,), props.requester_provider, props)
        self._routes("accepter", acc, props.accepter_routes or (req.vpc_cidr_block,), props.accepter_provider, props)

    def _routes(self, side: str, vpc: LandingZoneVpc, cidrs, provider, props: VpcPeeringProps) -> None:
        for (tier, zone), table in sorted(vpc.route_tables.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
            if tier not in props.route_tiers:
                continue
            for cidr in cidrs:
                key = "peer" if Token.is_unresolved(cidr) else cidr_key(cidr)
                lid(
                    Route(
                        self,
                        f"route_{side}_{tier}_{zone or 'all'}_{key}",
                        provider=provider,
                        route_table_id=table.id,
                        destination_cidr_block=cidr,
                        vpc_peering_connection_id=self.accepter.id,
                    ),
                    "pcx_route",
                    props.name,
                    side,
                    tier,
                    *((zone,) if zone else ()),
                    key,
                )

    @property
    def vpc_peering_connection_id(self) -> str:
        return self.connection.id
