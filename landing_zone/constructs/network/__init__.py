"""Network constructs: transit gateway hub with segments, VPCs, egress, peering, Direct Connect, IPAM.

Names load on first use (importing the AWS provider binding is slow).
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "DirectConnectGateway": "direct_connect",
    "DirectConnectGatewayProps": "direct_connect",
    "TransitVifSpec": "direct_connect",
    "EgressVpc": "egress",
    "EgressVpcProps": "egress",
    "Ipam": "ipam",
    "IpamPoolSpec": "ipam",
    "IpamProps": "ipam",
    "OrganizationShare": "org_share",
    "OrganizationShareProps": "org_share",
    "VpcPeering": "peering",
    "VpcPeeringProps": "peering",
    "SegmentWiring": "segment_wiring",
    "SegmentWiringProps": "segment_wiring",
    "StaticRoute": "segment_wiring",
    "TransitGatewayHub": "transit_gateway",
    "TransitGatewayHubProps": "transit_gateway",
    "LandingZoneVpc": "vpc",
    "SubnetSpec": "vpc",
    "VpcProps": "vpc",
    "cidr_key": "vpc",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
