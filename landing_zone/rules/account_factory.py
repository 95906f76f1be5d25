"""Rules on the account factory: templates, complete requests, required tags, closure, deploy roles.

Email length and uniqueness are not checked here: vended accounts are
ordinary accounts by now, so `accounts.account_emails` checks generated
emails together with every other one.
"""

from __future__ import annotations

import re

from ..config.models.account_factory import DeployRole
from ..config.problems import Problem
from ..config.vending import quarantined_names, template_fields
from ..config.vending_network import blocking_issue, segment_without_hub, written_vpcs
from ..guardrails.targets import ou_target
from ..identity.deploy_roles import FORBIDDEN_SERVICES, broad_policies
from .context import RuleContext, YamlPath

_REQUESTS = ("account_factory", "requests")
_DEFAULTS = ("account_factory", "defaults")
# IAM role names: letters, digits and +=,.@_- up to 64 characters.
_ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")
_REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_ENVIRONMENT = re.compile(r"^[A-Za-z0-9._-]{1,255}$")
_BRANCH = re.compile(r"^[^\s*?\[\]~^:\\]+$")


def factory_template(ctx: RuleContext) -> list[Problem]:
    """The email template has exactly one placeholder, {name}, and one '@' before a domain."""
    factory = ctx.env.account_factory
    template = factory.defaults.email_template if factory else None
    if template is None:
        return []
    where = (*_DEFAULTS, "email_template")
    try:
        fields = template_fields(template)
    except ValueError as exc:
        return [
            ctx.problem(
                where,
                f"{template!r} is not a valid template ({exc}); expected text with {{name}}, such as 'aws+{{name}}@corp.example'",
                "factory_template",
            )
        ]
    if fields != ["name"] or template.count("@") != 1 or "{" in template.split("@", 1)[1]:
        found = ", ".join("{" + f + "}" for f in fields) or "none"
        return [
            ctx.problem(
                where,
                f"{template!r} must hold {{name}} exactly once, before the '@' (found placeholders: {found}); "
                "such as 'aws+{name}@corp.example'",
                "factory_template",
            )
        ]
    return []


def factory_requests_complete(ctx: RuleContext) -> list[Problem]:
    """Every request has an email (its own or from the template) and an OU (its own or the default)."""
    factory = ctx.env.account_factory
    if factory is None:
        return []
    out = []
    for i, request in enumerate(factory.requests):
        if request.email is None and not factory.defaults.email_template:
            out.append(
                ctx.problem(
                    (*_REQUESTS, i, "name"),
                    f"request {request.name!r} has no email and account_factory.defaults.email_template is not set "
                    "(give one of them, such as 'aws+{name}@corp.example')",
                    "factory_requests_complete",
                )
            )
        if request.ou is None and factory.defaults.ou is None:
            out.append(
                ctx.problem(
                    (*_REQUESTS, i, "name"),
                    f"request {request.name!r} has no ou and account_factory.defaults.ou is not set",
                    "factory_requests_complete",
                )
            )
    return out


def factory_required_tags(ctx: RuleContext) -> list[Problem]:
    """Every request carries every required tag (its own or the factory's), with a value."""
    factory = ctx.env.account_factory
    if factory is None:
        return []
    out = []
    required = factory.defaults.required_tags
    for i, request in enumerate(factory.requests):
        tags = {**factory.defaults.tags, **request.tags}
        missing = [t for t in required if not tags.get(t, "").strip()]
        if missing:
            where = (*_REQUESTS, i, "tags") if request.tags else (*_REQUESTS, i, "name")
            out.append(
                ctx.problem(
                    where,
                    f"request {request.name!r} lacks the required tag(s) {', '.join(missing)} "
                    f"(account_factory.defaults.required_tags: {', '.join(required)})",
                    "factory_required_tags",
                )
            )
    return out


