"""The `limits:` section: AWS quotas the checks use, with defaults kept as data."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Annotated

import yaml
from pydantic import AfterValidator, Field, create_model

from .base import StrictModel


@lru_cache(maxsize=1)
def limit_table() -> dict[str, dict]:
    """The package's quota table: name -> value, description, source, as_of."""
    text = resources.files("landing_zone.data").joinpath("aws_limits.yaml").read_text("utf-8")
    return yaml.safe_load(text)


# An adjustable quota raised past this is a typo, not a quota AWS grants (and a 4,000-digit
# number would make every check that counts up to it crawl).
ADJUSTABLE_MAX = 1_000_000


def _ceiling(name: str, entry: dict):
    """A validator: a hard limit may be lowered (to model an older quota) but never raised."""
    hard = not entry.get("adjustable", False)
    top = entry["value"] if hard else ADJUSTABLE_MAX

    def check(value: int) -> int:
        if value > top:
            if hard:
                raise ValueError(f"{value} is above AWS's hard limit of {top} ({entry['description']}; {entry['source']}, "
                                 f"{entry['as_of']}): it cannot be raised, only lowered; only adjustable quotas may be raised")
            raise ValueError(f"{value} is above {top:,}, more than AWS grants for any adjustable quota")
        return value
    return AfterValidator(check)


def _build() -> type[StrictModel]:
    fields = {
        name: (Annotated[int, _ceiling(name, entry)],
               Field(default=entry["value"], ge=1,
                     description=f"{entry['description']} (default {entry['value']}; "
                                 f"{'adjustable' if entry.get('adjustable') else 'hard limit: can be lowered, not raised'}; "
                                 f"{entry['source']}, {entry['as_of']})"))
        for name, entry in limit_table().items()
    }
    return create_model("Limits", __base__=StrictModel, __doc__="AWS quotas used by the checks; each overrides a default from the package.", **fields)


Limits = _build()
