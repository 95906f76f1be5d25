"""Network ACLs of the landing zone's VPCs, one per subnet tier (CIS AWS Foundations 5.1). Pure Python.

Every tier of every VPC the landing zone creates gets its own network ACL
instead of the default one (which allows every port from anywhere). The
rules, evaluated lowest number first:

- inbound, 100-199: everything from the VPC itself and from the networks it
  routes to (the VPCs its transit-gateway segments or peerings reach, the
  on-premises prefixes behind Direct Connect), so administration from inside
  keeps working;
- inbound, 200-299: deny SSH (tcp 22) and RDP (tcp and udp 3389) from
  `0.0.0.0/0` and `::/0`; they come before every allow from anywhere, so the
  ephemeral range below cannot open them;
- inbound, 300-399 (public tier only): tcp 80 and 443 from anywhere;
- inbound, 400-499 (every tier but isolated): tcp and udp 1024-65535 from
  anywhere, the return traffic of connections the tier opened (through NAT,
  the egress VPC or the internet gateway);
- outbound: everything to anywhere, except the isolated tier, which may only
  send to the networks of the first inbound block.

A VPC whose CIDR IPAM allocates at deploy time is written as `cidr=None`
("the VPC's own CIDR"), which the construct resolves; a reached IPAM VPC
counts with its pool's CIDR.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator, Optional

from ..config.models.limits import limit_table
from .network_plan import NetworkPlan
from .network_types import VpcPlan

ANYWHERE = "0.0.0.0/0"
ANYWHERE_V6 = "::/0"
EPHEMERAL = (1024, 65535)
ADMIN_PORTS = (("tcp", 22, "SSH"), ("tcp", 3389, "RDP"), ("udp", 3389, "RDP"))
PUBLIC_PORTS = (80, 443)
RULES_PER_DIRECTION: int = limit_table()["network_acl_rules"]["value"]
"""Default quota of rules per direction of a network ACL (data/aws_limits.yaml; an environment raises it to 40)."""


@dataclass(frozen=True)
class AclRule:
    """One network ACL entry."""

    rule_no: int
    egress: bool
    action: str
    """allow or deny."""
    protocol: str
    """tcp, udp or -1 (all)."""
    from_port: int
    to_port: int
    cidr: Optional[str]
    """IPv4 range; None means the VPC's own CIDR (known at deploy time for IPAM VPCs)."""
    ipv6: bool = False
    """`cidr` is an IPv6 range."""
    why: str = ""

    @property
    def ports(self) -> str:
        if self.protocol == "-1":
            return "all"
        return str(self.from_port) if self.from_port == self.to_port else f"{self.from_port}-{self.to_port}"


@dataclass(frozen=True)
class TierAcl:
    vpc: str
    tier: str
    rules: tuple[AclRule, ...]

    @property
    def ingress(self) -> tuple[AclRule, ...]:
        return tuple(r for r in self.rules if not r.egress)

    @property
    def egress(self) -> tuple[AclRule, ...]:
        return tuple(r for r in self.rules if r.egress)


def _cidrs(first: int, last: int) -> Iterator[tuple[int, int]]:
    """The fewest CIDR blocks (start, prefix length) that cover the IPv4 addresses first..last exactly."""
    while first <= last:
        size = (first & -first).bit_length() - 1 if first else 32  # the largest block `first` is aligned to
        while first + (1 << size) - 1 > last:
            size -= 1
        yield first, 32 - size
        first += 1 << size


