"""`lz network ENV_FILE`: the network topology as tables and a Mermaid diagram file.

Reads only the environment file (no cdktf, no AWS): segments and what they
reach, VPCs with their addresses and stacks, peerings, Direct Connect, and
every network's reachability. The diagram (Mermaid, renders on GitHub and
in most Markdown viewers) goes to `--diagram` (default
cdktf.out/network-<env>.mmd; `-` for stdout, `none` for no file).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ...environment import load_environment
from ..output import table

NAME = "network"
HELP = "Print the network (segments, VPCs, peerings, Direct Connect, reachability) and write a Mermaid diagram."
ORDER = 35


def add_arguments(parser) -> None:
    parser.add_argument("env_file", metavar="ENV_FILE", help="environment file, e.g. environments/example.yaml")
    parser.add_argument("--diagram", metavar="PATH",
                        help="where to write the Mermaid diagram (default cdktf.out/network-<env>.mmd; '-' stdout, 'none' skip)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")


def render_text(plan, name: str) -> str:
    from ...derived.network_report import dx_rows, peering_rows, reach_rows, segment_rows, vpc_rows
    parts = [f"Network of {name}: network account {plan.account!r}, default region {plan.region}"]
    if not plan.tgws and not plan.vpcs:
        return parts[0] + "\n(no network: section)\n"
    if plan.tgws:
        parts.append("Segments (each is a transit-gateway route table; attachments reach only the segments listed)\n"
                     + table(["transit gateway", "segment", "reaches", "egress", "attachments"], segment_rows(plan)))
    if plan.vpcs:
        parts.append("VPCs\n" + table(["vpc", "role", "account", "region", "cidr", "attached to", "subnets", "stack"], vpc_rows(plan)))
    if plan.peerings:
        parts.append("Peerings\n" + table(["peering", "requester", "accepter", "scope", "requester routes", "accepter routes", "stack"],
                                          peering_rows(plan)))
    if plan.dx:
        parts.append("Direct Connect\n" + table(["gateway", "asn", "segment", "allowed prefixes", "on-premises", "interfaces"], dx_rows(plan)))
    parts.append("Reachability (who can route to whom)\n" + table(["network", "reaches"], reach_rows(plan)))
    return "\n\n".join(parts) + "\n"


def run(args) -> int:
    from ...derived.network_report import as_json, mermaid

    loaded = load_environment(args.env_file)
    plan = loaded.facts.network_plan
    diagram = mermaid(plan, title=f"{loaded.name} network")
    target = args.diagram or f"cdktf.out/network-{loaded.name}.mmd"
    if args.format == "json":
        doc = as_json(plan)
        doc["environment"] = loaded.name
        json.dump(doc, sys.stdout, indent=2)
        print()
    else:
        print(render_text(plan, loaded.name), end="")
    if target == "-":
        print(diagram, end="")
    elif target != "none":
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(diagram, encoding="utf-8")
        print(f"wrote {path}", file=sys.stderr)
    return 0
