"""Rules on the OU tree."""

from __future__ import annotations

import re

from ..config.problems import Location, Problem
from ..derived.org_tree import ou_depth, parent_path
from .context import RuleContext

# AWS CreateOrganizationalUnit accepts printable characters; '/' separates our path parts.
_OU_NAME = re.compile(r"^[\x20-\x7E]+$")


def ou_paths(ctx: RuleContext) -> list[Problem]:
    """OU path parts are valid names within the length limit; no path is defined twice."""
    out: list[Problem] = []
    seen: dict[str, Location] = {}
    limit = ctx.env.limits.ou_name_length
    for i, ou in enumerate(ctx.env.organizational_units):
        where = ("organizational_units", i, "path")
        parts = ou.path.split("/")
        bad = [p for p in parts if not p or p != p.strip() or not _OU_NAME.match(p)]
        if parts[0].lower() == "root":
            out.append(
                ctx.problem(
                    where,
                    f"{parts[0]!r} is reserved: it names the organization's root, which holds every top-level OU "
                    "(guardrail targets write 'root' for it); give the OU another name",
                    "ou_paths",
                )
            )
        elif bad:
            out.append(
                ctx.problem(
                    where,
                    f"{ou.path!r} is not a valid OU path (expected names of printable characters "
                    "without leading or trailing spaces, separated by '/', such as 'Workloads/Prod')",
                    "ou_paths",
                )
            )
        for part in parts:
            if len(part) > limit:
                out.append(
                    ctx.problem(
                        where, f"OU name {part[:20]!r}... is {len(part)} characters; at most {limit} are allowed", "ou_paths"
                    )
                )
        key = ou.path.lower()
        if key in seen:
            out.append(ctx.problem(where, f"OU path {ou.path!r} is defined twice (first at line {seen[key].line})", "ou_paths"))
        else:
            seen[key] = ctx.location(where)
    return out


def ou_parents(ctx: RuleContext) -> list[Problem]:
    """The parent of every nested OU is defined."""
    paths = {ou.path for ou in ctx.env.organizational_units}
    out = []
    for i, ou in enumerate(ctx.env.organizational_units):
        parent = parent_path(ou.path)
        # A malformed path is reported by ou_paths; its "parent" means nothing.
        if parent and parent not in paths and all(parent.split("/")):
            out.append(
                ctx.problem(
                    ("organizational_units", i, "path"),
                    f"parent OU {parent!r} of {ou.path!r} is not defined (add it to organizational_units)",
                    "ou_parents",
                )
            )
    return out


def ou_depth_limit(ctx: RuleContext) -> list[Problem]:
    """No OU is nested deeper than the OU depth quota."""
    limit = ctx.env.limits.ou_depth
    return [
        ctx.problem(
            ("organizational_units", i, "path"),
            f"{ou.path!r} is nested {ou_depth(ou.path)} levels deep; at most {limit} are allowed (limits.ou_depth)",
            "ou_depth_limit",
        )
        for i, ou in enumerate(ctx.env.organizational_units)
        if ou_depth(ou.path) > limit
    ]


def ou_count_limit(ctx: RuleContext) -> list[Problem]:
    """The OU count stays within the organization's quota."""
    limit, n = ctx.env.limits.ous_per_organization, len(ctx.env.organizational_units)
    if n > limit:
        return [
            ctx.problem(
                ("organizational_units",),
                f"{n} OUs defined; at most {limit} are allowed (limits.ous_per_organization)",
                "ou_count_limit",
            )
        ]
    return []