def collapse(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """What `ipaddress.collapse_addresses` gives for these (first, last) spans, as (start, prefix length), in
    address order: the fewest CIDR blocks that cover their union exactly. On integers: hundreds of VPCs that
    reach each other make this a per-VPC cost of the whole network."""
    merged: list[list[int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return [block for first, last in merged for block in _cidrs(first, last)]


def _cidr(start: int, prefix: int) -> str:
    return f"{ipaddress.IPv4Address(start)}/{prefix}"


def _internal_spans(plan: NetworkPlan, vpc: VpcPlan) -> list[tuple[int, int]]:
    """The spans of every network the VPC routes to, then its own CIDR's (when known)."""
    spans = plan.spans
    key = f"vpc:{vpc.name}"
    parts = plan.reach_groups(key) if vpc.network is not None else None
    if parts is None:
        others = [span for other in plan.neighbours(key) for span in spans[other]]
    else:
        # Whole segments at once (their spans merged once per segment); the VPC's own span, among them when its
        # segment reaches itself, is its CIDR, added below anyway.
        groups, extras = parts
        others = [span for tgw, segment, _ in groups for span in plan.group_spans(tgw, segment)]
        others += [span for other in extras for span in spans[other]]
    if vpc.network is not None:
        others.append((int(vpc.network.network_address), int(vpc.network.broadcast_address)))
    return others


@lru_cache(maxsize=256)
def _collapsed_count(spans: tuple[tuple[int, int], ...]) -> int:
    return len(collapse(spans))


def _internal_count(plan: NetworkPlan, vpc: VpcPlan) -> int:
    """len(collapse(_internal_spans(plan, vpc))), once per segment: every VPC of a segment whose attachments
    reach each other routes to the same networks, its own among them (hundreds at 1,000 accounts)."""
    parts = plan.reach_groups(f"vpc:{vpc.name}") if vpc.network is not None else None
    if parts is None or not parts[0] or not all(includes_self for _, _, includes_self in parts[0]):
        return len(collapse(_internal_spans(plan, vpc)))
    groups, extras = parts
    spans = tuple(span for tgw, segment, _ in groups for span in plan.group_spans(tgw, segment))
    return _collapsed_count(spans + tuple(span for other in extras for span in plan.spans[other]))


def internal_ranges(plan: NetworkPlan, vpc: VpcPlan) -> tuple[Optional[str], ...]:
    """The VPC's own CIDR (None when IPAM allocates it) and the collapsed ranges of every network it routes to."""
    own = vpc.network
    others = _internal_spans(plan, vpc)
    collapsed = collapse(others)
    # The VPC's own range first; when it is unknown until deploy, it stays on its own (None).
    if own is None:
        return (None, *(_cidr(*block) for block in collapsed))
    low, high = others[-1]
    head = next(b for b in collapsed if b[0] <= low and high <= b[0] + (1 << (32 - b[1])) - 1)
    return (_cidr(*head), *(_cidr(*b) for b in collapsed if b != head))


def tier_acl(plan: NetworkPlan, vpc: VpcPlan, tier: str, internal: tuple[Optional[str], ...] | None = None) -> TierAcl:
    """The network ACL of one tier of one VPC (`internal`: the VPC's `internal_ranges`, when already known)."""
    rules: list[AclRule] = []
    internal = internal_ranges(plan, vpc) if internal is None else internal
    for i, cidr in enumerate(internal):
        why = "the VPC itself" if i == 0 else "a network this VPC routes to"
        rules.append(AclRule(100 + i, False, "allow", "-1", 0, 0, cidr, why=why))
    n = 200
    for protocol, port, name in ADMIN_PORTS:
        for cidr, v6 in ((ANYWHERE, False), (ANYWHERE_V6, True)):
            rules.append(AclRule(n, False, "deny", protocol, port, port, cidr, v6, f"no {name} from the internet"))
            n += 10
    if tier == "public":
        for i, port in enumerate(PUBLIC_PORTS):
            rules.append(AclRule(300 + 10 * i, False, "allow", "tcp", port, port, ANYWHERE, why="web traffic to the public tier"))
    if tier != "isolated":
        for i, protocol in enumerate(("tcp", "udp")):
            rules.append(
                AclRule(400 + 10 * i, False, "allow", protocol, *EPHEMERAL, ANYWHERE, why="return traffic (ephemeral ports)")
            )
        rules.append(AclRule(100, True, "allow", "-1", 0, 0, ANYWHERE, why="outbound, routes decide where"))
    else:
        for i, cidr in enumerate(internal):
            rules.append(AclRule(100 + i, True, "allow", "-1", 0, 0, cidr, why="isolated: only inside networks"))
    return TierAcl(vpc.name, tier, tuple(rules))


def vpc_acls(plan: NetworkPlan, vpc: VpcPlan) -> tuple[TierAcl, ...]:
    """One network ACL per tier of the VPC, in the VPC's tier order."""
    internal = internal_ranges(plan, vpc)  # the same for every tier
    return tuple(tier_acl(plan, vpc, tier, internal) for tier in vpc.tiers)


def rule_counts(plan: NetworkPlan, vpc: VpcPlan) -> dict[str, tuple[int, int]]:
    """Tier -> (inbound, outbound) rule counts of `vpc_acls(plan, vpc)`, without building the rules (what the
    quota check needs: at 1,000 accounts the ACLs hold hundreds of thousands of rules)."""
    internal = _internal_count(plan, vpc) + (1 if vpc.network is None else 0)
    out = {}
    for tier in vpc.tiers:
        inbound = internal + 2 * len(ADMIN_PORTS) + (len(PUBLIC_PORTS) if tier == "public" else 0)
        out[tier] = (inbound, internal) if tier == "isolated" else (inbound + 2, 1)
    return out


def over_quota(acl: TierAcl, quota: int = RULES_PER_DIRECTION) -> list[str]:
    """Directions of `acl` with more rules than `quota` (an environment's `limits.network_acl_rules`; default AWS's)."""
    return [name for name, rules in (("inbound", acl.ingress), ("outbound", acl.egress)) if len(rules) > quota]


def describe(rules: tuple[AclRule, ...], own: str) -> str:
    """Rules as one line: `100 allow all from 10.0.0.0/16; 200 deny tcp 22 from 0.0.0.0/0; ...`."""
    parts = []
    for r in rules:
        proto = "all" if r.protocol == "-1" else f"{r.protocol} {r.ports}"
        where = r.cidr or own
        parts.append(f"{r.rule_no} {r.action} {proto} {'to' if r.egress else 'from'} {where}")
    return "; ".join(parts)
