"""`lz network ENV_FILE`: the network topology as tables and a Mermaid diagram file.

Reads only the environment file (no cdktf, no AWS): segments and what they
reach, VPCs with their addresses and stacks, peerings, Direct Connect, and
every network's reachability. The diagram (Mermaid, renders on GitHub and
in most Markdown viewers) is written only when asked: `--diagram FILE`
(`-` for stdout; `none`, like leaving it out, for no diagram).
"""

from __future__ import annotations

import sys

from ...environment import load_environment
from ...render import add_format_argument, emit

NAME = "network"
HELP = "Print the network (segments, VPCs, peerings, Direct Connect, reachability); --diagram writes a Mermaid diagram."
ORDER = 35


def add_arguments(parser) -> None:
    parser.add_argument("env_file", metavar="ENV_FILE", help="environment file, e.g. environments/example.yaml")
    parser.add_argument(
        "--diagram",
        metavar="PATH",
        help="write the Mermaid diagram to PATH ('-' for stdout; default: no diagram)",
    )
    add_format_argument(parser)


def run(args) -> int:
    from ...derived.network_report import as_json, mermaid, network_document
    from ...output_paths import check_output_file, write_output

    if args.diagram not in (None, "-", "none"):
        check_output_file(args.diagram, make_parents=True, what="diagram")  # before anything is printed
    loaded = load_environment(args.env_file)
    plan = loaded.facts.network_plan
    diagram = mermaid(plan, title=f"{loaded.name} network")
    target = args.diagram or "none"  # nobody asked for a file: write none
    data = as_json(plan)
    data["environment"] = loaded.name
    emit(network_document(plan, loaded.name), args.format, data=data)
    if target == "-":
        print(diagram, end="")
    elif target != "none":
        path = write_output(target, diagram, make_parents=True, what="diagram")
        print(f"wrote {path}", file=sys.stderr)
    return 0
