"""The network diagram as SVG, laid out in Python: no script, no font metrics, the same bytes for the same plan.

Columns from left to right: on-premises networks, Direct Connect gateways,
each transit gateway's segments (in a box per transit gateway), then every
VPC with its name, address space, account and region. A line joins a VPC to
its segment; an arrow labelled 0.0.0.0/0 goes from each egress segment to its
egress VPC; segments that reach each other are joined by an arc on the left;
peerings are dashed arcs on the right. VPCs attached to nothing sit in the
same column, below the attached ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from ..derived.network_plan import EGRESS_TABLE, NetworkPlan
from ..derived.network_report import vpc_space

BOX_W = 230
VPC_H = 54
SEG_H = 40
GAP = 14
COL_ONPREM, COL_DX, COL_SEG, COL_VPC = 20, 250, 520, 860
TOP = 40
CHARS = 34
"""Longest text line inside a box before it is cut (with an ellipsis; the full text is in the box's title)."""


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int

    @property
    def left(self) -> tuple[int, int]:
        return self.x, self.y + self.h // 2

    @property
    def right(self) -> tuple[int, int]:
        return self.x + self.w, self.y + self.h // 2


def _cut(text: str, chars: int = CHARS) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def _a(value: object) -> str:
    return escape(str(value), {'"': "&quot;"})


def _box(box: Box, kind: str, key: str, lines: list[str], rx: int = 6) -> str:
    title = " — ".join(lines)
    out = [
        f'<g class="node {kind}" data-name="{_a(key)}"><title>{escape(title)}</title>',
        f'<rect x="{box.x}" y="{box.y}" width="{box.w}" height="{box.h}" rx="{rx}"/>',
    ]
    for i, line in enumerate(lines):
        y = box.y + 18 + i * 15
        cls = "name" if i == 0 else "detail"
        out.append(f'<text class="{cls}" x="{box.x + 10}" y="{y}">{escape(_cut(line))}</text>')
    out.append("</g>")
    return "".join(out)


def _line(a: tuple[int, int], b: tuple[int, int], cls: str, label: str = "", at: float = 0.5) -> str:
    """A straight edge; its label sits at fraction `at` of the way from a to b."""
    out = f'<line class="{cls}" x1="{a[0]}" y1="{a[1]}" x2="{b[0]}" y2="{b[1]}"/>'
    if label:
        mx, my = round(a[0] + (b[0] - a[0]) * at), round(a[1] + (b[1] - a[1]) * at) - 4
        out += f'<text class="edge-label" x="{mx}" y="{my}" text-anchor="middle">{escape(label)}</text>'
    return out


def _arc(a: tuple[int, int], b: tuple[int, int], bulge: int, cls: str, label: str = "") -> str:
    """A curve from a to b bulging sideways by `bulge` pixels (negative: to the left)."""
    cx = max(a[0], b[0]) + bulge if bulge > 0 else min(a[0], b[0]) + bulge
    out = f'<path class="{cls}" d="M{a[0]},{a[1]} C{cx},{a[1]} {cx},{b[1]} {b[0]},{b[1]}"/>'
    if label:
        x = cx - bulge // 4 if bulge > 0 else cx + 4
        out += f'<text class="edge-label" x="{x}" y="{(a[1] + b[1]) // 2}">{escape(label)}</text>'
    return out


def network_svg(plan: NetworkPlan, title: str = "network") -> str:
    """The whole diagram as one `<svg>` element (empty diagram with a note when there is no network)."""
    parts: list[str] = []
    vpc_boxes: dict[str, Box] = {}
    seg_boxes: dict[tuple[str, str], Box] = {}

    # VPCs: attached ones in transit gateway / segment order, then the rest in config order.
    ordered: list[str] = []
    for tgw in plan.tgws.values():
        for seg in (*tgw.segments, EGRESS_TABLE):
            for vpc in plan.vpcs.values():
                if vpc.name not in ordered and any(r.transit_gateway == tgw.name and r.segment == seg for r in vpc.attachments):
                    ordered.append(vpc.name)
    ordered += [name for name in plan.vpcs if name not in ordered]
    y = TOP
    for name in ordered:
        vpc_boxes[name] = Box(COL_VPC, y, BOX_W, VPC_H)
        y += VPC_H + GAP
    bottom = y

    # Segments, grouped per transit gateway, spread over the height of their VPCs.
    y = TOP
    for tgw in plan.tgws.values():
        box_top = y
        y += 26
        egress = set(plan.egress_segments(tgw.name))
        for seg in tgw.segments:
            seg_boxes[(tgw.name, seg)] = Box(COL_SEG + 10, y, BOX_W - 20, SEG_H)
            y += SEG_H + GAP
        frame = Box(COL_SEG, box_top, BOX_W, y - box_top)
        parts.append(
            f'<g class="tgw" data-name="{_a(tgw.name)}"><title>transit gateway {escape(tgw.name)}</title>'
            f'<rect x="{frame.x}" y="{frame.y}" width="{frame.w}" height="{frame.h}" rx="10"/>'
            f'<text class="name" x="{frame.x + 10}" y="{frame.y + 18}">'
            f"{escape(_cut(f'{tgw.name} · ASN {tgw.asn} · {tgw.region}', 30))}</text></g>"
        )
        for seg in tgw.segments:
            lines = [f"segment {seg}"] + (["egress to internet"] if seg in egress else [])
            parts.append(_box(seg_boxes[(tgw.name, seg)], "segment", f"{tgw.name}/{seg}", lines, rx=18))
        y += GAP * 2
    bottom = max(bottom, y)

    edges: list[str] = []
    for tgw in plan.tgws.values():
        done: set[frozenset] = set()
        for seg in tgw.segments:
            for other in plan.segment_reach(tgw.name, seg):
                pair = frozenset((seg, other))
                if other != seg and pair not in done:
                    done.add(pair)
                    a, b = seg_boxes[(tgw.name, seg)].left, seg_boxes[(tgw.name, other)].left
                    edges.append(_arc(a, b, -40, "edge reach"))
    for vpc in plan.vpcs.values():
        for ref in vpc.attachments:
            if ref.segment == EGRESS_TABLE:
                for seg in plan.egress_segments(ref.transit_gateway):
                    edges.append(_line(seg_boxes[(ref.transit_gateway, seg)].right, vpc_boxes[vpc.name].left, "edge egress"))
                x, y = vpc_boxes[vpc.name].left
                edges.append(f'<text class="edge-label" x="{x - 6}" y="{y + 16}" text-anchor="end">0.0.0.0/0</text>')
            elif (ref.transit_gateway, ref.segment) in seg_boxes:
                edges.append(_line(vpc_boxes[vpc.name].left, seg_boxes[(ref.transit_gateway, ref.segment)].right, "edge attach"))
    for i, p in enumerate(plan.peerings.values()):
        a, b = vpc_boxes[p.requester].right, vpc_boxes[p.accepter].right
        edges.append(_arc(a, b, 60 + 25 * (i % 4), "edge peering", f"peering {p.name}"))

    y = TOP
    for dx in plan.dx.values():
        box = Box(COL_DX, y, BOX_W, VPC_H)
        parts.append(_box(box, "dx", dx.name, [f"Direct Connect {dx.name}", f"ASN {dx.asn}"], rx=2))
        for tgw_name, seg, prefixes in dx.associations:
            if (tgw_name, seg) in seg_boxes:
                edges.append(_line(box.right, seg_boxes[(tgw_name, seg)].left, "edge dx"))
                edges.append(
                    f'<text class="edge-label" x="{box.x + box.w}" y="{box.y + box.h + 14}" text-anchor="end">'
                    f"to {escape(seg)}: {escape(', '.join(prefixes))}</text>"
                )
        if dx.on_premises:
            onprem = Box(COL_ONPREM, y, BOX_W - 40, 20 + 15 * len(dx.on_premises))
            parts.append(_box(onprem, "onprem", f"onprem:{dx.name}", ["on-premises", *dx.on_premises], rx=14))
            edges.append(_line(onprem.right, box.left, "edge dx"))
        y += VPC_H + GAP * 3

    for name in ordered:
        vpc = plan.vpcs[name]
        role = "egress" if vpc.egress_for else "vpc"
        lines = [vpc.name, vpc_space(plan, name), f"account {vpc.account}, {vpc.region}"]
        parts.append(_box(vpc_boxes[name], role, name, lines))

    width = COL_VPC + BOX_W + 200
    height = max(bottom, y) + TOP
    if not plan.vpcs and not plan.tgws:
        parts.append(f'<text class="detail" x="{COL_ONPREM}" y="{TOP}">no network: section in this environment</text>')
        height = TOP * 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="network-diagram" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" aria-labelledby="network-svg-title">'
        f'<title id="network-svg-title">{escape(title)}</title>'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
        '<path d="M0,0 L10,5 L0,10 z"/></marker></defs>'
        f'<g class="edges">{"".join(edges)}</g><g class="nodes">{"".join(parts)}</g></svg>'
    )
