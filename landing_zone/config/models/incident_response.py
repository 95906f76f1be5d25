"""The `incident_response:` section: responders that act on findings and violations."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field

from .base import StrictModel
from .security import Severity


class ResponderMatch(StrictModel):
    """Which events a responder acts on (every given criterion must hold)."""

    finding_types: list[str] = Field(
        default_factory=list,
        description="GuardDuty finding types or Security Hub finding type prefixes such as 'UnauthorizedAccess:EC2/SSHBruteForce' (default any).",
    )
    control_ids: list[str] = Field(
        default_factory=list,
        description="Guardrail control ids whose Config rule reports the violation (`source: config`; default any).",
    )
    severity: Optional[Severity] = Field(None, description="Lowest severity acted on (GuardDuty and Security Hub; default any).")


class ResponderExclusions(StrictModel):
    """Where a responder does not act."""

    accounts: list[str] = Field(default_factory=list, description="Account names whose events are skipped (default none).")
    tags: dict[str, str] = Field(
        default_factory=dict,
        description="Resource tags (key: value, at most 3) whose findings are skipped, such as {'lz:responder': 'skip'}; "
        "`source: securityhub` only, matched on the finding's resources by the event rule (default none).",
    )


class Responder(StrictModel):
    """One responder: events it matches and the runbook it runs or offers."""

    name: str = Field(description="Unique name, part of the event rule's name (letters, digits and '-').")
    source: Literal["guardduty", "securityhub", "config"] = Field(
        description="Event source: GuardDuty findings, Security Hub findings or Config compliance changes (the issue's `on`; a bare `on` key is a boolean in YAML 1.1)."
    )
    match: ResponderMatch = Field(
        default_factory=ResponderMatch, description="Which events (default: every event of the source)."
    )
    action: str = Field(description="Runbook of the package that responds (landing_zone/respond/runbooks).")
    mode: Literal["automatic", "custom_action", "notify"] = Field(
        "notify",
        description="'automatic': EventBridge starts the runbook in the affected account; 'custom_action': a Security Hub custom action offers it; 'notify': the security topic is told which runbook to run (default notify).",
    )
    parameters: dict[str, str] = Field(
        default_factory=dict,
        description="Fixed values for the runbook's parameters, by name (mode automatic; the event's resource fills the one left open; default none).",
    )
    exclude: ResponderExclusions = Field(
        default_factory=ResponderExclusions, description="Accounts and resource tags skipped (default none)."
    )


DEFAULT_MANAGED_RULE_GROUPS = (
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
)


class Waf(StrictModel):
    """A baseline regional web ACL in each listed account and region, logging to the log archive's `aws-waf-logs-` bucket,
    with a block-list IP set that the LZ-WAF-BlockIp runbook adds to."""

    accounts: list[str] = Field(description="Account names that get the web ACL (member accounts with a stack).")
    regions: list[str] = Field(default_factory=list, description="Governed regions that get it (default: the home region only).")
    managed_rule_groups: list[str] = Field(
        default_factory=lambda: list(DEFAULT_MANAGED_RULE_GROUPS),
        description="AWS managed rule groups (vendor AWS), evaluated in this order, none of their rules overridden "
        "(default: AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet, AWSManagedRulesAmazonIpReputationList).",
    )
    rate_limit: Optional[int] = Field(
        None,
        ge=10,
        le=2_000_000_000,
        description="Requests per client IP per 5 minutes above which the IP is blocked (10-2,000,000,000, the API's "
        "RateLimit range; default: no rate-based rule).",
    )
    log_retention_days: int = Field(
        365,
        ge=365,
        le=3653,
        description="Days the web ACLs' logs are kept, and locked when the log bucket is (365-3653; default 365, CIS and "
        "checkov ask a year).",
    )


class IncidentResponse(StrictModel):
    """Incident response: responders on findings and violations, and the baseline web ACLs."""

    responders: list[Responder] = Field(default_factory=list, description="Responders (default none).")
    waf: Optional[Waf] = Field(None, description="Baseline web ACLs (WAF) per account and region (default none).")