def factory_closure(ctx: RuleContext) -> list[Problem]:
    """`close: true` only for an account already in the Suspended OU, which must exist and carry a deny-all SCP."""
    factory = ctx.env.account_factory
    if factory is None:
        return []
    out = []
    paths = {ou.path for ou in ctx.env.organizational_units}
    suspended = factory.suspended_ou
    closing = [(i, r) for i, r in enumerate(factory.requests) if r.close]
    if closing and suspended not in paths:
        out.append(
            ctx.problem(
                ("account_factory", "suspended_ou")
                if "suspended_ou" in (ctx.data.get("account_factory") or {})
                else (*_REQUESTS, closing[0][0], "close"),
                f"suspended OU {suspended!r} is not defined in organizational_units; an account is closed only from there",
                "factory_closure",
            )
        )
    for i, request in closing:
        ou = request.ou or factory.defaults.ou
        if ou != suspended:
            out.append(
                ctx.problem(
                    (*_REQUESTS, i, "close"),
                    f"account {request.name!r} is in OU {ou!r}; move it to {suspended!r} (deny-all) and apply "
                    "before marking it close: true",
                    "factory_closure",
                )
            )
    if closing and suspended in paths and not deny_all_controls(ctx, suspended):
        names = ", ".join(r.name for _, r in closing)
        out.append(
            ctx.problem(
                (*_REQUESTS, closing[0][0], "close"),
                f"no deny-all SCP reaches the suspended OU {suspended!r}, so an account closed from there ({names}) can still act "
                f"until AWS closes it; enable it with guardrails.controls: LZ-DENY-ALL: {{ous: [{suspended}]}} "
                "(or a custom SCP denying Action '*' on Resource '*' there)",
                "factory_closure",
            )
        )
    return out


def deny_all_controls(ctx: RuleContext, ou: str) -> list[str]:
    """Ids of the enabled SCP controls with a Deny of every action on every resource, attached to the OU or above it."""

    reaching = {ou_target("root")} | {ou_target(p) for p in ctx.tree.ancestors(ou)}
    return [
        c.id
        for c in ctx.enabled_controls
        if c.control.preventive and reaching & set(c.targets) and any(denies_everything(s) for s in c.statements)
    ]


# Conditions a deny-all may carry: exempting named principals (the deployment role) only.
_EXEMPTIONS = {"ArnNotLike", "ArnNotEquals", "StringNotLike", "StringNotEquals"}


def denies_everything(statement: dict) -> bool:
    """Deny of '*' on '*' for every principal but exempted ones (a Deny of '*' only for the root user is not one)."""

    def every(value) -> bool:
        return value == "*" or (isinstance(value, list) and "*" in value)

    condition = statement.get("Condition") or {}
    exempting = all(
        op in _EXEMPTIONS and isinstance(keys, dict) and set(keys) <= {"aws:PrincipalArn"} for op, keys in condition.items()
    )
    return statement.get("Effect") == "Deny" and every(statement.get("Action")) and every(statement.get("Resource")) and exempting


def _deploy_role_scope(ctx: RuleContext, where: YamlPath, deploy: DeployRole) -> list[Problem]:
    """A deploy role's environment is one GitHub environment; its services are known and not the landing zone's;
    broad managed policies are a warning (issue 24.3)."""
    from ..policy_reference import database

    out = []
    if deploy.environment is not None and not _ENVIRONMENT.match(deploy.environment):
        out.append(
            ctx.problem(
                (*where, "environment"),
                f"{deploy.environment!r} is not one GitHub environment name (letters, digits and ._- only, no wildcards)",
                "factory_roles",
            )
        )
    known = database()
    for i, service in enumerate(deploy.services):
        if service in FORBIDDEN_SERVICES:
            out.append(
                ctx.problem(
                    (*where, "services", i),
                    f"{service!r} may not be listed: IAM roles come with the boundary, and "
                    f"{', '.join(sorted(FORBIDDEN_SERVICES - {'iam'}))} are the landing zone's",
                    "factory_roles",
                )
            )
        elif not known.has_service(service):
            out.append(
                ctx.problem(
                    (*where, "services", i),
                    f"{service!r} is not an IAM service prefix (such as lambda, s3, dynamodb)",
                    "factory_roles",
                )
            )
    for policy in broad_policies(deploy.managed_policies):
        i = deploy.managed_policies.index(policy)
        out.append(
            ctx.problem(
                (*where, "managed_policies", i),
                f"{policy!r} gives a CI/CD role broad access (any workflow that obtains a token could read data, rewrite "
                "key policies or share snapshots); list the services the pipeline deploys under services: instead",
                "factory_roles",
                severity="warning",
            )
        )
    return out


