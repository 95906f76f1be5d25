"""A VPC with subnet tiers, route tables, flow logs and a closed default security group."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional

from cdktf import Fn, TerraformProvider, Token
from cdktf_cdktf_provider_aws.default_security_group import DefaultSecurityGroup
from cdktf_cdktf_provider_aws.ec2_transit_gateway_vpc_attachment import Ec2TransitGatewayVpcAttachment
from cdktf_cdktf_provider_aws.flow_log import FlowLog
from cdktf_cdktf_provider_aws.internet_gateway import InternetGateway
from cdktf_cdktf_provider_aws.network_acl import NetworkAcl, NetworkAclEgress, NetworkAclIngress
from cdktf_cdktf_provider_aws.route import Route
from cdktf_cdktf_provider_aws.route_table import RouteTable
from cdktf_cdktf_provider_aws.route_table_association import RouteTableAssociation
from cdktf_cdktf_provider_aws.subnet import Subnet
from cdktf_cdktf_provider_aws.vpc import Vpc
from constructs import Construct

from ...derived.network_acls import AclRule
from ._common import lid, tags

PROTOCOL_NUMBERS = {"tcp": "6", "udp": "17", "-1": "-1"}
"""The provider compares inline network ACL entries by protocol number: write numbers, not names."""


def cidr_key(cidr: str) -> str:
    """A CIDR as a logical-id part: 10.0.0.0/16 -> 10-0-0-0_16."""
    return cidr.replace(".", "-").replace("/", "_")


@dataclass(frozen=True, kw_only=True)
class SubnetSpec:
    """One subnet, placed relative to the VPC's CIDR (terraform's cidrsubnet)."""

    tier: str
    """public, private, isolated or transit."""
    availability_zone: str
    """Zone name, such as eu-west-1a."""
    newbits: int
    """Bits added to the VPC's prefix length."""
    netnum: int
    """Index of the subnet among blocks of its size."""
    cidr: Optional[str] = None
    """Literal CIDR when the VPC's is static (default: computed with cidrsubnet at deploy time)."""


@dataclass(frozen=True, kw_only=True)
class VpcProps:
    """A VPC; the defaults are closed: no public IPs, no default-SG rules, every flow logged."""

    name: str
    """VPC name (the Name tag and the logical-id key)."""
    flow_log_destination_arn: str
    """S3 bucket ARN for the flow logs (the log archive bucket; no `/prefix/`)."""
    cidr_block: Optional[str] = None
    """Static CIDR (default none; then `ipam_pool_id` and `netmask_length`)."""
    ipam_pool_id: Optional[str] = None
    """IPAM pool to allocate the CIDR from (default none)."""
    netmask_length: Optional[int] = None
    """Prefix length allocated from the pool (default none)."""
    subnets: tuple[SubnetSpec, ...] = ()
    """Subnets (default none)."""
    route_table_per_az: bool = False
    """One route table per tier and zone instead of per tier (default false; NAT per zone needs true)."""
    enable_dns_hostnames: bool = True
    """DNS host names for instances (default true)."""
    flow_log_traffic_type: str = "ALL"
    """ALL, ACCEPT or REJECT (default ALL)."""
    flow_log_max_aggregation_interval: int = 600
    """60 or 600 seconds (default 600)."""
    network_acls: Mapping[str, tuple[AclRule, ...]] = field(default_factory=dict)
    """Network ACL rules per tier (default none: the tier keeps the VPC's default network ACL, which allows everything)."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags on every resource (default none; the provider's default tags still apply)."""
    provider: Optional[TerraformProvider] = None
    """Provider of the owning account and region (default: the stack's default provider)."""


