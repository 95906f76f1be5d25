"""The baseline web ACL of one account and region (`incident_response.waf`).

A REGIONAL `aws_wafv2_web_acl` that allows by default and evaluates, in order: a block rule on the
account's block-list IP set (which the LZ-WAF-BlockIp runbook adds to), an optional rate-based rule,
and the configured AWS managed rule groups with none of their rules overridden. Every rule and the ACL
send CloudWatch metrics and keep sampled requests. Logs go to the log archive's `aws-waf-logs-...`
bucket (LogArchive's `waf_log_bucket`), with the `authorization` and `cookie` headers redacted; why
there and nowhere else: landing_zone/respond/waf.py.

The IP set's addresses belong to the responders once it exists (`ignore_changes`): terraform creates
it empty and never takes back an address a runbook added.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from cdktf import TerraformProvider, TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.wafv2_ip_set import Wafv2IpSet
from cdktf_cdktf_provider_aws.wafv2_web_acl import (
    Wafv2WebAcl,
    Wafv2WebAclDefaultAction,
    Wafv2WebAclDefaultActionAllow,
    Wafv2WebAclRule,
    Wafv2WebAclRuleAction,
    Wafv2WebAclRuleActionBlock,
    Wafv2WebAclRuleOverrideAction,
    Wafv2WebAclRuleOverrideActionNone,
    Wafv2WebAclRuleVisibilityConfig,
    Wafv2WebAclVisibilityConfig,
)
from cdktf_cdktf_provider_aws.wafv2_web_acl_logging_configuration import (
    Wafv2WebAclLoggingConfiguration,
    Wafv2WebAclLoggingConfigurationRedactedFields,
    Wafv2WebAclLoggingConfigurationRedactedFieldsSingleHeader,
)
from constructs import Construct

from ...respond.waf import REDACTED_HEADERS, WafNames, WafRule


@dataclass(frozen=True, kw_only=True)
class BaselineWebAclProps:
    """The web ACL of one account and region."""

    account_id: str
    region: str
    names: WafNames
    rules: tuple[WafRule, ...]
    """Rules in evaluation order (respond.waf.waf_rules)."""
    log_bucket_arn: str
    """The log archive's WAF log bucket (a token of the log-archive stack)."""
    rate_limit: Optional[int] = None
    """Requests per client IP per 5 minutes (required when a rule is of kind 'rate'; default none)."""
    provider: Optional[TerraformProvider] = None
    """Provider of the region (default: the stack's default provider)."""


def _visibility(metric: str) -> dict:
    return {"cloudwatch_metrics_enabled": True, "metric_name": metric, "sampled_requests_enabled": True}


def _redacted(header: str) -> Wafv2WebAclLoggingConfigurationRedactedFields:
    return Wafv2WebAclLoggingConfigurationRedactedFields(
        single_header=Wafv2WebAclLoggingConfigurationRedactedFieldsSingleHeader(name=header)
    )


class BaselineWebAcl(Construct):
    """Attributes: `web_acl`, `ip_set`, `logging`."""

    def __init__(self, scope: Construct, id: str, props: BaselineWebAclProps) -> None:
        super().__init__(scope, id)
        self.props = props
        n, provider, region = props.names, props.provider, props.region
        self.ip_set = Wafv2IpSet(
            self,
            "block_list",
            provider=provider,
            name=n.block_list,
            description="Addresses the baseline web ACL blocks (LZ-WAF-BlockIp adds to it)",
            scope="REGIONAL",
            ip_address_version="IPV4",
            addresses=[],
            lifecycle=TerraformResourceLifecycle(ignore_changes=["addresses"]),
        )
        self.ip_set.override_logical_id(f"waf_block_list_{region}")
        self.web_acl = Wafv2WebAcl(
            self,
            "web_acl",
            provider=provider,
            name=n.web_acl,
            description="The landing zone's baseline web ACL: block list, rate limit, AWS managed rules",
            scope="REGIONAL",
            default_action=Wafv2WebAclDefaultAction(allow=Wafv2WebAclDefaultActionAllow()),
            rule=[self._rule(r) for r in props.rules],
            visibility_config=Wafv2WebAclVisibilityConfig(**_visibility(n.metric("baseline"))),
        )
        self.web_acl.override_logical_id(f"waf_web_acl_{region}")
        self.logging = Wafv2WebAclLoggingConfiguration(
            self,
            "logging",
            provider=provider,
            resource_arn=self.web_acl.arn,
            log_destination_configs=[props.log_bucket_arn],
            redacted_fields=[_redacted(h) for h in REDACTED_HEADERS],
        )
        self.logging.override_logical_id(f"waf_logging_{region}")

    def _rule(self, rule: WafRule) -> Wafv2WebAclRule:
        common = {
            "name": rule.name,
            "priority": rule.priority,
            "visibility_config": Wafv2WebAclRuleVisibilityConfig(**_visibility(self.props.names.metric(rule.name))),
        }
        if rule.kind == "managed":
            return Wafv2WebAclRule(
                **common,
                override_action=Wafv2WebAclRuleOverrideAction(none=Wafv2WebAclRuleOverrideActionNone()),
                statement={"managed_rule_group_statement": {"name": rule.managed_group, "vendor_name": "AWS"}},
            )
        if rule.kind == "rate":
            if self.props.rate_limit is None:
                raise ValueError("a rate rule needs rate_limit")
            statement = {"rate_based_statement": {"limit": self.props.rate_limit, "aggregate_key_type": "IP"}}
        else:
            statement = {"ip_set_reference_statement": {"arn": self.ip_set.arn}}
        return Wafv2WebAclRule(**common, action=Wafv2WebAclRuleAction(block=Wafv2WebAclRuleActionBlock()), statement=statement)
