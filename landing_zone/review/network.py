"""Network changes: routes, attachments, peerings and the hub around them.

`NETWORK` maps a resource type to what it is and which of its values say
where it goes (one line per type); the segment comes from attribution.
"""

from __future__ import annotations

from dataclasses import dataclass

from .changes import Classified

NETWORK: dict[str, tuple[str, tuple[str, ...]]] = {
    "aws_ec2_transit_gateway": ("transit gateway", ("amazon_side_asn", "description")),
    "aws_ec2_transit_gateway_route_table": ("segment route table", ()),
    "aws_ec2_transit_gateway_route": ("transit gateway route", ("destination_cidr_block", "blackhole")),
    "aws_ec2_transit_gateway_route_table_association": ("segment association", ("transit_gateway_attachment_id",)),
    "aws_ec2_transit_gateway_route_table_propagation": ("segment propagation", ("transit_gateway_attachment_id",)),
    "aws_ec2_transit_gateway_vpc_attachment": ("VPC attachment", ("vpc_id", "transit_gateway_id")),
    "aws_ec2_transit_gateway_vpc_attachment_accepter": ("VPC attachment acceptance", ("transit_gateway_attachment_id",)),
    "aws_ec2_transit_gateway_peering_attachment": (
        "transit gateway peering",
        ("peer_account_id", "peer_region", "peer_transit_gateway_id"),
    ),
    "aws_ec2_transit_gateway_peering_attachment_accepter": (
        "transit gateway peering acceptance",
        ("transit_gateway_attachment_id",),
    ),
    "aws_vpc": ("VPC", ("cidr_block",)),
    "aws_subnet": ("subnet", ("cidr_block", "availability_zone")),
    "aws_route_table": ("route table", ()),
    "aws_route": (
        "route",
        ("destination_cidr_block", "transit_gateway_id", "vpc_peering_connection_id", "nat_gateway_id", "gateway_id"),
    ),
    "aws_route_table_association": ("route table association", ("subnet_id",)),
    "aws_nat_gateway": ("NAT gateway", ("subnet_id",)),
    "aws_internet_gateway": ("internet gateway", ("vpc_id",)),
    "aws_vpc_peering_connection": ("VPC peering", ("vpc_id", "peer_vpc_id", "peer_owner_id", "peer_region")),
    "aws_vpc_peering_connection_accepter": ("VPC peering acceptance", ("vpc_peering_connection_id",)),
    "aws_vpc_peering_connection_options": ("VPC peering options", ("vpc_peering_connection_id",)),
    "aws_dx_gateway": ("Direct Connect gateway", ("name", "amazon_side_asn")),
    "aws_dx_gateway_association": ("Direct Connect association", ("associated_gateway_id", "allowed_prefixes")),
    "aws_dx_transit_virtual_interface": ("transit virtual interface", ("connection_id", "vlan")),
    "aws_ram_resource_share": ("RAM share", ("name",)),
    "aws_ram_resource_association": ("RAM share of a resource", ("resource_arn",)),
    "aws_ram_principal_association": ("RAM share principal", ("principal",)),
    "aws_vpc_ipam": ("IPAM", ()),
    "aws_vpc_ipam_pool": ("IPAM pool", ("locale",)),
    "aws_vpc_ipam_pool_cidr": ("IPAM pool CIDR", ("cidr",)),
    "aws_flow_log": ("flow log", ("log_destination", "traffic_type")),
}


@dataclass(frozen=True)
class NetworkChange:
    action: str
    what: str
    segment: str
    account: str
    detail: str
    stack: str
    address: str

    def to_json(self) -> dict:
        return dict(self.__dict__)


def _detail(values: dict, keys: tuple[str, ...]) -> str:
    parts = []
    for key in keys:
        value = values.get(key)
        if value in (None, "", [], {}, False):
            continue
        parts.append(f"{key}={','.join(map(str, value)) if isinstance(value, list) else value}")
    name = (values.get("tags") or {}).get("Name") if isinstance(values.get("tags"), dict) else None
    return "; ".join(([f"Name={name}"] if name else []) + parts)


def network_changes(items: list[Classified]) -> list[NetworkChange]:
    rows = []
    for item in items:
        change = item.change
        if change.type not in NETWORK:
            continue
        what, keys = NETWORK[change.type]
        values = change.values if isinstance(change.values, dict) else {}
        rows.append(
            NetworkChange(
                change.action,
                what,
                item.attribution.segment or "",
                item.account,
                _detail(values, keys),
                change.stack,
                change.address,
            )
        )
    return rows
