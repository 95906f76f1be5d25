"""The `limits:` section: AWS quotas the checks use, with defaults kept as data."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from ...package_data import data_yaml
from .base import StrictModel


@lru_cache(maxsize=1)
def limit_table() -> dict[str, dict]:
    """The package's quota table: name -> value, description, source, as_of."""
    return data_yaml("aws_limits.yaml")


# An adjustable quota raised past this is a typo, not a quota AWS grants (and a 4,000-digit
# number would make every check that counts up to it crawl).
ADJUSTABLE_MAX = 1_000_000


def _ceiling(name: str) -> AfterValidator:
    """A validator: a hard limit may be lowered (to model an older quota) but never raised."""
    entry = limit_table()[name]
    hard = not entry.get("adjustable", False)
    top = entry["value"] if hard else entry.get("adjustable_max", ADJUSTABLE_MAX)

    def check(value: int) -> int:
        if value > top:
            if hard:
                raise ValueError(
                    f"{value} is above AWS's hard limit of {top} ({entry['description']}; {entry['source']}, "
                    f"{entry['as_of']}): it cannot be raised, only lowered; only adjustable quotas may be raised"
                )
            if "adjustable_max" in entry:
                raise ValueError(f"{value} is above {top}, the most AWS grants ({entry['description']}; {entry['source']})")
            raise ValueError(f"{value} is above {top:,}, more than AWS grants for any adjustable quota")
        return value

    return AfterValidator(check)


def _field(name: str) -> Any:
    entry = limit_table()[name]
    return Field(
        default=entry["value"],
        ge=1,
        description=f"{entry['description']} (default {entry['value']}; "
        f"{'adjustable' if entry.get('adjustable') else 'hard limit: can be lowered, not raised'}; "
        f"{entry['source']}, {entry['as_of']})",
    )


class Limits(StrictModel):
    """AWS quotas used by the checks; each overrides a default from the package."""

    # One field per entry of data/aws_limits.yaml, in its order (checked below), so the checks can name them.
    ou_depth: Annotated[int, _ceiling("ou_depth")] = _field("ou_depth")
    scps_per_target: Annotated[int, _ceiling("scps_per_target")] = _field("scps_per_target")
    scp_size: Annotated[int, _ceiling("scp_size")] = _field("scp_size")
    policy_description_length: Annotated[int, _ceiling("policy_description_length")] = _field("policy_description_length")
    account_name_length: Annotated[int, _ceiling("account_name_length")] = _field("account_name_length")
    email_min_length: Annotated[int, _ceiling("email_min_length")] = _field("email_min_length")
    email_max_length: Annotated[int, _ceiling("email_max_length")] = _field("email_max_length")
    ou_name_length: Annotated[int, _ceiling("ou_name_length")] = _field("ou_name_length")
    tags_per_resource: Annotated[int, _ceiling("tags_per_resource")] = _field("tags_per_resource")
    accounts_per_organization: Annotated[int, _ceiling("accounts_per_organization")] = _field("accounts_per_organization")
    ous_per_organization: Annotated[int, _ceiling("ous_per_organization")] = _field("ous_per_organization")
    permission_set_name_length: Annotated[int, _ceiling("permission_set_name_length")] = _field("permission_set_name_length")
    inline_policy_size: Annotated[int, _ceiling("inline_policy_size")] = _field("inline_policy_size")
    permission_sets_per_account: Annotated[int, _ceiling("permission_sets_per_account")] = _field("permission_sets_per_account")
    transit_gateways_per_region: Annotated[int, _ceiling("transit_gateways_per_region")] = _field("transit_gateways_per_region")
    tgw_route_tables: Annotated[int, _ceiling("tgw_route_tables")] = _field("tgw_route_tables")
    tgw_attachments_per_vpc: Annotated[int, _ceiling("tgw_attachments_per_vpc")] = _field("tgw_attachments_per_vpc")
    dx_gateways_per_tgw: Annotated[int, _ceiling("dx_gateways_per_tgw")] = _field("dx_gateways_per_tgw")
    tgws_per_dx_gateway: Annotated[int, _ceiling("tgws_per_dx_gateway")] = _field("tgws_per_dx_gateway")
    network_acl_rules: Annotated[int, _ceiling("network_acl_rules")] = _field("network_acl_rules")


if list(Limits.model_fields) != list(limit_table()):
    raise RuntimeError(
        "Limits and landing_zone/data/aws_limits.yaml disagree: give every quota of the table a field, in its order"
    )