def factory_roles(ctx: RuleContext) -> list[Problem]:
    """The access role and deploy roles have valid IAM names; a deploy role names one repository and one branch."""
    factory = ctx.env.account_factory
    if factory is None:
        return []
    out = []
    role = factory.defaults.access_role_name
    if role is not None and not _ROLE_NAME.match(role):
        out.append(
            ctx.problem(
                (*_DEFAULTS, "access_role_name"),
                f"{role!r} is not an IAM role name (1-64 letters, digits and +=,.@_-)",
                "factory_roles",
            )
        )
    blocks: list[tuple[YamlPath, DeployRole | None]] = [
        ((*_DEFAULTS, "baseline", "deploy_role"), factory.defaults.baseline.deploy_role)
    ]
    blocks += [((*_REQUESTS, i, "baseline", "deploy_role"), r.baseline.deploy_role) for i, r in enumerate(factory.requests)]
    for where, deploy in blocks:
        if deploy is None:
            continue
        if not _REPOSITORY.match(deploy.repository):
            out.append(
                ctx.problem(
                    (*where, "repository"),
                    f"{deploy.repository!r} is not one repository (expected owner/name, no wildcards)",
                    "factory_roles",
                )
            )
        if not _BRANCH.match(deploy.branch):
            out.append(
                ctx.problem(
                    (*where, "branch"), f"{deploy.branch!r} is not one branch name (no wildcards or spaces)", "factory_roles"
                )
            )
        if not _ROLE_NAME.match(deploy.role_name):
            out.append(
                ctx.problem(
                    (*where, "role_name"),
                    f"{deploy.role_name!r} is not an IAM role name (1-64 letters, digits and +=,.@_-)",
                    "factory_roles",
                )
            )
        if not deploy.provider_url.startswith("https://"):
            out.append(
                ctx.problem(
                    (*where, "provider_url"), f"{deploy.provider_url!r} is not an https:// OIDC issuer URL", "factory_roles"
                )
            )
        out += _deploy_role_scope(ctx, where, deploy)
    return out


def factory_networks(ctx: RuleContext) -> list[Problem]:
    """A request's `network:` block can become a VPC: a `network:` section exists, a valid name not also in network.vpcs, a hub for its segment.

    Everything else about the VPC (CIDR, overlaps, segment names, IPAM, ...)
    is checked by the network rules, reported at the request's block.
    """
    factory = ctx.env.account_factory
    if factory is None:
        return []
    out, written = [], written_vpcs(ctx.data)
    for i, request in enumerate(factory.requests):
        here = (*_REQUESTS, i, "network")
        issue = blocking_issue(ctx.env, request, written)
        if issue is not None:
            key, message = issue
            out.append(ctx.problem(here + ((key,) if key else ()), message, "factory_networks"))
        elif segment_without_hub(ctx.env, request):
            assert request.network is not None  # segment_without_hub holds only for a network block
            out.append(
                ctx.problem(
                    here + ("segment",),
                    f"segment {request.network.segment!r} needs a transit gateway, but network.transit_gateways "
                    "is empty (define the hub there, or drop the segment for an unattached VPC)",
                    "factory_networks",
                )
            )
    return out


def factory_quarantine(ctx: RuleContext) -> list[Problem]:
    """A quarantined account is a warning (lift it once its baseline is applied); the quarantine SCP needs a free slot."""
    factory = ctx.env.account_factory
    if factory is None:
        return []
    quarantined = set(quarantined_names(ctx.env))
    out = []
    for i, request in enumerate(factory.requests):
        if request.name not in quarantined:
            continue
        where = (*_REQUESTS, i, "quarantine") if request.quarantine is not None else (*_DEFAULTS, "quarantine")
        out.append(
            ctx.problem(
                where,
                f"account {request.name!r} is quarantined: only the landing zone's access roles may act in it; "
                "apply the management stack and its account stack, then set quarantine: false and apply the management stack again",
                "factory_quarantine",
                severity="warning",
            )
        )
        # FullAWSAccess and the quarantine policy: AWS refuses the attachment below two SCPs per target.
        if ctx.env.limits.scps_per_target < 2:
            out.append(
                ctx.problem(
                    where,
                    f"the quarantine SCP needs a second SCP slot on account {request.name!r}, but limits.scps_per_target is "
                    f"{ctx.env.limits.scps_per_target} (FullAWSAccess takes the first)",
                    "factory_quarantine",
                )
            )
    return out


RULES = [
    factory_template,
    factory_requests_complete,
    factory_required_tags,
    factory_closure,
    factory_roles,
    factory_networks,
    factory_quarantine,
]
