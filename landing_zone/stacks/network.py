"""The `network` stack (network account) and the network parts of `account-<name>` stacks.

Everything is built from the NetworkPlan, so the stacks, the rules and
`lz network` agree. `build_network_stacks` returns the stacks in the order
`stacks.network_layout` gives.
"""

from __future__ import annotations

from typing import Optional

from cdktf import TerraformOutput
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.ram_sharing_with_organization import RamSharingWithOrganization
from constructs import Construct

from ..constructs.aws_provider import AwsProviderProps, aws_provider
from ..constructs.network import (
    DirectConnectGateway,
    DirectConnectGatewayProps,
    EgressVpc,
    EgressVpcProps,
    Ipam,
    IpamPoolSpec,
    IpamProps,
    LandingZoneVpc,
    SegmentWiring,
    SegmentWiringProps,
    StaticRoute,
    SubnetSpec,
    TransitGatewayHub,
    TransitGatewayHubProps,
    TransitVifSpec,
    VpcPeering,
    VpcPeeringProps,
    VpcProps,
)
from ..derived.network_acls import vpc_acls
from ..derived.network_plan import NETWORK_STACK, VpcPlan
from ..identity.ci_roles import member_role_name
from ..naming import slug
from .account_stack import AccountStack
from .management import ManagementStack
from .settings import StackSettings


