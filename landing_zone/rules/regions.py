"""Rules on regions."""

from __future__ import annotations

import difflib
from functools import lru_cache

from ..config.problems import Problem
from ..package_data import data_yaml
from .context import RuleContext


@lru_cache(maxsize=1)
def known_regions() -> tuple[str, ...]:
    return tuple(data_yaml("aws_regions.yaml")["regions"])


def _unknown(region: str) -> str:
    close = difflib.get_close_matches(region, known_regions(), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"{region!r} is not an AWS region{hint}"


def regions(ctx: RuleContext) -> list[Problem]:
    """Regions are real AWS regions, listed once; the home region is governed."""
    org = ctx.env.organization
    out = []
    if org.home_region not in known_regions():
        out.append(ctx.problem(("organization", "home_region"), _unknown(org.home_region), "regions"))
    elif org.home_region not in org.governed_regions:
        out.append(
            ctx.problem(
                ("organization", "home_region"),
                f"home region {org.home_region!r} is not in governed_regions ({', '.join(org.governed_regions)})",
                "regions",
            )
        )
    if not org.governed_regions:
        out.append(ctx.problem(("organization", "governed_regions"), "at least one governed region is required", "regions"))
    seen = set()
    for i, region in enumerate(org.governed_regions):
        if region not in known_regions():
            out.append(ctx.problem(("organization", "governed_regions", i), _unknown(region), "regions"))
        elif region in seen:
            out.append(ctx.problem(("organization", "governed_regions", i), f"region {region!r} is listed twice", "regions"))
        seen.add(region)
    return out
