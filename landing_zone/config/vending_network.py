"""Account factory, network side: a request's `network:` block becomes a `network.vpcs` entry.

The entry is exactly the VPC a `network.vpcs` item named after the account
(with `account: <name>`) would be, so the network rules, the NetworkPlan and
the spoke construct treat it like any other VPC: one code path. The entry
remembers its request (`origin`), and the rules report a problem found in it
at the request's block (its file, line and YAML path), not at `network.vpcs`.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

from .models import AccountRequest, Environment
from .models.network import _NAME
from .yaml_loader import LocDict, LocList

_REQUESTS = ("account_factory", "requests")
# Keys of a request's block that an attachment carries instead of the VPC.
_ATTACHMENT_KEYS = ("segment", "transit_gateway")


def vpc_name(request: AccountRequest) -> str:
    """Name of the request's VPC: its own `network.name`, else the account name."""
    assert request.network is not None  # only a request with a network block has a VPC
    return request.network.name or request.name


def written_vpcs(data: Any) -> dict[Any, Any]:
    """Name -> account of the VPCs written under `network.vpcs` (not those that came from requests), as written (not yet validated)."""
    net = data.get("network") if isinstance(data, dict) else None
    vpcs = net.get("vpcs") if isinstance(net, dict) else None
    return {
        v.get("name"): v.get("account")
        for v in (vpcs if isinstance(vpcs, list) else [])
        if isinstance(v, dict) and getattr(v, "origin", None) is None
    }


def blocking_issue(env: Environment, request: AccountRequest, written: dict[Any, Any]) -> Optional[tuple[str, str]]:
    """(key of the request's network block, why) when the block cannot become a VPC; None when it can.

    `written`: the VPCs of `network.vpcs` (name -> account), see written_vpcs.
    """
    if request.network is None:
        return None
    name = vpc_name(request)
    if env.network is None:
        return (
            "segment" if request.network.segment else "",
            f"account {request.name!r} asks for a VPC, but there is no top-level `network:` section "
            "(add one with the network account, and a transit gateway with segments to attach to)",
        )
    if not _NAME.match(name):
        return (
            "",
            f"account name {name!r} is not a valid VPC name (1-32 lower-case letters, digits and inner hyphens); give network.name",
        )
    if name in written:
        return (
            "name" if request.network.name else "",
            f"VPC {name!r} is also defined in network.vpcs (account {written[name]!r}); "
            "declare it in one place: the request's network block or network.vpcs",
        )
    return None


def segment_without_hub(env: Environment, request: AccountRequest) -> bool:
    """The block names a segment, but `network:` has no transit gateway to hold it."""
    return bool(request.network and request.network.segment and env.network is not None and not env.network.transit_gateways)


def _loc_dict(items: dict, loc, locs: dict) -> LocDict:
    out = LocDict(items)
    out.loc, out.key_locs, out.value_locs = loc, dict(locs), dict(locs)
    return out


def _vpc_node(env: Environment, request: AccountRequest, node: LocDict, i: int) -> LocDict:
    """The `network.vpcs` item of request `node` (index i), each value pointing where the request wrote it."""
    assert request.network is not None  # called only for a request with a network block
    block = node["network"]
    here = node.value_locs.get("name", node.loc)
    items = {"name": block.get("name", request.name), "account": request.name}
    locs = {"name": block.value_locs.get("name", here), "account": here}
    for key, value in block.items():
        if key not in items and key not in _ATTACHMENT_KEYS:
            items[key], locs[key] = value, block.value_locs[key]
    if request.network.segment and not segment_without_hub(env, request):
        att = {k: block[k] for k in _ATTACHMENT_KEYS if k in block}
        at = block.value_locs["segment"]
        attachments = LocList([_loc_dict(att, at, {k: block.value_locs[k] for k in att})])
        attachments.loc, attachments.item_locs = at, [at]
        items["attachments"], locs["attachments"] = attachments, at
    out = _loc_dict(items, block.loc, locs)
    out.origin = (i, "name" in block)
    return out


def add_request_vpcs(env: Environment, data: Any, vended: set[str]) -> Any:
    """`data` with one `network.vpcs` item appended per vended request whose network block can become a VPC."""
    if env.account_factory is None or env.network is None or not isinstance(data.get("network"), LocDict):
        return data
    requests = data["account_factory"]["requests"]
    new, new_locs, written = [], [], written_vpcs(data)
    for i, request in enumerate(env.account_factory.requests):
        if request.network is None or request.name not in vended or blocking_issue(env, request, written) is not None:
            continue
        new.append(_vpc_node(env, request, requests[i], i))
        new_locs.append(requests.item_locs[i])
    if not new:
        return data
    network = data["network"]
    vpcs = network.get("vpcs")
    items = list(vpcs) if isinstance(vpcs, LocList) else []
    item_locs = list(vpcs.item_locs) if isinstance(vpcs, LocList) else []
    out_vpcs = LocList(items + new)
    out_vpcs.loc = vpcs.loc if isinstance(vpcs, LocList) else network.loc
    out_vpcs.item_locs = item_locs + new_locs
    out_net = LocDict(network)
    out_net.loc, out_net.key_locs, out_net.value_locs = network.loc, dict(network.key_locs), dict(network.value_locs)
    out_net["vpcs"] = out_vpcs
    out_net.key_locs.setdefault("vpcs", out_vpcs.loc)
    out_net.value_locs.setdefault("vpcs", out_vpcs.loc)
    out = LocDict(data)
    out.loc, out.key_locs, out.value_locs = data.loc, dict(data.key_locs), dict(data.value_locs)
    out["network"] = out_net
    return out


def request_path(data: Any, path: Sequence[str | int]) -> Sequence[str | int]:
    """`path` inside a VPC that came from a request, as the path of the request's block; any other path unchanged."""
    if len(path) < 3 or tuple(path[:2]) != ("network", "vpcs") or not isinstance(path[2], int):
        return path
    net = data.get("network") if isinstance(data, dict) else None
    vpcs = net.get("vpcs") if isinstance(net, dict) else None
    if not isinstance(vpcs, list) or not 0 <= path[2] < len(vpcs):
        return path
    origin = getattr(vpcs[path[2]], "origin", None)
    if origin is None:
        return path
    i, named = origin
    base, rest = (*_REQUESTS, i), tuple(path[3:])
    if not rest:
        return (*base, "network")
    if rest[0] == "account" or (rest[0] == "name" and not named):
        return (*base, "name")
    if rest[0] == "attachments":
        key = rest[2] if len(rest) >= 3 and rest[2] in _ATTACHMENT_KEYS else "segment"
        return (*base, "network", key)
    return (*base, "network", *rest)
