"""The `limits:` section: AWS quotas the checks use, with defaults kept as data."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml
from pydantic import Field, create_model

from .base import StrictModel


@lru_cache(maxsize=1)
def limit_table() -> dict[str, dict]:
    """The package's quota table: name -> value, description, source, as_of."""
    text = resources.files("landing_zone.data").joinpath("aws_limits.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _build() -> type[StrictModel]:
    fields = {
        name: (int, Field(default=entry["value"], ge=1,
                          description=f"{entry['description']} (default {entry['value']}; {entry['source']}, {entry['as_of']})"))
        for name, entry in limit_table().items()
    }
    return create_model("Limits", __base__=StrictModel, __doc__="AWS quotas used by the checks; each overrides a default from the package.", **fields)


Limits = _build()
