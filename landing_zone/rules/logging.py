"""Rules on the `logging:` and `security_services:` sections."""

from __future__ import annotations

import re

from ..config.models.logging import CLOUDWATCH_RETENTION_DAYS
from ..config.problems import Location, Problem
from ..guardrails.templates import TemplateError
from .accounts import _EMAIL, DOC_DOMAINS
from .context import RuleContext

# CIS 3.x and checkov CKV_AWS_338 want a year of CloudWatch Logs retention.
MIN_TRAIL_LOG_DAYS = 365
_KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:(?P<region>[a-z0-9-]+):\d{12}:key/[A-Za-z0-9-]+$")


def security_administrator(ctx: RuleContext) -> list[Problem]:
    """The security services' delegated administrator is the audit account."""
    admin = ctx.env.security_services.delegated_administrator
    audit = ctx.env.core.audit_account
    if admin is None or admin == audit:
        return []
    return [
        ctx.problem(
            ("security_services", "delegated_administrator"),
            f"the delegated administrator of GuardDuty, Security Hub, Config and Access Analyzer must be "
            f"the audit account {audit!r}, not {admin!r} (omit the key to use core.audit_account)",
            "security_administrator",
        )
    ]


def config_regions(ctx: RuleContext) -> list[Problem]:
    """`logging.config.regions` lists governed regions, each once, at least one."""
    regions = ctx.env.logging.config.regions
    if regions is None:
        return []
    governed = ctx.env.organization.governed_regions
    where = ("logging", "config", "regions")
    if not regions:
        return [
            ctx.problem(
                where, "at least one region is required (omit the key to record in every governed region)", "config_regions"
            )
        ]
    out, seen = [], set()
    for i, region in enumerate(regions):
        if region not in governed:
            out.append(
                ctx.problem(
                    where + (i,), f"{region!r} is not a governed region (governed: {', '.join(governed)})", "config_regions"
                )
            )
        elif region in seen:
            out.append(ctx.problem(where + (i,), f"region {region!r} is listed twice", "config_regions"))
        seen.add(region)
    home = ctx.env.organization.home_region
    if home in governed and home not in regions:
        out.append(
            ctx.problem(
                where,
                f"the home region {home!r} must be recorded: AWS Config records global resource types (IAM) there only",
                "config_regions",
            )
        )
    return out


def security_hub_config(ctx: RuleContext) -> list[Problem]:
    """Security Hub needs AWS Config recording in the same accounts and regions."""
    if not ctx.env.security_services.security_hub.enabled:
        return []
    logging = ctx.env.logging
    if not logging.config.enabled:
        return [
            ctx.problem(
                ("logging", "config", "enabled"),
                "AWS Config recording is off, but Security Hub (security_services.security_hub.enabled) needs "
                "Config in the same accounts and regions; turn Config on or Security Hub off",
                "security_hub_config",
            )
        ]
    governed = ctx.env.organization.governed_regions
    recorded = logging.config_regions(governed)
    missing = [r for r in governed if r not in recorded]
    if not missing or not recorded:  # an empty list is config_regions' problem
        return []
    return [
        ctx.problem(
            ("logging", "config", "regions"),
            f"Security Hub runs in every governed region and needs AWS Config in the same regions, but Config "
            f"does not record in {', '.join(map(repr, missing))} (add it, or omit logging.config.regions)",
            "security_hub_config",
        )
    ]


def log_retention(ctx: RuleContext) -> list[Problem]:
    """Retention values fit together and are values AWS accepts."""
    logging = ctx.env.logging
    out = []
    days = logging.organization_trail.cloudwatch_logs_retention_days
    allowed = [d for d in CLOUDWATCH_RETENTION_DAYS if d >= MIN_TRAIL_LOG_DAYS]
    if days not in allowed:
        reason = (
            f"{days} is not a retention CloudWatch Logs accepts"
            if days not in CLOUDWATCH_RETENTION_DAYS
            else f"{days} days is less than the {MIN_TRAIL_LOG_DAYS} days CIS and checkov (CKV_AWS_338) require"
        )
        out.append(
            ctx.problem(
                ("logging", "organization_trail", "cloudwatch_logs_retention_days"),
                f"{reason} (allowed: {', '.join(map(str, allowed))})",
                "log_retention",
            )
        )
    bucket = logging.log_bucket
    if bucket.glacier_transition_days is not None and bucket.glacier_transition_days >= bucket.retention_days:
        out.append(
            ctx.problem(
                ("logging", "log_bucket", "glacier_transition_days"),
                f"objects would move to Glacier after {bucket.glacier_transition_days} days but expire after "
                f"{bucket.retention_days} (log_bucket.retention_days); the transition must come first",
                "log_retention",
            )
        )
    if bucket.noncurrent_days < bucket.retention_days:
        out.append(
            ctx.problem(
                ("logging", "log_bucket", "noncurrent_retention_days"),
                f"replaced or deleted log versions would be kept {bucket.noncurrent_days} days, less than "
                f"log_bucket.retention_days ({bucket.retention_days}): a tampered log's original would vanish "
                "first (raise it to at least the retention, or omit it)",
                "log_retention",
            )
        )
    lock = bucket.object_lock
    lock_days = bucket.lock_days  # None only without Object Lock
    if lock is not None and lock_days is not None and lock_days < bucket.retention_days:
        out.append(
            ctx.problem(
                ("logging", "log_bucket", "object_lock", "days"),
                f"Object Lock keeps each log {bucket.lock_days} days, less than log_bucket.retention_days "
                f"({bucket.retention_days}): logs could be deleted before their retention ends (raise it to at "
                "least the retention, or omit it)",
                "log_retention",
            )
        )
    return out


