"""The `guardrails:` section: which controls are on, where, with which parameters.

Mandatory controls are always on; strongly recommended and elective controls
are enabled by listing their id under `controls`. Targets are OU paths (`root`
for the whole organization) and account names; exclusions remove accounts or
OUs below a target. Custom SCP statements and custom Config rules (AWS managed
rule identifiers) are added under `custom_scps` and `custom_config_rules`.
"""

from __future__ import annotations

from typing import Any, Literal, Optional, Union

from pydantic import Field

from .base import StrictModel

ParameterValue = Union[str, int, bool, list[str]]


class _Targets(StrictModel):
    ous: Optional[list[str]] = Field(
        None,
        description="OU paths the control is attached to ('root' for the whole organization); it reaches every OU and account below them. Omitted: the catalog's default targets (custom controls need a target).",
    )
    accounts: Optional[list[str]] = Field(None, description="Account names the control is attached to directly (default none).")
    exclude_ous: list[str] = Field(
        default_factory=list,
        description="OU paths below a target that the control skips, with everything under them (default none).",
    )
    exclude_accounts: list[str] = Field(
        default_factory=list, description="Account names below a target that the control skips (default none)."
    )


class ControlSetting(_Targets):
    """A catalog control, by id: on or off, its targets and parameters."""

    enabled: bool = Field(True, description="Whether the control is on (default true); a mandatory control cannot be turned off.")
    parameters: dict[str, ParameterValue] = Field(
        default_factory=dict, description="Values for the control's parameters, by name (default: the catalog's defaults)."
    )


class CustomScp(_Targets):
    """Your own SCP statements (Deny only), packed with the catalog's."""

    title: str = Field(description="One line saying what the statements prevent.")
    statements: list[dict[str, Any]] = Field(
        description="IAM policy statements: Effect Deny, Action or NotAction, Resource or NotResource, optional Condition; no Sid (it is derived from the id). Placeholders such as ${exempt_principal_arns} are filled in."
    )


class CustomConfigRule(_Targets):
    """An AWS managed Config rule deployed as an organization rule."""

    title: str = Field(description="One line saying what the rule detects.")
    source_identifier: str = Field(description="AWS managed rule identifier such as 'S3_BUCKET_SSL_REQUESTS_ONLY'.")
    input_parameters: dict[str, str] = Field(default_factory=dict, description="The rule's input parameters (default none).")
    resource_types: list[str] = Field(
        default_factory=list, description="Resource types in scope such as 'AWS::S3::Bucket' (default: the rule's own scope)."
    )
    maximum_execution_frequency: Optional[Literal["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"]] = (
        Field(None, description="Frequency of a periodic rule (default: the rule is triggered by configuration changes).")
    )
    regions: Literal["home", "governed"] = Field(
        "governed",
        description="'governed': the rule runs in every governed region (default); 'home': only in the home region (account-level checks).",
    )


class Guardrails(StrictModel):
    """Controls enabled on top of the mandatory ones, and custom controls."""

    controls: dict[str, ControlSetting] = Field(
        default_factory=dict,
        description="Catalog controls by id (AWS-GR_* or LZ-*), each with its targets and parameters; `lz guardrails --catalog` lists them (default: the mandatory controls only).",
    )
    custom_scps: dict[str, CustomScp] = Field(
        default_factory=dict, description="Custom preventive controls by id (default none)."
    )
    custom_config_rules: dict[str, CustomConfigRule] = Field(
        default_factory=dict, description="Custom detective controls by id (default none)."
    )
