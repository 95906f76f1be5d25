"""The `organization.default_vpcs:` setting: what happens to AWS's default VPC in every governed region."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import StrictModel

DefaultVpcMode = Literal["delete", "lock", "keep"]
"""delete: removed with what AWS made in it; lock: closed (no rules, flow logs); keep: left as AWS made it."""


class DefaultVpcs(StrictModel):
    """AWS makes a default VPC in every region of every account: open default security group and network ACL,
    public subnets, an internet gateway, no flow logs (CIS 5.1, 5.4, 3.7). The most specific entry wins:
    `accounts`, then the deepest OU of `ous`, then `mode`."""

    mode: DefaultVpcMode = Field(
        "delete",
        description="For every account (the management account included) without a more specific entry: "
        "delete (remove the default VPC, its internet gateway and subnets; refused while network interfaces "
        "are in it), lock (default security group and network ACL without rules, flow logs to the log "
        "archive) or keep (left open: a documented risk) (default delete).",
    )
    ous: dict[str, DefaultVpcMode] = Field(
        default_factory=dict,
        description="OU path -> mode, for the accounts of that OU and of its child OUs; the deepest OU wins (default none).",
    )
    accounts: dict[str, DefaultVpcMode] = Field(
        default_factory=dict, description="Account name -> mode; wins over `ous` and `mode` (default none)."
    )
