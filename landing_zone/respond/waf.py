"""The baseline web ACL (`incident_response.waf`) as plain data: which accounts and regions get one, its
names, its rules in evaluation order, and the AWS managed rule groups it may use. No cdktf here (the
construct, the rules and `lz respond` read it).

Logging: AWS WAF only delivers to a destination whose name starts with `aws-waf-logs-`, and a web ACL has
one destination. Every web ACL logs to one bucket of that name in the log archive account
(`WafNames.log_bucket`), hardened like the central log bucket: the log key, its Object Lock mode, the
tamper denies, TLS only, access logging to the log archive's access-log bucket, and a policy that lets
the log delivery service write only for the listed accounts of this organization (`aws:SourceOrgID`,
`aws:SourceAccount`, each account under its own `AWSLogs/<account>/` prefix). The accounts keep no WAF
log group of their own: with one destination per web ACL, a local copy would be the only one, and an
account admin could delete it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config.models import Environment, Waf
from ..naming import LandingZoneNames

BLOCK_RUNBOOK = "LZ-WAF-BlockIp"
"""The runbook that adds an address to the block list (landing_zone/respond/runbooks/LZ-WAF-BlockIp.yaml)."""

REDACTED_HEADERS = ("authorization", "cookie")
"""Request headers never written to the logs (credentials and sessions)."""

MANAGED_RULE_GROUPS: dict[str, int] = {
    "AWSManagedRulesCommonRuleSet": 700,
    "AWSManagedRulesAdminProtectionRuleSet": 100,
    "AWSManagedRulesKnownBadInputsRuleSet": 200,
    "AWSManagedRulesSQLiRuleSet": 200,
    "AWSManagedRulesLinuxRuleSet": 200,
    "AWSManagedRulesUnixRuleSet": 100,
    "AWSManagedRulesWindowsRuleSet": 200,
    "AWSManagedRulesPHPRuleSet": 100,
    "AWSManagedRulesWordPressRuleSet": 100,
    "AWSManagedRulesAmazonIpReputationList": 25,
    "AWSManagedRulesAnonymousIpList": 50,
}
"""AWS managed rule groups (vendor AWS) without extra configuration, with their capacity in WCUs
(AWS WAF developer guide, "AWS Managed Rules rule groups list"). Bot Control, ATP and ACFP need a
ManagedRuleGroupConfigs block and paid subscription tiers: not offered here."""


@dataclass(frozen=True)
class WafRule:
    """One rule of the web ACL, in evaluation order (`priority`)."""

    name: str
    priority: int
    kind: str
    """'block_list', 'rate' or 'managed'."""
    managed_group: str = ""


@dataclass(frozen=True)
class WafNames:
    names: LandingZoneNames

    @property
    def web_acl(self) -> str:
        return f"{self.names.prefix}baseline"

    @property
    def block_list(self) -> str:
        """The IP set that LZ-WAF-BlockIp adds to (`lz respond --param IpSetName=...`)."""
        return f"{self.names.prefix}block-list"

    def log_bucket(self, log_archive_account_id: str) -> str:
        """The web ACLs' log bucket in the log archive account: shorter than the log archive's access-log bucket,
        whose length rules/aws_values.py keeps within S3's 63 characters."""
        return f"{self.names.waf_log_bucket_prefix}{log_archive_account_id}"

    def metric(self, rule: str) -> str:
        """CloudWatch metric name of a rule (letters, digits, '-' and '_')."""
        return f"{self.names.prefix}{rule}".replace(".", "-")


def waf_regions(env: Environment, waf: Waf) -> tuple[str, ...]:
    """The regions that get the web ACL: the configured ones, else the home region."""
    return tuple(waf.regions) or (env.organization.home_region,)


def waf_accounts(env: Environment) -> tuple[str, ...]:
    waf = env.incident_response.waf
    return tuple(waf.accounts) if waf is not None else ()


def waf_rules(waf: Waf) -> list[WafRule]:
    """Block list first (an address a responder blocked is never let through by a later rule), then the
    rate limit, then the managed rule groups in the configured order."""
    rules = [WafRule("block-list", 0, "block_list")]
    if waf.rate_limit is not None:
        rules.append(WafRule("rate-limit", 1, "rate"))
    start = len(rules)
    rules += [WafRule(group, start + i, "managed", group) for i, group in enumerate(waf.managed_rule_groups)]
    return rules
