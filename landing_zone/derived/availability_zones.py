"""Each region's availability zones, from data (data/aws_availability_zones.yaml, with its source and date).

A VPC takes the region's first N zones (`availability_zones: 3`) or the zones
it names (`availability_zones: [eu-west-1a, eu-west-1c]`); the rule
`network_availability_zones` reports a count the region cannot give or a zone
of another region. Pure Python.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence, Union

from ..package_data import data_yaml

DATA_FILE = "aws_availability_zones.yaml"

ZoneSpec = Union[int, Sequence[str]]


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, ...]]:
    return {region: tuple(zones) for region, zones in data_yaml(DATA_FILE)["regions"].items()}


def region_zones(region: str) -> tuple[str, ...]:
    """The zones of `region` a new account sees, in order (empty for a region the data does not know)."""
    return _table().get(region, ())


def zones_for(region: str, spec: ZoneSpec) -> tuple[str, ...]:
    """The zones a VPC in `region` uses: the named ones, or the region's first `spec` (as many as exist)."""
    if isinstance(spec, int):
        return region_zones(region)[:spec]
    return tuple(spec)