class NetworkContext:
    """What the network stacks share: the plan, the hub objects and every VPC built so far."""

    def __init__(self, settings: StackSettings, management: ManagementStack) -> None:
        self.settings = settings
        self.management = management
        self.plan = settings.facts.network_plan
        self.hubs: dict[str, TransitGatewayHub] = {}
        self.vpcs: dict[str, LandingZoneVpc] = {}
        self.ipam: Optional[Ipam] = None
        env = settings.env
        log_archive_id = management.account(env.core.log_archive_account).account_id
        # The log archive bucket's ARN without a /prefix/ (DESIGN.md: moto rejects one).
        self.flow_log_destination_arn = f"arn:aws:s3:::{settings.facts.names.log_bucket(log_archive_id)}"

    def account_id(self, account: str) -> str:
        return self.management.account(account).account_id

    def share_principals(self, ous: tuple[str, ...]) -> dict[str, str]:
        units = self.management.organizational_units
        if not ous:
            return {"organization": self.management.organization.organization_arn}
        return {path: units.ou_arn(path) for path in ous}

    def provider(self, stack: AccountStack, account: str, region: str) -> AwsProvider:
        """A provider of `stack` for `account` in `region`: its own, or an alias assuming the access role."""
        if account == stack.account.name:
            return stack.provider_for(region)
        cache = stack.__dict__.setdefault("_network_providers", {})
        key = f"{slug(account)}_{region}"
        if key not in cache:
            account_id = self.account_id(account)
            access = member_role_name(self.settings.env, self.settings.env.organization.access_role_name)
            role = f"arn:aws:iam::{account_id}:role/{access}"
            cache[key] = aws_provider(
                stack,
                f"aws_{key}",
                AwsProviderProps(
                    region=region,
                    alias=key,
                    role_arn=role,
                    allowed_account_ids=(account_id,),
                    default_tags=self.settings.default_tags,
                    overrides=self.settings.target.provider_overrides,
                ),
            )
        return cache[key]

    # -- VPCs and their wiring ----------------------------------------------
    def build_vpc(self, stack: AccountStack, vpc: VpcPlan) -> LandingZoneVpc:
        net = self.settings.env.network
        assert net is not None  # VPCs are planned only from a `network:` section
        flow = net.flow_logs
        built = LandingZoneVpc(
            stack,
            f"vpc_{vpc.name}",
            VpcProps(
                name=vpc.name,
                cidr_block=vpc.cidr,
                ipam_pool_id=self.ipam.pool_id(vpc.pool) if vpc.pool and self.ipam else None,
                netmask_length=vpc.prefix if vpc.pool else None,
                subnets=tuple(
                    SubnetSpec(tier=s.tier, availability_zone=s.az, newbits=s.newbits, netnum=s.netnum, cidr=s.cidr)
                    for s in vpc.subnets
                ),
                enable_dns_hostnames=vpc.dns_hostnames,
                flow_log_destination_arn=self.flow_log_destination_arn,
                flow_log_traffic_type=flow.traffic_type,
                flow_log_max_aggregation_interval=flow.max_aggregation_interval,
                network_acls={acl.tier: acl.rules for acl in vpc_acls(self.plan, vpc)},
                tags=vpc.tags,
                provider=self.provider(stack, vpc.account, vpc.region),
            ),
        )
        self.vpcs[vpc.name] = built
        for ref in vpc.attachments:
            hub = self.hubs[ref.transit_gateway]
            own = vpc.account == self.plan.account
            built.attach_to_transit_gateway(
                hub.transit_gateway_id,
                same_account=own,
                appliance_mode=ref.appliance_mode,
                transit_gateway_key=ref.transit_gateway,
            )
            self.wire(
                stack,
                ref.transit_gateway,
                f"vpc:{vpc.name}",
                built.transit_gateway_attachment_id,
                accept=not own,
                name=f"{vpc.name}-{ref.transit_gateway}",
                tags=vpc.tags,
            )
        return built

    def build_peerings(self, stack: AccountStack) -> None:
        """The peerings the plan places in `stack`: both sides, each through its own account's provider."""
        plan = self.plan
        for peering in plan.peerings.values():
            if peering.stack != stack.stack_name:
                continue
            req, acc = plan.vpcs[peering.requester], plan.vpcs[peering.accepter]
            VpcPeering(
                stack,
                f"peering_{peering.name}",
                VpcPeeringProps(
                    name=peering.name,
                    requester=self.vpcs[req.name],
                    accepter=self.vpcs[acc.name],
                    requester_provider=self.provider(stack, req.account, req.region),
                    accepter_provider=self.provider(stack, acc.account, acc.region),
                    accepter_account_id=self.account_id(acc.account),
                    accepter_region=acc.region,
                    requester_routes=peering.requester_routes,
                    accepter_routes=peering.accepter_routes,
                    route_tiers=peering.tiers,
                    dns_resolution=peering.dns_resolution,
                ),
            )

    def wire(
        self,
        stack: AccountStack,
        tgw: str,
        key: Optional[str],
        attachment_id: Optional[str],
        accept: bool,
        name: Optional[str] = None,
        tags: Optional[dict] = None,
    ) -> None:
        """Association, propagations and routes of one attachment (or the stack's blackholes when key is None)."""
        plan = self.plan
        wires = [w for w in plan.wires if w.transit_gateway == tgw and w.attachment == key]
        routes = []
        for r in plan.tgw_routes:
            if r.transit_gateway != tgw or r.stack != stack.stack_name:
                continue
            mine = r.attachment == key if attachment_id else (r.attachment is None and r.vpc is None)
            if r.attachment is None and r.vpc is not None:
                mine = key == f"vpc:{r.vpc}"  # blackholes of a VPC's own CIDR travel with the VPC
            if mine:
                cidr = r.cidr
                if not cidr:
                    assert r.vpc is not None  # a route without a CIDR of its own goes to its VPC's CIDR
                    cidr = self.vpcs[r.vpc].vpc_cidr_block
                routes.append(
                    StaticRoute(
                        route_table=r.route_table,
                        cidr=cidr,
                        blackhole=r.attachment is None,
                        key=None if r.cidr else f"vpc_{r.vpc}",
                    )
                )
        if not wires and not routes:
            return
        hub = self.hubs[tgw]
        region = plan.tgws[tgw].region
        SegmentWiring(
            stack,
            f"wiring_{tgw}_{key or 'blackholes'}".replace(":", "_"),
            SegmentWiringProps(
                hub=hub,
                key=(key or "blackholes").replace(":", "_"),
                attachment_id=attachment_id,
                accept=accept,
                association=next((w.route_table for w in wires if w.kind == "association"), None),
                propagations=tuple(w.route_table for w in wires if w.kind == "propagation"),
                routes=tuple(routes),
                name=name,
                tags=tags or {},
                provider=self.provider(stack, plan.account, region),
            ),
        )


