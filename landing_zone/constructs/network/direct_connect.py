"""Direct Connect: a gateway associated with transit gateways, and transit virtual interfaces."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional

from cdktf import TerraformProvider
from cdktf_cdktf_provider_aws.data_aws_ec2_transit_gateway_dx_gateway_attachment import (
    DataAwsEc2TransitGatewayDxGatewayAttachment,
)
from cdktf_cdktf_provider_aws.dx_gateway import DxGateway
from cdktf_cdktf_provider_aws.dx_gateway_association import DxGatewayAssociation
from cdktf_cdktf_provider_aws.dx_transit_virtual_interface import DxTransitVirtualInterface
from constructs import Construct

from ._common import lid, tags
from .transit_gateway import TransitGatewayHub


@dataclass(frozen=True, kw_only=True)
class TransitVifSpec:
    """A transit virtual interface on an existing connection."""

    name: str
    """Interface name."""
    connection_id: str
    """Existing Direct Connect connection or LAG id."""
    vlan: int
    """VLAN id."""
    customer_asn: int
    """BGP ASN of the on-premises router."""
    mtu: int = 8500
    """1500 or 8500 (default 8500)."""


@dataclass(frozen=True, kw_only=True)
class DirectConnectGatewayProps:
    name: str
    """Gateway name."""
    amazon_side_asn: int
    """Private ASN of the AWS side, different from the transit gateways'."""
    associations: Mapping[str, tuple[TransitGatewayHub, tuple[str, ...]]] = field(default_factory=dict)
    """Transit gateway name -> (hub, prefixes advertised to on-premises) (default none)."""
    virtual_interfaces: tuple[TransitVifSpec, ...] = ()
    """Transit VIFs to create (default none)."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags on the interfaces (default none; the gateway takes no tags)."""
    provider: Optional[TerraformProvider] = None
    """Provider of the network account (default: the stack's default provider)."""


class DirectConnectGateway(Construct):
    """`aws_dx_gateway`, one `aws_dx_gateway_association` per transit gateway with its
    allowed prefixes, the transit gateway's attachment for the gateway looked up
    (`data.aws_ec2_transit_gateway_dx_gateway_attachment`) so segments can be wired to it,
    and `aws_dx_transit_virtual_interface` per interface.

    Attributes: `gateway`, `dx_gateway_id`, `attachment_id(transit_gateway_name)`.
    """

    def __init__(self, scope: Construct, id: str, props: DirectConnectGatewayProps) -> None:
        super().__init__(scope, id)
        p, name = props.provider, props.name
        self.gateway = lid(
            DxGateway(self, "gateway", provider=p, name=name, amazon_side_asn=str(props.amazon_side_asn)), "dx_gateway", name
        )
        self._attachments: dict[str, DataAwsEc2TransitGatewayDxGatewayAttachment] = {}
        for tgw_name, (hub, prefixes) in sorted(props.associations.items()):
            association = lid(
                DxGatewayAssociation(
                    self,
                    f"association_{tgw_name}",
                    provider=p,
                    dx_gateway_id=self.gateway.id,
                    associated_gateway_id=hub.transit_gateway_id,
                    allowed_prefixes=list(prefixes),
                ),
                "dx_association",
                name,
                tgw_name,
            )
            self._attachments[tgw_name] = lid(
                DataAwsEc2TransitGatewayDxGatewayAttachment(
                    self,
                    f"attachment_{tgw_name}",
                    provider=p,
                    transit_gateway_id=hub.transit_gateway_id,
                    dx_gateway_id=self.gateway.id,
                    depends_on=[association],
                ),
                "dx_attachment",
                name,
                tgw_name,
            )
        for vif in props.virtual_interfaces:
            lid(
                DxTransitVirtualInterface(
                    self,
                    f"vif_{vif.name}",
                    provider=p,
                    name=vif.name,
                    connection_id=vif.connection_id,
                    dx_gateway_id=self.gateway.id,
                    vlan=vif.vlan,
                    bgp_asn=vif.customer_asn,
                    address_family="ipv4",
                    mtu=vif.mtu,
                    tags=tags(vif.name, props.tags),
                ),
                "dx_vif",
                name,
                vif.name,
            )

    @property
    def dx_gateway_id(self) -> str:
        return self.gateway.id

    def attachment_id(self, transit_gateway: str) -> str:
        return self._attachments[transit_gateway].id