def trail_log_key(ctx: RuleContext) -> list[Problem]:
    """A given KMS key for the trail's log group is a key ARN in the home region."""
    arn = ctx.env.logging.organization_trail.cloudwatch_logs_kms_key_arn
    if arn is None:
        return []
    where = ("logging", "organization_trail", "cloudwatch_logs_kms_key_arn")
    match = _KMS_KEY_ARN.match(arn)
    if not match:
        return [
            ctx.problem(
                where, f"{arn!r} is not a KMS key ARN (expected arn:aws:kms:<region>:<account id>:key/<key id>)", "trail_log_key"
            )
        ]
    home = ctx.env.organization.home_region
    if match["region"] != home:
        return [
            ctx.problem(
                where,
                f"the key is in {match['region']!r}; the trail's log group lives in the home region {home!r} "
                "and needs a key from there",
                "trail_log_key",
            )
        ]
    return []


def log_replication(ctx: RuleContext) -> list[Problem]:
    """The log archive's replica lives in a governed region other than the home region."""
    replication = ctx.env.logging.replication
    if replication is None:
        return []
    region = replication.region
    governed = ctx.env.organization.governed_regions
    home = ctx.env.organization.home_region
    where = ("logging", "replication", "region")
    if region == home:
        others = [r for r in governed if r != home]
        choice = f"one of {', '.join(others)}" if others else "add one to organization.governed_regions"
        return [
            ctx.problem(
                where,
                f"{region!r} is the home region, where the log bucket already is; the replica needs a second "
                f"governed region ({choice})",
                "log_replication",
            )
        ]
    if region not in governed:
        return [
            ctx.problem(
                where,
                f"{region!r} is not a governed region (governed: {', '.join(governed)}); the guardrails deny "
                "everything outside them, so the replica would be neither created nor protected",
                "log_replication",
            )
        ]
    return []


def security_notifications(ctx: RuleContext) -> list[Problem]:
    """Notification emails are valid and listed once; documentation domains warn."""
    out: list[Problem] = []
    seen: dict[str, Location] = {}
    for i, email in enumerate(ctx.env.security_services.notifications.emails):
        where = ("security_services", "notifications", "emails", i)
        if not _EMAIL.match(email):
            out.append(
                ctx.problem(where, f"{email!r} is not a valid email address (expected user@domain)", "security_notifications")
            )
            continue
        key = email.lower()
        if key in seen:
            out.append(
                ctx.problem(where, f"email {email!r} is listed twice (first at line {seen[key].line})", "security_notifications")
            )
            continue
        seen[key] = ctx.location(where)
        domain = key.rsplit("@", 1)[1]
        if any(domain == d or domain.endswith("." + d) for d in DOC_DOMAINS):
            out.append(
                ctx.problem(
                    where,
                    f"{email!r} uses the documentation-only domain {domain!r}: security notifications sent there are never read",
                    "security_notifications",
                    severity="warning",
                )
            )
    return out


def security_choices(ctx: RuleContext) -> list[Problem]:
    """GuardDuty features and Security Hub standards are listed once each."""
    services = ctx.env.security_services
    out = []
    for where, values in (
        (("security_services", "guardduty", "features"), services.guardduty.features),
        (("security_services", "security_hub", "standards"), services.security_hub.standards),
    ):
        seen = set()
        for i, value in enumerate(values):
            if value in seen:
                out.append(ctx.problem(where + (i,), f"{value!r} is listed twice", "security_choices"))
            seen.add(value)
    return out


def detective_config(ctx: RuleContext) -> list[Problem]:
    """Detective guardrails are organization Config rules: AWS deploys each into every member account and
    fails where that account records nothing, so Config must be on in every region a rule runs in."""
    try:
        detective = [c for c in ctx.enabled_controls if c.config_rule is not None]
    except TemplateError:
        return []  # reported by custom_scp_statements
    if not detective:
        return []
    config = ctx.env.logging.config
    ids = ", ".join(sorted(c.id for c in detective))
    if not config.enabled:
        mandatory = any(c.control.tier == "mandatory" for c in detective)
        return [
            ctx.problem(
                ("logging", "config", "enabled"),
                f"AWS Config recording is off, but the detective guardrails ({ids}) are organization Config "
                "rules, which AWS deploys into every account and which fail where nothing records; turn "
                "Config on" + (" (mandatory controls are among them)" if mandatory else " or disable those controls"),
                "detective_config",
            )
        ]
    governed = ctx.env.organization.governed_regions
    recorded = set(ctx.env.logging.config_regions(governed))
    # the home region's absence and ungoverned regions are config_regions' and home_region's problems
    wanted = {r for c in detective if c.config_rule is not None for r in c.config_rule.regions} & set(governed) - {
        ctx.env.organization.home_region
    }
    missing = sorted(wanted - recorded)
    if not missing or not recorded:  # an empty list is config_regions' problem
        return []
    return [
        ctx.problem(
            ("logging", "config", "regions"),
            f"the detective guardrails' organization Config rules run in {', '.join(map(repr, missing))}, "
            "where AWS Config does not record, so AWS would fail them there (add the region, or omit "
            "logging.config.regions)",
            "detective_config",
        )
    ]


RULES = [
    security_administrator,
    config_regions,
    security_hub_config,
    log_retention,
    trail_log_key,
    log_replication,
    security_notifications,
    security_choices,
    detective_config,
]