class NetworkStack(AccountStack):
    """The network account: transit gateways with segment route tables and RAM shares, egress
    VPCs, Direct Connect gateways, IPAM, and the network account's own VPCs.

    Outputs: transit_gateway_ids (name -> id), route_table_ids (transit gateway -> table -> id).
    """

    def __init__(self, scope: Construct, ctx: NetworkContext) -> None:
        plan, settings = ctx.plan, ctx.settings
        super().__init__(scope, NETWORK_STACK, settings, management=ctx.management, account_name=plan.account)
        net = settings.env.network
        assert net is not None  # the network stack exists only with a `network:` section
        if any(t.share_organization or t.share_ous for t in plan.tgws.values()) or net.ipam:
            # Sharing with the organization or its OUs is switched on once, from the management account.
            mgmt = aws_provider(
                self,
                "aws_management",
                AwsProviderProps(
                    region=self.home_region,
                    alias="management",
                    default_tags=settings.default_tags,
                    overrides=settings.target.provider_overrides,
                ),
            )
            RamSharingWithOrganization(self, "ram_sharing", provider=mgmt).override_logical_id("ram_sharing_with_organization")
        if net.ipam and net.ipam.pools:
            ctx.ipam = Ipam(
                self,
                "ipam",
                IpamProps(
                    name=f"{settings.facts.names.org}-ipam",
                    home_region=plan.region,
                    pools=tuple(
                        IpamPoolSpec(name=p.name, cidr=p.cidr, region=p.region, segment=p.segment, description=p.description)
                        for p in plan.pools.values()
                    ),
                    share_principal_arns=ctx.share_principals(()),
                    provider=self.provider_for(plan.region),
                ),
            )
        for tgw in plan.tgws.values():
            ctx.hubs[tgw.name] = TransitGatewayHub(
                self,
                f"tgw_{tgw.name}",
                TransitGatewayHubProps(
                    name=tgw.name,
                    route_tables=tgw.route_tables,
                    amazon_side_asn=tgw.asn,
                    description=tgw.description,
                    dns_support=tgw.dns_support,
                    share_principal_arns=ctx.share_principals(tgw.share_ous),
                    provider=self.provider_for(tgw.region),
                ),
            )
        self.egress: dict[str, EgressVpc] = {}
        for tgw in plan.tgws.values():
            if tgw.egress_vpc:
                self._egress(ctx, tgw.name, plan.vpcs[tgw.egress_vpc])
        for vpc in plan.vpcs_in(NETWORK_STACK):
            if not vpc.egress_for:
                ctx.build_vpc(self, vpc)
        ctx.build_peerings(self)
        self.direct_connect = self._direct_connect(ctx)
        for tgw_name in plan.tgws:
            ctx.wire(self, tgw_name, None, None, accept=False)  # configured and on-premises blackholes
        TerraformOutput(
            self,
            "transit_gateway_ids",
            static_id=True,
            description="Transit gateway id by name.",
            value={name: hub.transit_gateway_id for name, hub in ctx.hubs.items()},
        )
        TerraformOutput(
            self,
            "route_table_ids",
            static_id=True,
            description="Route table id by transit gateway and segment.",
            value={name: {t: hub.route_table_id(t) for t in hub.route_table_names} for name, hub in ctx.hubs.items()},
        )

    def _egress(self, ctx: NetworkContext, tgw: str, vpc: VpcPlan) -> None:
        net = ctx.settings.env.network
        assert net is not None  # the network stack exists only with a `network:` section
        flow = net.flow_logs
        egress = EgressVpc(
            self,
            f"egress_{tgw}",
            EgressVpcProps(
                name=vpc.name,
                cidr_block=vpc.cidr,
                transit_gateway_id=ctx.hubs[tgw].transit_gateway_id,
                subnets=tuple(
                    SubnetSpec(tier=s.tier, availability_zone=s.az, newbits=s.newbits, netnum=s.netnum, cidr=s.cidr)
                    for s in vpc.subnets
                ),
                return_cidrs=ctx.plan.egress_return_cidrs(tgw),
                flow_log_destination_arn=ctx.flow_log_destination_arn,
                flow_log_traffic_type=flow.traffic_type,
                flow_log_max_aggregation_interval=flow.max_aggregation_interval,
                network_acls={acl.tier: acl.rules for acl in vpc_acls(ctx.plan, vpc)},
                provider=self.provider_for(vpc.region),
            ),
        )
        self.egress[tgw] = egress
        ctx.vpcs[vpc.name] = egress.vpc
        ctx.wire(self, tgw, f"vpc:{vpc.name}", egress.transit_gateway_attachment_id, accept=False)

    def _direct_connect(self, ctx: NetworkContext) -> dict[str, DirectConnectGateway]:
        out = {}
        for dx in ctx.plan.dx.values():
            region = ctx.plan.tgws[dx.associations[0][0]].region if dx.associations else ctx.plan.region
            out[dx.name] = gateway = DirectConnectGateway(
                self,
                f"dx_{dx.name}",
                DirectConnectGatewayProps(
                    name=dx.name,
                    amazon_side_asn=dx.asn,
                    associations={tgw: (ctx.hubs[tgw], prefixes) for tgw, _, prefixes in dx.associations},
                    virtual_interfaces=tuple(
                        TransitVifSpec(
                            name=v.name, connection_id=v.connection_id, vlan=v.vlan, customer_asn=v.customer_asn, mtu=v.mtu
                        )
                        for v in dx.vifs
                    ),
                    provider=self.provider_for(region),
                ),
            )
            for tgw, _, _ in dx.associations:
                ctx.wire(self, tgw, f"dx:{dx.name}", gateway.attachment_id(tgw), accept=False)
        return out
