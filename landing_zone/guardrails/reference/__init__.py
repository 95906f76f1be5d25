"""Control Tower's published controls as reference data.

- `control_tower.yaml`: AWS's SCP statements and Config rules of every
  `AWS-GR_*` control, extracted by `extract.py` from AWS's documentation
  source (with the page URL of each); the fidelity test holds the catalog
  against it.
- `CONTROL_TOWER_NAMES`: the names Control Tower's artifacts use where the
  catalog has a `${placeholder}` for this landing zone's own names; rendering
  a control with them gives what Control Tower would deploy.
- `region_deny_exemptions()`: the Region deny control's `NotAction` list, kept
  as dated data in `landing_zone/data/region_deny_exemptions.yaml`.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Placeholder -> Control Tower's value (from the artifacts in control_tower.yaml).
CONTROL_TOWER_NAMES: dict[str, Any] = {
    "exempt_principal_arns": ["arn:aws:iam::*:role/AWSControlTowerExecution"],
    "log_bucket_arns": ["arn:aws:s3:::aws-controltower*"],
    "trail_arns": ["arn:aws:cloudtrail:*:*:trail/aws-controltower-*"],
    "role_arns": [
        "arn:aws:iam::*:role/aws-controltower-*",
        "arn:aws:iam::*:role/*AWSControlTower*",
        "arn:aws:iam::*:role/stacksets-exec-*",
    ],
    "log_group_arns": ["arn:aws:logs:*:*:log-group:*aws-controltower*"],
    "event_rule_arns": ["arn:aws:events:*:*:rule/aws-controltower-*"],
    "function_arns": ["arn:aws:lambda:*:*:function:aws-controltower-*"],
    "topic_arns": ["arn:aws:sns:*:*:aws-controltower-*"],
    "security_topic_arns": ["arn:aws:sns:*:*:aws-controltower-SecurityNotifications"],
    "managed_tag_key": "aws-control-tower",
    "managed_tag_value": "managed-by-control-tower",
}


@lru_cache(maxsize=1)
def control_tower() -> dict:
    """The reference data: {"source": ..., "controls": {id: {title, url, statements | config_rule}}}."""
    text = resources.files(__name__).joinpath("control_tower.yaml").read_text("utf-8")
    return yaml.load(text, Loader=_LOADER)


@lru_cache(maxsize=1)
def region_deny_data() -> dict:
    text = resources.files("landing_zone.data").joinpath("region_deny_exemptions.yaml").read_text("utf-8")
    return yaml.load(text, Loader=_LOADER)


def region_deny_exemptions() -> list[str]:
    """Actions Control Tower's Region deny leaves allowed in every region (source and date in the data file)."""
    return list(region_deny_data()["not_action"])
