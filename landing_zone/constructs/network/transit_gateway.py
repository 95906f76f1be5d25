"""A transit gateway hub: one route table per segment, shared inside the organization only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional

from cdktf import TerraformProvider
from cdktf_cdktf_provider_aws.ec2_transit_gateway import Ec2TransitGateway
from cdktf_cdktf_provider_aws.ec2_transit_gateway_route_table import Ec2TransitGatewayRouteTable
from constructs import Construct

from ._common import lid, tags
from .org_share import OrganizationShare, OrganizationShareProps


@dataclass(frozen=True, kw_only=True)
class TransitGatewayHubProps:
    """A transit gateway whose segments are isolated until routes connect them."""

    name: str
    """Name (Name tag and logical-id key)."""
    route_tables: tuple[str, ...]
    """Route tables to create: one per segment, plus internal ones such as `egress`."""
    amazon_side_asn: int = 64512
    """BGP ASN of the AWS side, private (default 64512)."""
    description: str = ""
    """Description (default empty)."""
    dns_support: bool = True
    """DNS resolution across attachments (default true)."""
    share_principal_arns: Mapping[str, str] = field(default_factory=dict)
    """Organization or OU ARNs to share it with through RAM, by 'organization' or OU path (default none: not shared)."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags (default none; the provider's default tags still apply)."""
    provider: Optional[TerraformProvider] = None
    """Provider of the network account and region (default: the stack's default provider)."""


class TransitGatewayHub(Construct):
    """`aws_ec2_transit_gateway` that accepts no attachment by itself (auto-accept off, CKV_AWS_331)
    and uses no default route table (association and propagation off), so an attachment reaches
    only what its segment's route table says; `aws_ec2_transit_gateway_route_table` per segment;
    an OrganizationShare (RAM, no external principals) when principals are given.

    Attributes: `transit_gateway`, `transit_gateway_id`, `transit_gateway_arn`, `name`,
    `route_table_id(name)`, `share` (or None).
    """

    def __init__(self, scope: Construct, id: str, props: TransitGatewayHubProps) -> None:
        super().__init__(scope, id)
        self.props = props
        self.name = props.name
        p = props.provider
        self.transit_gateway = lid(
            Ec2TransitGateway(
                self,
                "tgw",
                provider=p,
                amazon_side_asn=props.amazon_side_asn,
                description=props.description or f"Landing zone transit gateway {props.name}",
                auto_accept_shared_attachments="disable",
                default_route_table_association="disable",
                default_route_table_propagation="disable",
                dns_support="enable" if props.dns_support else "disable",
                vpn_ecmp_support="enable",
                tags=tags(props.name, props.tags),
            ),
            "tgw",
            props.name,
        )
        self._tables: dict[str, Ec2TransitGatewayRouteTable] = {}
        for table in props.route_tables:
            self._tables[table] = lid(
                Ec2TransitGatewayRouteTable(
                    self,
                    f"rt_{table}",
                    provider=p,
                    transit_gateway_id=self.transit_gateway.id,
                    tags=tags(f"{props.name}-{table}", props.tags, segment=table),
                ),
                "tgw_rt",
                props.name,
                table,
            )
        # Read once here: every spoke asks for its table's id, and each read is a jsii round trip.
        self._table_ids = {name: table.id for name, table in self._tables.items()}
        self.share: Optional[OrganizationShare] = None
        if props.share_principal_arns:
            self.share = OrganizationShare(
                self,
                "share",
                OrganizationShareProps(
                    name=f"{props.name}-transit-gateway",
                    key=f"tgw_{props.name}",
                    resource_arns={"transit_gateway": self.transit_gateway.arn},
                    principal_arns=props.share_principal_arns,
                    tags=props.tags,
                    provider=p,
                ),
            )

    @property
    def transit_gateway_id(self) -> str:
        return self.transit_gateway.id

    @property
    def transit_gateway_arn(self) -> str:
        return self.transit_gateway.arn

    @property
    def route_table_names(self) -> tuple[str, ...]:
        return tuple(self._tables)

    def route_table_id(self, name: str) -> str:
        try:
            return self._table_ids[name]
        except KeyError:
            raise KeyError(
                f"transit gateway {self.name!r} has no route table {name!r} (has: {', '.join(self._tables)})"
            ) from None
