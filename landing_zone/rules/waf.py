"""Rules on the baseline web ACLs (`incident_response.waf`)."""

from __future__ import annotations

import difflib

from ..config.models.logging import CLOUDWATCH_RETENTION_DAYS
from ..config.problems import Problem
from ..respond.waf import MANAGED_RULE_GROUPS
from .context import RuleContext

LOG4J_GROUP = "AWSManagedRulesKnownBadInputsRuleSet"


def waf(ctx: RuleContext) -> list[Problem]:
    """WAF goes to member accounts with a stack, in governed regions, with AWS managed rule groups that
    exist, each listed once, known bad inputs (Log4j) among them, and a log retention CloudWatch Logs accepts."""
    env = ctx.env
    settings = env.incident_response.waf
    if settings is None:
        return []
    out = []
    where = ("incident_response", "waf")
    management = env.organization.management_account.name
    members = sorted({p.account for p in ctx.facts.stack_layout} - {management})  # the facts' (network plan built once)
    if not settings.accounts:
        out.append(ctx.problem((*where, "accounts"), "list at least one account (remove `waf:` for none)", "waf"))
    seen: set[str] = set()
    for i, name in enumerate(settings.accounts):
        if name == management:
            why = "is the management account, which runs no workloads"
        elif name not in members:
            why = "is not defined in accounts"
        elif name in seen:
            why = "is listed twice"
        else:
            seen.add(name)
            continue
        out.append(ctx.problem((*where, "accounts", i), f"account {name!r} {why} (member accounts: {', '.join(members)})", "waf"))
    governed = env.organization.governed_regions
    for i, region in enumerate(settings.regions):
        if region not in governed or region in settings.regions[:i]:
            why = "is listed twice" if region in governed else "is not a governed region"
            out.append(ctx.problem((*where, "regions", i), f"region {region!r} {why} (governed: {', '.join(governed)})", "waf"))
    for i, group in enumerate(settings.managed_rule_groups):
        if group not in MANAGED_RULE_GROUPS:
            close = difflib.get_close_matches(group, MANAGED_RULE_GROUPS, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            out.append(
                ctx.problem(
                    (*where, "managed_rule_groups", i),
                    f"{group!r} is not an AWS managed rule group ({hint}known: {', '.join(MANAGED_RULE_GROUPS)})",
                    "waf",
                )
            )
        elif group in settings.managed_rule_groups[:i]:
            out.append(ctx.problem((*where, "managed_rule_groups", i), f"{group!r} is listed twice", "waf"))
    if LOG4J_GROUP not in settings.managed_rule_groups:
        out.append(
            ctx.problem(
                (*where, "managed_rule_groups"),
                f"{LOG4J_GROUP} is missing: it blocks Log4j (CVE-2021-44228) exploits, and the checkov gate "
                "fails a web ACL without it (CKV_AWS_192); add it back",
                "waf",
            )
        )
    if settings.log_retention_days not in CLOUDWATCH_RETENTION_DAYS:
        allowed = [d for d in CLOUDWATCH_RETENTION_DAYS if d >= 365]
        out.append(
            ctx.problem(
                (*where, "log_retention_days"),
                f"{settings.log_retention_days} is not a retention CloudWatch Logs accepts (allowed from a year: "
                f"{', '.join(map(str, allowed))})",
                "waf",
            )
        )
    return out


RULES = [waf]
