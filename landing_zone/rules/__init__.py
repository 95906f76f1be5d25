"""Phase two of validation: cross-reference rules, one small function each.

Each rule takes a RuleContext and returns a list of Problems. A new rule is a
function in a module here, added to RULES.
"""

from __future__ import annotations

from .account_factory import RULES as ACCOUNT_FACTORY_RULES
from .accounts import account_emails, account_names, account_ous, adopted_account_ids, tag_counts
from .aws_values import RULES as AWS_VALUE_RULES
from .ci import RULES as CI_RULES
from .context import RuleContext
from .core import core_accounts
from .default_vpcs import RULES as DEFAULT_VPC_RULES
from .guardrail_footguns import RULES as GUARDRAIL_FOOTGUN_RULES
from .guardrails import RULES as GUARDRAIL_RULES
from .identity import RULES as IDENTITY_RULES
from .logging import RULES as LOGGING_RULES
from .network import RULES as NETWORK_RULES
from .network_addresses import RULES as NETWORK_ADDRESS_RULES
from .network_routing import RULES as NETWORK_ROUTING_RULES
from .ous import ou_count_limit, ou_depth_limit, ou_parents, ou_paths
from .policies import RULES as POLICY_RULES
from .regions import regions
from .respond import RULES as RESPOND_RULES
from .self_service import RULES as SELF_SERVICE_RULES
from .waf import RULES as WAF_RULES

RULES = [
    ou_paths,
    ou_parents,
    ou_depth_limit,
    ou_count_limit,
    account_names,
    account_emails,
    adopted_account_ids,
    account_ous,
    tag_counts,
    core_accounts,
    regions,
    *GUARDRAIL_RULES,
    *GUARDRAIL_FOOTGUN_RULES,
    *LOGGING_RULES,
    *IDENTITY_RULES,
    *NETWORK_RULES,
    *NETWORK_ADDRESS_RULES,
    *NETWORK_ROUTING_RULES,
    *ACCOUNT_FACTORY_RULES,
    *POLICY_RULES,
    *SELF_SERVICE_RULES,
    *CI_RULES,
    *RESPOND_RULES,
    *WAF_RULES,
    *AWS_VALUE_RULES,
    *DEFAULT_VPC_RULES,
]

__all__ = ["RULES", "RuleContext"]
