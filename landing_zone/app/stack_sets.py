"""Which stacks a synth must build so that some stacks can be written. Pure Python."""

from __future__ import annotations

from typing import Iterable

from ..derived.network_plan import NETWORK_STACK
from ..derived.stack_layout import LOG_ARCHIVE, MANAGEMENT
from ..environment import LoadedEnvironment


def build_set(loaded: LoadedEnvironment, wanted: Iterable[str]) -> frozenset[str]:
    """The stacks to build so that `wanted` can be written: them, the producers the others read from
    (management, log-archive, network) and, until nothing is added, the stacks of the VPCs their peerings read."""
    out = set(wanted) | {MANAGEMENT, LOG_ARCHIVE}
    if loaded.env.network is not None:
        plan = loaded.facts.network_plan
        out.add(NETWORK_STACK)
        size = 0
        while size != len(out):
            size = len(out)
            for peering in plan.peerings.values():
                if peering.stack in out:
                    out.update(plan.vpcs[side].stack for side in (peering.requester, peering.accepter))
    return frozenset(out)