class LandingZoneVpc(Construct):
    """`aws_vpc` with its tiers of `aws_subnet` (no public IPs on launch), one route table per
    tier (or tier and zone), an internet gateway when there is a public tier, `aws_flow_log`
    to S3, `aws_default_security_group` with no rules, and one `aws_network_acl` per tier
    given in `network_acls` (associated with the tier's subnets).

    Attributes: `vpc`, `network_acls` (tier -> aws_network_acl), `vpc_id`, `vpc_cidr_block`, `subnet_ids(tier)`, `route_table_ids(tier)`,
    `route_tables` ((tier, zone or None) -> aws_route_table), `internet_gateway`, and after
    `attach_to_transit_gateway`: `transit_gateway_attachment`, `transit_gateway_attachment_id`.
    """

    def __init__(self, scope: Construct, id: str, props: VpcProps) -> None:
        super().__init__(scope, id)
        self.props = props
        self.name = props.name
        p = props.provider
        if (props.cidr_block is None) == (props.ipam_pool_id is None):
            raise ValueError(f"VPC {props.name!r}: give exactly one of cidr_block and ipam_pool_id")
        self.vpc = lid(
            Vpc(
                self,
                "vpc",
                provider=p,
                cidr_block=props.cidr_block,
                ipv4_ipam_pool_id=props.ipam_pool_id,
                ipv4_netmask_length=props.netmask_length if props.ipam_pool_id else None,
                enable_dns_support=True,
                enable_dns_hostnames=props.enable_dns_hostnames,
                tags=tags(props.name, props.tags),
            ),
            "vpc",
            props.name,
        )
        # Every read of a resource attribute is a round trip to the jsii runtime: read each once.
        self._vpc_id = self.vpc.id
        self._vpc_cidr: Optional[str] = self.vpc.cidr_block if any(spec.cidr is None for spec in props.subnets) else None
        self._route_table_ids: dict[tuple[str, Optional[str]], str] = {}
        self._subnet_ids: dict[tuple[str, str], str] = {}
        # Adopting the default group removes every rule it has (CIS 5.4, CKV2_AWS_12).
        lid(
            DefaultSecurityGroup(
                self, "default_sg", provider=p, vpc_id=self._vpc_id, tags=tags(f"{props.name}-default-closed", props.tags)
            ),
            "vpc_default_sg",
            props.name,
        )
        lid(
            FlowLog(
                self,
                "flow_log",
                provider=p,
                vpc_id=self._vpc_id,
                log_destination_type="s3",
                log_destination=props.flow_log_destination_arn,
                traffic_type=props.flow_log_traffic_type,
                max_aggregation_interval=props.flow_log_max_aggregation_interval,
                tags=tags(f"{props.name}-flow-log", props.tags),
            ),
            "vpc_flow_log",
            props.name,
        )

        self.subnets: dict[tuple[str, str], Subnet] = {}
        self.route_tables: dict[tuple[str, Optional[str]], RouteTable] = {}
        self.internet_gateway: Optional[InternetGateway] = None
        self.transit_gateway_attachment: Optional[Ec2TransitGatewayVpcAttachment] = None
        for spec in props.subnets:
            self._subnet(spec)
        if "public" in self.tiers:
            self.internet_gateway = lid(
                InternetGateway(self, "igw", provider=p, vpc_id=self._vpc_id, tags=tags(f"{props.name}-igw", props.tags)),
                "igw",
                props.name,
            )
            for key in self._tables("public"):
                self.add_route(key, "0.0.0.0/0", gateway_id=self.internet_gateway.id, why="internet")
        self.network_acls: dict[str, NetworkAcl] = {}
        for tier, rules in props.network_acls.items():
            self.add_network_acl(tier, rules)

    # -- building -----------------------------------------------------------
    def _subnet(self, spec: SubnetSpec) -> None:
        p, name = self.props.provider, self.props.name
        cidr = spec.cidr
        if not cidr:
            assert self._vpc_cidr is not None  # read above whenever a subnet has no CIDR of its own
            cidr = Fn.cidrsubnet(self._vpc_cidr, spec.newbits, spec.netnum)
        subnet = lid(
            Subnet(
                self,
                f"subnet_{spec.tier}_{spec.availability_zone}",
                provider=p,
                vpc_id=self._vpc_id,
                cidr_block=cidr,
                availability_zone=spec.availability_zone,
                map_public_ip_on_launch=False,
                tags=tags(f"{name}-{spec.tier}-{spec.availability_zone}", self.props.tags, tier=spec.tier),
            ),
            "subnet",
            name,
            spec.tier,
            spec.availability_zone,
        )
        self.subnets[(spec.tier, spec.availability_zone)] = subnet
        self._subnet_ids[(spec.tier, spec.availability_zone)] = subnet_id = subnet.id
        zone = spec.availability_zone if self.props.route_table_per_az else None
        table = self.route_tables.get((spec.tier, zone))
        if table is None:
            label = f"{name}-{spec.tier}" + (f"-{zone}" if zone else "")
            table = lid(
                RouteTable(
                    self,
                    f"rt_{spec.tier}" + (f"_{zone}" if zone else ""),
                    provider=p,
                    vpc_id=self._vpc_id,
                    tags=tags(label, self.props.tags, tier=spec.tier),
                ),
                "rt",
                name,
                spec.tier,
                *((zone,) if zone else ()),
            )
            self.route_tables[(spec.tier, zone)] = table
            self._route_table_ids[(spec.tier, zone)] = table.id
        lid(
            RouteTableAssociation(
                self,
                f"rta_{spec.tier}_{spec.availability_zone}",
                provider=p,
                subnet_id=subnet_id,
                route_table_id=self._route_table_ids[(spec.tier, zone)],
            ),
            "rta",
            name,
            spec.tier,
            spec.availability_zone,
        )

    def add_network_acl(self, tier: str, rules: tuple[AclRule, ...]) -> NetworkAcl:
        """A network ACL for every subnet of `tier`, replacing the default ACL there (CIS 5.1).

        A rule whose `cidr` is None means the VPC's own CIDR.
        """
        subnet_ids = self.subnet_ids(tier)
        if not subnet_ids:
            raise ValueError(f"VPC {self.name!r} has no {tier} subnets for a network ACL")

        own_cidr = self.vpc_cidr_block if any(r.cidr is None for r in rules) else None
        # Inline entries are object attributes in JSON: every field is written, null where unused
        # (the provider refuses "" as a CIDR).
        null = Token.as_string(Token.null_value())

        def entry(r: AclRule, kind):
            v4 = null if r.ipv6 else (r.cidr or own_cidr)
            return kind(
                rule_no=r.rule_no,
                action=r.action,
                protocol=PROTOCOL_NUMBERS[r.protocol],
                from_port=r.from_port,
                to_port=r.to_port,
                cidr_block=v4,
                ipv6_cidr_block=r.cidr if r.ipv6 else null,
                icmp_code=0,
                icmp_type=0,
            )

        acl = lid(
            NetworkAcl(
                self,
                f"nacl_{tier}",
                provider=self.props.provider,
                vpc_id=self._vpc_id,
                subnet_ids=subnet_ids,
                ingress=[entry(r, NetworkAclIngress) for r in rules if not r.egress],
                egress=[entry(r, NetworkAclEgress) for r in rules if r.egress],
                tags=tags(f"{self.name}-{tier}", self.props.tags, tier=tier),
            ),
            "nacl",
            self.name,
            tier,
        )
        self.network_acls[tier] = acl
        return acl

    def _tables(self, tier: str) -> list[tuple[str, Optional[str]]]:
        return [key for key in self.route_tables if key[0] == tier]

    def add_route(self, table: tuple[str, Optional[str]], cidr: str, *, why: str, depends_on=None, **target) -> Route:
        """A route in one route table (`(tier, zone or None)`) to a gateway, NAT, TGW or peering."""
        tier, zone = table
        route = Route(
            self,
            f"route_{tier}_{zone or 'all'}_{why}_{cidr_key(cidr)}",
            provider=self.props.provider,
            route_table_id=self._route_table_ids[table],
            destination_cidr_block=cidr,
            depends_on=depends_on,
            **target,
        )
        return lid(route, "route", self.props.name, tier, *((zone,) if zone else ()), why, cidr_key(cidr))

    def add_tier_route(self, tier: str, cidr: str, *, why: str, depends_on=None, **target) -> list[Route]:
        """The same route in every route table of `tier`."""
        return [self.add_route(key, cidr, why=why, depends_on=depends_on, **target) for key in self._tables(tier)]

    def attach_to_transit_gateway(
        self,
        transit_gateway_id: str,
        *,
        same_account: bool,
        appliance_mode: bool = False,
        default_route_tiers: tuple[str, ...] = ("private",),
        transit_gateway_key: str = "tgw",
    ) -> Ec2TransitGatewayVpcAttachment:
        """Attach through the transit subnets; send 0.0.0.0/0 from `default_route_tiers` to the transit gateway.

        `same_account`: the transit gateway is the VPC owner's own, so the attachment opts out of the
        default route table here; a shared transit gateway's owner does that when it accepts.
        """
        transit = self.subnet_ids("transit")
        if not transit:
            raise ValueError(f"VPC {self.name!r} has no transit subnets to attach through")
        defaults = (
            dict(transit_gateway_default_route_table_association=False, transit_gateway_default_route_table_propagation=False)
            if same_account
            else {}
        )
        attachment = lid(
            Ec2TransitGatewayVpcAttachment(
                self,
                f"tgw_attachment_{transit_gateway_key}",
                provider=self.props.provider,
                transit_gateway_id=transit_gateway_id,
                vpc_id=self._vpc_id,
                subnet_ids=transit,
                dns_support="enable",
                appliance_mode_support="enable" if appliance_mode else "disable",
                tags=tags(f"{self.name}-{transit_gateway_key}", self.props.tags),
                **defaults,
            ),
            "tgw_attachment",
            self.name,
            transit_gateway_key,
        )
        self.transit_gateway_attachment = attachment
        for tier in default_route_tiers:
            self.add_tier_route(tier, "0.0.0.0/0", why="tgw", transit_gateway_id=transit_gateway_id, depends_on=[attachment])
        return attachment

    # -- attributes ---------------------------------------------------------
    @property
    def tiers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(tier for tier, _ in self.subnets))

    @property
    def vpc_id(self) -> str:
        return self._vpc_id

    @property
    def vpc_cidr_block(self) -> str:
        return self.vpc.cidr_block

    @property
    def transit_gateway_attachment_id(self) -> str:
        if self.transit_gateway_attachment is None:
            raise ValueError(f"VPC {self.name!r} is not attached to a transit gateway")
        return self.transit_gateway_attachment.id

    def subnet_ids(self, tier: str) -> list[str]:
        return [subnet_id for (t, _), subnet_id in sorted(self._subnet_ids.items()) if t == tier]

    def route_table_ids(self, tier: str) -> list[str]:
        return [self._route_table_ids[key] for key in self._tables(tier)]
