"""Values AWS would refuse at apply time, refused here with the nearest valid value (issue 23 A.5).

- AWS managed policies are named as AWS publishes them (the list is data with its date:
  landing_zone/data/aws_managed_policies.yaml); a customer-managed policy ARN under
  `managed_policies` belongs under `customer_managed_policies`.
- Custom Config rules name an AWS managed rule identifier AWS knows
  (landing_zone/data/aws_config_managed_rules.yaml).
- The organization's name never pushes a derived resource name past AWS's limit
  (S3 bucket names: 63 characters).
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import Iterator

from ..config.models.account_factory import DeployRole
from ..config.problems import Problem
from ..naming import LandingZoneNames
from ..package_data import data_yaml
from .context import RuleContext, YamlPath


def _data(name: str, key: str) -> frozenset[str]:
    return frozenset(data_yaml(name)[key])


@lru_cache(maxsize=1)
def aws_managed_policies() -> frozenset[str]:
    """Every AWS managed policy as '<path>/<name>' without the leading slash ('job-function/ViewOnlyAccess')."""
    return _data("aws_managed_policies.yaml", "policies")


@lru_cache(maxsize=1)
def config_managed_rules() -> frozenset[str]:
    """Every AWS Config managed rule identifier ('S3_BUCKET_SSL_REQUESTS_ONLY')."""
    return _data("aws_config_managed_rules.yaml", "rules")


def _did_you_mean(value: str, known: frozenset[str]) -> str:
    # Compare case-insensitively and on the last path segment too: 'ViewOnlyAccess' -> 'job-function/ViewOnlyAccess'.
    lowered = {k.lower(): k for k in known}
    tail = {k.rsplit("/", 1)[-1].lower(): k for k in known}
    wanted = value.lower()
    if wanted in lowered:
        return f" (did you mean {lowered[wanted]!r}?)"
    if wanted.rsplit("/", 1)[-1] in tail:
        return f" (did you mean {tail[wanted.rsplit('/', 1)[-1]]!r}?)"
    close = difflib.get_close_matches(wanted, list(lowered), n=3, cutoff=0.75)
    return f" (did you mean {', '.join(repr(lowered[c]) for c in close)}?)" if close else ""


_AWS_MANAGED_ARN = re.compile(r"^arn:aws(?:-[a-z]+)*:iam::aws:policy/(?P<name>.+)$")
_CUSTOMER_ARN = re.compile(r"^arn:aws(?:-[a-z]+)*:iam::(?P<account>\d{12}|\*)?:policy/(?P<name>.*)$")


def managed_policy_problem(value: str, *, arn_allowed: bool) -> str | None:
    """Why `value` is not an AWS managed policy AWS would attach, or None."""
    match = _AWS_MANAGED_ARN.match(value)
    if match is not None:
        name = match["name"]
        if not arn_allowed and name.lstrip("/") in aws_managed_policies():
            return f"{value!r} is an ARN; write the policy's name here: {name.lstrip('/')!r}"
    elif _CUSTOMER_ARN.match(value) or value.startswith("arn:"):
        return (
            f"{value!r} is not an AWS managed policy (arn:aws:iam::aws:policy/...): name a policy of your own "
            "account under customer_managed_policies (name and path) instead"
        )
    else:
        name = value
    if name.lstrip("/") in aws_managed_policies():
        return None
    return (
        f"{value!r} is not an AWS managed policy{_did_you_mean(name.lstrip('/'), aws_managed_policies())}; "
        "AWS managed policies are written as their name, with their path when they have one "
        "(such as 'ReadOnlyAccess' or 'job-function/ViewOnlyAccess')"
    )


def _policy_uses(ctx: RuleContext) -> Iterator[tuple[YamlPath, str, bool]]:
    """(YAML path, value, whether an ARN may be written) of every AWS managed policy the file names."""
    identity = ctx.env.identity
    if identity is not None:
        for i, ps in enumerate(identity.permission_sets):
            where: YamlPath = ("identity", "permission_sets", i)
            for j, policy in enumerate(ps.managed_policies):
                yield (*where, "managed_policies", j), policy, True
            boundary = ps.permissions_boundary
            if boundary is not None and boundary.managed_policy is not None:
                yield (*where, "permissions_boundary", "managed_policy"), boundary.managed_policy, True
    factory = ctx.env.account_factory
    if factory is not None:
        blocks: list[tuple[YamlPath, DeployRole | None]] = [
            (("account_factory", "defaults", "baseline", "deploy_role"), factory.defaults.baseline.deploy_role)
        ]
        blocks += [
            (("account_factory", "requests", i, "baseline", "deploy_role"), r.baseline.deploy_role)
            for i, r in enumerate(factory.requests)
        ]
        for where, deploy in blocks:
            # The deploy role's policies are written by name: the construct puts the ARN prefix in front.
            for j, policy in enumerate(deploy.managed_policies if deploy is not None else ()):
                yield (*where, "managed_policies", j), policy, False


def aws_managed_policy_names(ctx: RuleContext) -> list[Problem]:
    """Every AWS managed policy named exists (the list is data with its date); customer ARNs go elsewhere."""
    out = []
    for where, value, arn_allowed in _policy_uses(ctx):
        message = managed_policy_problem(value, arn_allowed=arn_allowed)
        if message is not None:
            out.append(ctx.problem(where, message, "aws_managed_policy_names"))
    return out


def config_rule_identifiers(ctx: RuleContext) -> list[Problem]:
    """A custom Config rule's source identifier is one of AWS's managed rules (the list is data with its date)."""
    out = []
    for cid, rule in ctx.env.guardrails.custom_config_rules.items():
        value = rule.source_identifier
        if not re.fullmatch(r"[A-Z0-9_]+", value) or value in config_managed_rules():
            continue  # the shape is custom_config_rules' to report
        out.append(
            ctx.problem(
                ("guardrails", "custom_config_rules", cid, "source_identifier"),
                f"{value!r} is not an AWS Config managed rule{_did_you_mean(value, config_managed_rules())}",
                "config_rule_identifiers",
            )
        )
    return out


BUCKET_NAME_LIMIT = 63


def derived_name_lengths(ctx: RuleContext) -> list[Problem]:
    """The organization's name keeps every bucket name derived from it within S3's 63 characters."""
    names = LandingZoneNames.of(ctx.env)
    # The longest bucket name built from it: the log archive's access-log bucket (12-digit account id).
    longest = names.access_log_bucket("1" * 12)
    if len(longest) <= BUCKET_NAME_LIMIT:
        return []
    room = BUCKET_NAME_LIMIT - (len(longest) - len(names.org))
    return [
        ctx.problem(
            ("organization", "name"),
            f"{ctx.env.organization.name!r} makes the log archive's access-log bucket name "
            f"'{names.access_log_bucket('<account id>')}' {len(longest)} characters long, and S3 allows "
            f"{BUCKET_NAME_LIMIT}: use at most {room} characters (letters, digits and hyphens)",
            "derived_name_lengths",
        )
    ]


RULES = [aws_managed_policy_names, config_rule_identifiers, derived_name_lengths]
