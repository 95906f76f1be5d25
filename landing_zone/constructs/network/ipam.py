"""IPAM in the network account: pools per region (and segment) that spoke VPCs allocate from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional

from cdktf import TerraformProvider
from cdktf_cdktf_provider_aws.vpc_ipam import VpcIpam, VpcIpamOperatingRegions
from cdktf_cdktf_provider_aws.vpc_ipam_pool import VpcIpamPool
from cdktf_cdktf_provider_aws.vpc_ipam_pool_cidr import VpcIpamPoolCidr
from constructs import Construct

from ._common import lid, tags
from .org_share import OrganizationShare, OrganizationShareProps


@dataclass(frozen=True, kw_only=True)
class IpamPoolSpec:
    name: str
    """Pool name."""
    cidr: str
    """CIDR provisioned to the pool."""
    region: str
    """Locale: VPCs of this region allocate from it."""
    segment: Optional[str] = None
    """Segment the pool serves (a tag; default none)."""
    description: str = ""
    """Description (default empty)."""


@dataclass(frozen=True, kw_only=True)
class IpamProps:
    name: str
    """IPAM name (Name tag)."""
    home_region: str
    """Region of the IPAM itself (the provider's)."""
    pools: tuple[IpamPoolSpec, ...]
    """Pools; their regions become operating regions."""
    share_principal_arns: Mapping[str, str] = field(default_factory=dict)
    """Organization or OU ARNs the pools are shared with (default none)."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags (default none)."""
    provider: Optional[TerraformProvider] = None
    """Provider of the network account (default: the stack's default provider)."""


class Ipam(Construct):
    """`aws_vpc_ipam` operating in every pool's region, `aws_vpc_ipam_pool` (IPv4, private scope,
    locale = region) with `aws_vpc_ipam_pool_cidr`, and an OrganizationShare of the pools.

    Attributes: `ipam`, `pool_id(name)`.
    """

    def __init__(self, scope: Construct, id: str, props: IpamProps) -> None:
        super().__init__(scope, id)
        p = props.provider
        regions = sorted({props.home_region, *(pool.region for pool in props.pools)})
        self.ipam = lid(
            VpcIpam(
                self,
                "ipam",
                provider=p,
                description=f"{props.name} address management",
                operating_regions=[VpcIpamOperatingRegions(region_name=r) for r in regions],
                tags=tags(props.name, props.tags),
            ),
            "ipam",
            props.name,
        )
        self._pools: dict[str, VpcIpamPool] = {}
        self._cidrs: dict[str, VpcIpamPoolCidr] = {}
        for pool in props.pools:
            extra = {"segment": pool.segment} if pool.segment else {}
            self._pools[pool.name] = lid(
                VpcIpamPool(
                    self,
                    f"pool_{pool.name}",
                    provider=p,
                    address_family="ipv4",
                    ipam_scope_id=self.ipam.private_default_scope_id,
                    locale=pool.region,
                    description=pool.description or f"{pool.name} ({pool.region})",
                    tags=tags(pool.name, props.tags, **extra),
                ),
                "ipam_pool",
                pool.name,
            )
            self._cidrs[pool.name] = lid(
                VpcIpamPoolCidr(
                    self, f"pool_cidr_{pool.name}", provider=p, ipam_pool_id=self._pools[pool.name].id, cidr=pool.cidr
                ),
                "ipam_pool_cidr",
                pool.name,
            )
        self.share = None
        if props.share_principal_arns and self._pools:
            self.share = OrganizationShare(
                self,
                "share",
                OrganizationShareProps(
                    name=f"{props.name}-ipam-pools",
                    key=f"ipam_{props.name}",
                    resource_arns={name: pool.arn for name, pool in self._pools.items()},
                    principal_arns=props.share_principal_arns,
                    tags=props.tags,
                    provider=p,
                ),
            )

    def pool_id(self, name: str) -> str:
        return self._pools[name].id

    def pool_cidr(self, name: str) -> VpcIpamPoolCidr:
        """The pool's provisioned CIDR (a VPC allocating from the pool must wait for it)."""
        return self._cidrs[name]
