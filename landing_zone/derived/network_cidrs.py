"""Subnet allocation inside a VPC: pure arithmetic on prefix lengths.

Each subnet is described relative to its VPC as terraform's
`cidrsubnet(vpc_cidr, newbits, netnum)`, so the same plan serves a VPC with
a static CIDR (the literal subnet CIDR is computed here too) and one whose
CIDR IPAM allocates at deploy time.

Tiers are allocated in the order private, isolated, public, transit; within
a tier, zone by zone; each subnet takes the lowest free block aligned to its
size. Subnets written out as `cidrs` are reserved first. Adding a zone or a
tier can move the automatically allocated subnets after it: write `cidrs`
to pin addresses that must never move.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Optional, Sequence

from ..config.models.network import TIERS, Subnets

TRANSIT_DEFAULT_NETMASK = 28
RFC1918 = tuple(ipaddress.IPv4Network(c) for c in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))


@dataclass(frozen=True)
class SubnetPlan:
    """One subnet: its tier, zone and place in the VPC."""

    tier: str
    az: str
    az_index: int
    newbits: int
    """Bits added to the VPC prefix (terraform cidrsubnet's `newbits`)."""
    netnum: int
    """Index of the subnet among blocks of its size (cidrsubnet's `netnum`)."""
    cidr: Optional[str]
    """Literal CIDR when the VPC's CIDR is static, else None."""


@dataclass(frozen=True)
class TierSpec:
    tier: str
    netmask: Optional[int]
    cidrs: tuple[str, ...]


@dataclass(frozen=True)
class AllocationProblem:
    tier: str
    field: str  # "netmask" or "cidrs" (with index)
    index: Optional[int]
    message: str


def tier_specs(subnets: Subnets, attached: bool) -> list[TierSpec]:
    """The configured tiers in allocation order; a transit tier is implied for an attached VPC."""
    out = []
    for tier in TIERS:
        spec = getattr(subnets, tier)
        if spec is None and tier == "transit" and attached:
            out.append(TierSpec(tier, TRANSIT_DEFAULT_NETMASK, ()))
        elif spec is not None:
            out.append(TierSpec(tier, spec.netmask, tuple(spec.cidrs)))
    return out


def allocate(
    prefix: int, base: Optional[ipaddress.IPv4Network], tiers: Sequence[TierSpec], azs: Sequence[str]
) -> tuple[list[SubnetPlan], list[AllocationProblem]]:
    """Subnets for a VPC of `/prefix` (at `base` when static) across `azs`, and what does not fit."""
    size = 1 << (32 - prefix)
    taken: list[tuple[int, int, str]] = []  # (start, end, "tier zone") relative to the VPC
    plans: list[SubnetPlan] = []
    problems: list[AllocationProblem] = []

    def clash(start: int, end: int) -> Optional[str]:
        return next((what for s, e, what in taken if start < e and s < end), None)

    for spec in tiers:  # written-out subnets first: they never move
        if not spec.cidrs:
            continue
        if base is None:
            problems.append(
                AllocationProblem(
                    spec.tier,
                    "cidrs",
                    None,
                    "subnet CIDRs cannot be written out for a VPC whose CIDR comes from IPAM; use netmask",
                )
            )
            continue
        if spec.netmask is not None:
            problems.append(AllocationProblem(spec.tier, "netmask", None, "give either netmask or cidrs, not both"))
        if len(spec.cidrs) != len(azs):
            problems.append(
                AllocationProblem(
                    spec.tier,
                    "cidrs",
                    None,
                    f"{len(spec.cidrs)} subnet CIDRs for {len(azs)} availability zones; give one per zone",
                )
            )
        for i, text in enumerate(spec.cidrs[: len(azs)]):
            net = ipaddress.IPv4Network(text)
            if not net.subnet_of(base):
                problems.append(AllocationProblem(spec.tier, "cidrs", i, f"{text} is not inside the VPC's {base}"))
                continue
            if net.prefixlen > 28:
                problems.append(
                    AllocationProblem(spec.tier, "cidrs", i, f"{text} is a /{net.prefixlen}; subnets must be /28 or larger")
                )
                continue
            start = int(net.network_address) - int(base.network_address)
            end = start + net.num_addresses
            other = clash(start, end)
            if other:
                problems.append(AllocationProblem(spec.tier, "cidrs", i, f"{text} overlaps the {other} subnet"))
                continue
            taken.append((start, end, f"{spec.tier} {azs[i]}"))
            newbits = net.prefixlen - prefix
            plans.append(SubnetPlan(spec.tier, azs[i], i, newbits, start >> (32 - net.prefixlen), text))

    for spec in tiers:
        if spec.cidrs:
            continue
        if spec.netmask is None:
            problems.append(AllocationProblem(spec.tier, "netmask", None, "give netmask (a prefix length such as 24) or cidrs"))
            continue
        if spec.netmask < prefix:
            problems.append(
                AllocationProblem(spec.tier, "netmask", None, f"/{spec.netmask} subnets are larger than the VPC's /{prefix}")
            )
            continue
        block = 1 << (32 - spec.netmask)
        for i, az in enumerate(azs):
            start = 0
            while start + block <= size and clash(start, start + block):
                start += block
            if start + block > size:
                where = str(base) if base else f"a /{prefix}"
                problems.append(
                    AllocationProblem(
                        spec.tier,
                        "netmask",
                        None,
                        f"no room for a /{spec.netmask} subnet in {az}: {where} is full "
                        "(use a larger VPC, smaller subnets or fewer zones)",
                    )
                )
                break
            taken.append((start, start + block, f"{spec.tier} {az}"))
            literal = str(ipaddress.IPv4Network((int(base.network_address) + start, spec.netmask))) if base else None
            plans.append(SubnetPlan(spec.tier, az, i, spec.netmask - prefix, start // block, literal))
    order = {tier: n for n, tier in enumerate(TIERS)}
    plans.sort(key=lambda p: (order[p.tier], p.az_index))
    return plans, problems


def summary_block(space: ipaddress.IPv4Network) -> ipaddress.IPv4Network:
    """The RFC 1918 block that holds `space`, else `space` itself (egress return routes)."""
    return next((block for block in RFC1918 if space.subnet_of(block)), space)
