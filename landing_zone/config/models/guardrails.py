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


class Remediation(StrictModel):
    """How a detective control's violations are fixed: an SSM Automation runbook of the package, per account."""

    runbook: Optional[str] = Field(
        None,
        description="Runbook of the package (landing_zone/respond/runbooks) that fixes a violation (default: the catalog's runbook for the control; `lz respond --help` lists them).",
    )
    automatic: bool = Field(
        False, description="Run the runbook on every violation without asking (default false: on demand only)."
    )
    parameters: dict[str, str] = Field(
        default_factory=dict,
        description="Fixed values for the runbook's parameters, by name (default: the runbook's defaults; the violating resource's id is filled in).",
    )
    max_attempts: Optional[int] = Field(
        None, ge=1, le=25, description="Attempts per resource before Config gives up (1-25; required when automatic)."
    )
    retry_seconds: int = Field(60, ge=1, le=2678000, description="Seconds between attempts (default 60).")
    exclude_accounts: list[str] = Field(
        default_factory=list,
        description="Accounts the control reaches that keep the organization rule without remediation (default none).",
    )


class ControlSetting(_Targets):
    """A catalog control, by id: on or off, its targets and parameters."""

    enabled: bool = Field(True, description="Whether the control is on (default true); a mandatory control cannot be turned off.")
    parameters: dict[str, ParameterValue] = Field(
        default_factory=dict, description="Values for the control's parameters, by name (default: the catalog's defaults)."
    )
    remediation: Optional[Remediation] = Field(
        None,
        description="Fix violations of this detective control with a runbook (default none: violations are reported only).",
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
