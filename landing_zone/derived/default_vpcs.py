"""Which default-VPC mode each account gets (`organization.default_vpcs`), in pure Python."""

from __future__ import annotations

from ..config.models import Environment
from ..config.models.default_vpcs import DefaultVpcMode

STEP_MODULE = "landing_zone.live.default_vpcs"
"""The delete step, run by the account stack's terraform_data as `python -m STEP_MODULE`."""
ROLE_ARN_VAR = "LZ_DEFAULT_VPCS_ROLE_ARN"
"""The role the step assumes (the account's access role), passed in its environment (the ARN holds a reference)."""


def default_vpc_mode(env: Environment, account: str) -> DefaultVpcMode:
    """The mode of `account` (a member's name or the management account's): its own entry, else the
    deepest OU entry above it, else the organization-wide mode."""
    setting = env.organization.default_vpcs
    if account in setting.accounts:
        return setting.accounts[account]
    ou = next((a.ou for a in env.accounts if a.name == account), None)  # the management account sits at the root
    while ou:
        if ou in setting.ous:
            return setting.ous[ou]
        ou = ou.rpartition("/")[0]
    return setting.mode


def default_vpc_modes(env: Environment) -> dict[str, DefaultVpcMode]:
    """Every account's mode, the management account first."""
    names = [env.organization.management_account.name] + [a.name for a in env.accounts]
    return {name: default_vpc_mode(env, name) for name in names}
