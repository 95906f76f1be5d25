"""`lz dashboard`: the static site (index.html, data.js, dashboard.js, dashboard.css) of one environment.

The page works from file:// with no network: the data is a script
(`data.js` sets `window.LZ_DASHBOARD`), because browsers refuse `fetch` of
local JSON files; the script and the style are the package's own files,
copied at build time; the network diagram is SVG drawn here
(network_svg.py), so no diagram library has to run in the browser.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Optional

import jinja2

from ..facts import Facts
from ..live.organization import OrganizationView
from .atomic import write_folder
from .compliance import ComplianceView
from .model import FLAGS, KINDS, build_model
from .network_svg import network_svg

STATIC = ("dashboard.js", "dashboard.css")


@dataclass
class OuNode:
    name: str
    path: str
    accounts: list[dict] = field(default_factory=list)
    children: list["OuNode"] = field(default_factory=list)


def _tree(model: dict) -> OuNode:
    by_name = {a["name"]: a for a in model["accounts"]}
    nodes = {o["path"]: OuNode(o["name"], o["path"], [by_name[n] for n in o["accounts"]]) for o in model["ous"]}
    for path, node in nodes.items():
        if path:
            parent = path.rsplit("/", 1)[0] if "/" in path else ""
            nodes[parent].children.append(node)
    return nodes[""]


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("landing_zone.dashboard", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _static(name: str) -> str:
    return resources.files("landing_zone.dashboard").joinpath("static", name).read_text(encoding="utf-8")


def data_script(model: dict) -> str:
    """The model as a script (compact JSON; `</` escaped so it can never close a script element)."""
    text = json.dumps(model, separators=(",", ":"), ensure_ascii=False, sort_keys=False).replace("</", "<\\/")
    return f"window.LZ_DASHBOARD={text};\n"


def render_site(model: dict, svg: str) -> dict[str, str]:
    """File name -> text of every file of the site."""
    kind_counts = Counter(a["kind"] for a in model["accounts"])
    flag_counts = Counter(f for a in model["accounts"] for f in a["flags"])
    tier_counts = Counter(c["tier"] for c in model["controls"])
    users_by_group: dict[str, list[str]] = {}
    for u in model["identity"]["users"]:
        for g in u["groups"]:
            users_by_group.setdefault(g, []).append(u["user_name"])
    html = (
        _environment()
        .get_template("index.html.j2")
        .render(
            m=model,
            tree=_tree(model),
            svg=svg,
            kind_counts=[(k, kind_counts[k]) for k in KINDS if kind_counts[k]],
            flag_counts=[(f, flag_counts[f]) for f in FLAGS if flag_counts[f]],
            tier_counts=[(t, tier_counts[t]) for t in model["tiers"]],
            users_by_group=users_by_group,
            grant_count=sum(len(a["g"]) for a in model["accounts"]),
        )
    )
    files = {"index.html": html, "data.js": data_script(model)}
    files.update({name: _static(name) for name in STATIC})
    return files


def build_dashboard(
    facts: Facts,
    env_file: str,
    name: str,
    out: str | Path,
    live: Optional[OrganizationView] = None,
    compliance: Optional[ComplianceView] = None,
) -> tuple[Path, dict[str, Any]]:
    """Write the site to the folder `out` (replaced whole, atomically); returns its index.html and the model."""
    model = build_model(facts, env_file, name, live=live, compliance=compliance)
    svg = network_svg(facts.network_plan, title=f"{name} network")
    folder = write_folder(out, render_site(model, svg))
    return folder / "index.html", model
