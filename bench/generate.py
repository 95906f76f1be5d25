"""Environments of N member accounts shaped like environments/example.yaml.

The example has 10 member accounts (4 core and shared, 5 vended workload
and sandbox requests, 1 request file). A bigger environment keeps all of
them and adds clones of the example's vended requests, round robin: each
clone keeps its template's OU, tags and baseline, gets a distinct name (and
so a distinct email from the factory's template), and a clone of a workload
with a spoke VPC (in `network.vpcs`, or the request's own `network:`) gets
its own spoke on the same segment, with a distinct CIDR from a range the
example does not use: the clones on one segment take consecutive /22s of
a block of their own, as a platform team plans addresses that summarize (a
network ACL admits every network its VPC routes to, and interleaved ranges
would need one rule each: hundreds per ACL, more than AWS allows). From
100 accounts on, `limits.network_acl_rules` is 40, the most AWS grants on
request, as an organization of that size asks for. OUs, guardrails, identity and the network hub stay as
they are, so every clone draws the same guardrails, assignments and
baseline as its template.
"""

from __future__ import annotations

import copy
import ipaddress
import shutil
from pathlib import Path
from typing import Iterator

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "environments" / "example.yaml"
EXAMPLE_ACCOUNTS = 10
"""Member accounts of the example (accounts: plus requests plus request files)."""

CLONE_SUPERNET = ipaddress.ip_network("10.128.0.0/9")
"""Where clone VPCs get their CIDRs: the example uses 10.0-10.99, this stays clear of it."""
SEGMENT_PREFIX = 11
"""A block per transit gateway segment that clones attach to: 4 blocks in the supernet."""
CLONE_PREFIX = 22
"""A /22 per clone VPC: 2,048 fit in a segment's block."""
RAISED_ACL_RULES = 40
"""Rules per network ACL in the generated environments of 100 accounts or more (AWS's ceiling for the quota)."""
SUBNET_SHRINK = 6
"""Clone subnets are this much smaller than the template's (a /16 VPC's /20 becomes a /26 in a /22)."""


def example_data(example: Path = EXAMPLE) -> dict:
    return yaml.safe_load(example.read_text(encoding="utf-8"))


def _readdress(vpc: dict, cidr: ipaddress.IPv4Network) -> dict:
    """A copy of a VPC (or a request's `network:`) on `cidr`, its subnets shrunk to fit."""
    clone = copy.deepcopy(vpc)
    clone["cidr"] = str(cidr)
    for subnet in (clone.get("subnets") or {}).values():
        if isinstance(subnet, dict) and "netmask" in subnet:
            subnet["netmask"] = min(28, subnet["netmask"] + SUBNET_SHRINK)
    return clone


def _clone_vpc(vpc: dict, account: str, cidr: ipaddress.IPv4Network) -> dict:
    return {**_readdress(vpc, cidr), "name": account, "account": account}


def scaled(data: dict, accounts: int) -> dict:
    """The example's data with clones added up to `accounts` member accounts."""
    if accounts < EXAMPLE_ACCOUNTS:
        raise ValueError(f"the example already has {EXAMPLE_ACCOUNTS} member accounts; ask for at least that many")
    data = copy.deepcopy(data)
    factory = data["account_factory"]
    templates = list(factory["requests"])
    network = data.get("network") or {}
    vpcs = {v["account"]: v for v in network.get("vpcs", []) if v.get("attachments")}
    blocks = CLONE_SUPERNET.subnets(new_prefix=SEGMENT_PREFIX)
    cidrs: dict[str, Iterator[ipaddress.IPv4Network]] = {}

    def next_cidr(name: str) -> ipaddress.IPv4Network:
        if name not in cidrs:
            cidrs[name] = next(blocks).subnets(new_prefix=CLONE_PREFIX)
        return next(cidrs[name])

    for i in range(accounts - EXAMPLE_ACCOUNTS):
        template = templates[i % len(templates)]
        request = copy.deepcopy(template)
        request["name"] = f"{template['name']}-{i:04d}"
        factory["requests"].append(request)
        if isinstance(request.get("network"), dict) and request["network"].get("cidr"):
            request["network"] = _readdress(
                request["network"], next_cidr(request["network"].get("segment", ""))
            )  # the request's own spoke
        elif template["name"] in vpcs:
            network["vpcs"].append(
                _clone_vpc(vpcs[template["name"]], request["name"], next_cidr(_segment(vpcs[template["name"]])))
            )
    if accounts >= 100:
        data.setdefault("limits", {})["network_acl_rules"] = RAISED_ACL_RULES
    return data


def _segment(vpc: dict) -> str:
    return next((a.get("segment", "") for a in vpc.get("attachments") or () if isinstance(a, dict)), "")


def write_environment(accounts: int, folder: Path, example: Path = EXAMPLE) -> Path:
    """Write `bench-<accounts>.yaml` (and its request files) into `folder`; return the file."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"bench-{accounts}.yaml"
    data = scaled(example_data(example), accounts)
    path.write_text(yaml.safe_dump(data, sort_keys=False, width=120), encoding="utf-8")
    requests = example.parent / example.stem / "accounts"
    if requests.is_dir():
        shutil.copytree(requests, folder / path.stem / "accounts", dirs_exist_ok=True)
    return path
