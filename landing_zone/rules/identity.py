"""Rules on the `identity:` section (IAM Identity Center)."""

from __future__ import annotations

import difflib
import re

from ..config.models.identity import ROOT_TARGET
from ..config.problems import Location, Problem
from ..identity.plan import principal_tag_keys
from ..identity.policy import PolicyError, grants_admin, lint_policy, minify_policy
from ..identity.preset import BROAD_POLICIES, PLATFORM_ADMINS, preset_assignments, preset_groups, preset_permission_sets
from .context import RuleContext

# CreatePermissionSet: Name pattern [\w+=,.@-]+.
_PERMISSION_SET_NAME = re.compile(r"^[\w+=,.@-]+$")
# ISO 8601 durations as Identity Center stores them: hours and/or minutes.
_DURATION = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?$")
DESCRIPTION_LENGTH = 700  # CreatePermissionSet Description
RELAY_STATE_LENGTH = 240  # CreatePermissionSet RelayState


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _section(ctx: RuleContext):
    return ctx.env.identity


def identity_names(ctx: RuleContext) -> list[Problem]:
    """Permission set names are valid and within the length quota; groups, permission sets and assignments are unique and do not clash with the preset."""
    identity = _section(ctx)
    if identity is None:
        return []
    preset = _preset_names(ctx) if identity.preset == "control_tower" else {}
    limit = ctx.env.limits.permission_set_name_length
    out = []
    for i, ps in enumerate(identity.permission_sets):
        if not (1 <= len(ps.name) <= limit) or not _PERMISSION_SET_NAME.match(ps.name):
            out.append(
                ctx.problem(
                    ("identity", "permission_sets", i, "name"),
                    f"{ps.name!r} is not a valid permission set name (expected 1-{limit} letters, digits or +=,.@_- characters; "
                    "limits.permission_set_name_length)",
                    "identity_names",
                )
            )
    for section, kind in (("groups", "group"), ("permission_sets", "permission set"), ("assignments", "assignment")):
        seen: dict[str, Location] = {}
        for i, item in enumerate(getattr(identity, section)):
            where = ("identity", section, i, "name")
            key = item.name.lower()
            if key in preset.get(section, set()):
                out.append(
                    ctx.problem(
                        where,
                        f"{kind} {item.name!r} is already defined by the control_tower preset "
                        "(use another name, or set identity.preset: none to define your own)",
                        "identity_names",
                    )
                )
            elif key in seen:
                out.append(
                    ctx.problem(
                        where,
                        f"{kind} name {item.name!r} is used twice (first at line {seen[key].line}); names are unique, case-insensitively",
                        "identity_names",
                    )
                )
            else:
                seen[key] = ctx.location(where)
    return out


def _preset_names(ctx: RuleContext) -> dict[str, set[str]]:
    """Lower-cased names the preset defines, by section."""
    return {
        "groups": {g.name.lower() for g in preset_groups(ctx.env)},
        "permission_sets": {p.name.lower() for p in preset_permission_sets()},
        "assignments": {a.name.lower() for a in preset_assignments(ctx.env)},
    }


def identity_references(ctx: RuleContext) -> list[Problem]:
    """Assignments name defined groups, permission sets, OUs and accounts; the delegated administrator is a member account."""
    identity = _section(ctx)
    if identity is None:
        return []
    plan = ctx.facts.identity_plan
    groups = [g.name for g in plan.groups]
    permission_sets = [p.name for p in plan.permission_sets]
    ous = [ou.path for ou in ctx.env.organizational_units]
    management = ctx.env.organization.management_account.name
    members = [a.name for a in ctx.env.accounts]
    accounts = [management] + members
    out = []
    for i, a in enumerate(identity.assignments):
        base = ("identity", "assignments", i)
        if a.group not in groups:
            out.append(
                ctx.problem(
                    base + ("group",),
                    f"group {a.group!r} is not defined{_suggest(a.group, groups)} (defined: {', '.join(groups) or 'none'})",
                    "identity_references",
                )
            )
        if a.permission_set not in permission_sets:
            out.append(
                ctx.problem(
                    base + ("permission_set",),
                    f"permission set {a.permission_set!r} is not defined{_suggest(a.permission_set, permission_sets)} "
                    f"(defined: {', '.join(permission_sets) or 'none'})",
                    "identity_references",
                )
            )
        for key in ("ous", "exclude_ous"):
            for j, path in enumerate(getattr(a, key)):
                if path not in ous and path.lower() != ROOT_TARGET:
                    out.append(
                        ctx.problem(
                            base + (key, j),
                            f"OU {path!r} is not defined{_suggest(path, ous)} "
                            f"(defined: {', '.join(ous) or 'none'}; '{ROOT_TARGET}' for every member account)",
                            "identity_references",
                        )
                    )
        for key in ("accounts", "exclude_accounts"):
            for j, name in enumerate(getattr(a, key)):
                if name not in accounts:
                    out.append(
                        ctx.problem(
                            base + (key, j),
                            f"account {name!r} is not defined{_suggest(name, accounts)} (defined: {', '.join(accounts)})",
                            "identity_references",
                        )
                    )
        if not a.ous and not a.accounts:
            out.append(
                ctx.problem(
                    base,
                    "assignment has no targets (expected OU paths under 'ous' or account names under 'accounts')",
                    "identity_references",
                )
            )
    admin = identity.delegated_admin_account
    if admin is not None and admin not in members:
        why = (
            "the management account administers Identity Center anyway; name a member account"
            if admin == management
            else f"not a member account{_suggest(admin, members)} (defined: {', '.join(members) or 'none'})"
        )
        out.append(
            ctx.problem(
                ("identity", "delegated_admin_account"),
                f"{admin!r} cannot be the delegated administrator: {why}",
                "identity_references",
            )
        )
    return out


def identity_session_durations(ctx: RuleContext) -> list[Problem]:
    """Session durations are ISO 8601 (PT<h>H<m>M) and between 1 and 12 hours."""
    identity = _section(ctx)
    if identity is None:
        return []
    out = []
    for i, ps in enumerate(identity.permission_sets):
        match = _DURATION.match(ps.session_duration)
        minutes = (
            int(match.group(1) or 0) * 60 + int(match.group(2) or 0) if match and (match.group(1) or match.group(2)) else None
        )
        if minutes is None or not 60 <= minutes <= 720:
            out.append(
                ctx.problem(
                    ("identity", "permission_sets", i, "session_duration"),
                    f"{ps.session_duration!r} is not a session duration of 1 to 12 hours in ISO 8601 "
                    "(expected such as 'PT1H', 'PT8H' or 'PT1H30M')",
                    "identity_session_durations",
                )
            )
    return out


def identity_permission_set_fields(ctx: RuleContext) -> list[Problem]:
    """Descriptions and relay states fit their API limits; a permissions boundary names exactly one policy."""
    identity = _section(ctx)
    if identity is None:
        return []
    out = []
    for i, ps in enumerate(identity.permission_sets):
        base = ("identity", "permission_sets", i)
        if len(ps.description) > DESCRIPTION_LENGTH:
            out.append(
                ctx.problem(
                    base + ("description",),
                    f"description is {len(ps.description)} characters; at most {DESCRIPTION_LENGTH} are allowed",
                    "identity_permission_set_fields",
                )
            )
        if ps.relay_state is not None and (len(ps.relay_state) > RELAY_STATE_LENGTH or not ps.relay_state.startswith("https://")):
            out.append(
                ctx.problem(
                    base + ("relay_state",),
                    f"{ps.relay_state[:60]!r} is not a relay state (expected an https:// URL of at most {RELAY_STATE_LENGTH} characters)",
                    "identity_permission_set_fields",
                )
            )
        boundary = ps.permissions_boundary
        if boundary is not None and (boundary.managed_policy is None) == (boundary.customer_managed_policy is None):
            out.append(
                ctx.problem(
                    base + ("permissions_boundary",),
                    "a permissions boundary names exactly one policy: managed_policy or customer_managed_policy",
                    "identity_permission_set_fields",
                )
            )
    return out


# parliament's issues that rules/policies.py checks against the Service Authorization Reference.
REFERENCE_CHECKED = {
    "UNKNOWN_ACTION",
    "UNKNOWN_PREFIX",
    "UNKNOWN_CONDITION_FOR_ACTION",
    "RESOURCE_MISMATCH",
    "UNKNOWN_OPERATOR",
    "MISMATCHED_TYPE",
    "MISMATCHED_TYPE_BUT_USABLE",
}


def identity_inline_policies(ctx: RuleContext) -> list[Problem]:
    """Inline policies are JSON objects within the size quota, grant '*' on '*' only with a stated reason, and pass the linter."""
    identity = _section(ctx)
    if identity is None:
        return []
    limit = ctx.env.limits.inline_policy_size
    out = []
    for i, ps in enumerate(identity.permission_sets):
        where = ("identity", "permission_sets", i, "inline_policy")
        if ps.inline_policy is None:
            continue
        try:
            text = minify_policy(ps.inline_policy)
        except PolicyError as exc:
            out.append(ctx.problem(where, f"the inline policy {exc}", "identity_inline_policies"))
            continue
        if len(text) > limit:
            out.append(
                ctx.problem(
                    where,
                    f"the inline policy is {len(text):,} characters minified; at most {limit:,} are allowed (limits.inline_policy_size)",
                    "identity_inline_policies",
                )
            )
        if grants_admin(ps.inline_policy) and not (ps.allow_admin_reason or "").strip():
            out.append(
                ctx.problem(
                    where,
                    "the inline policy allows every action ('*') on every resource; use the AWSAdministratorAccess "
                    "permission set instead, or say why under allow_admin_reason",
                    "identity_inline_policies",
                )
            )
        for finding in lint_policy(ps.inline_policy):
            if finding.issue in REFERENCE_CHECKED:
                continue  # rules/policies.py reports it as an error, from AWS's current reference
            out.append(
                ctx.problem(where, f"inline policy lint: {finding}", "identity_inline_policies", severity=finding.severity)
            )
    return out


def identity_reach(ctx: RuleContext) -> list[Problem]:
    """Every assignment reaches an account (warning otherwise); no account holds more permission sets than the quota."""
    identity = _section(ctx)
    if identity is None:
        return []
    plan = ctx.facts.identity_plan
    ous = {ou.path for ou in ctx.env.organizational_units}
    accounts = set(plan.accounts)
    out = []
    for i, a in enumerate(identity.assignments):
        # Unknown targets are identity_references' to report; an empty result then says nothing new.
        known = (
            all(p in ous or p.lower() == ROOT_TARGET for p in a.ous + a.exclude_ous)
            and set(a.accounts + a.exclude_accounts) <= accounts
        )
        if known and (a.ous or a.accounts) and not plan.expansions.get(a.name):
            out.append(
                ctx.problem(
                    ("identity", "assignments", i),
                    f"assignment {a.name!r} reaches no account (its OUs hold no account yet, "
                    "or every account it targets is excluded)",
                    "identity_reach",
                    severity="warning",
                )
            )
    limit = ctx.env.limits.permission_sets_per_account
    for account in plan.accounts:
        held = {g.permission_set for g in plan.grants_for(account=account)}
        if len(held) > limit:
            out.append(
                ctx.problem(
                    ("identity", "assignments"),
                    f"account {account!r} would hold {len(held)} permission sets; at most {limit} are allowed (limits.permission_sets_per_account)",
                    "identity_reach",
                )
            )
    return out


# CreateUser: UserName 1-128 characters, no spaces; the email as the account rules read one.
_USER_NAME = re.compile(r"^[\w+=,.@-]{1,128}$")
_EMAIL = re.compile(r"^[^\s@]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


def identity_users(ctx: RuleContext) -> list[Problem]:
    """End users only with the identity_center source; user names and emails valid and unique; their groups defined."""
    identity = _section(ctx)
    if identity is None or not identity.users:
        return []
    if identity.source == "external":
        return [
            ctx.problem(
                ("identity", "users"),
                "users cannot be defined with source: external: the identity provider owns them "
                "and provisions them through SCIM (remove identity.users, or use source: identity_center)",
                "identity_users",
            )
        ]
    groups = [g.name for g in ctx.facts.identity_plan.groups]
    out = []
    names: dict[str, Location] = {}
    emails: dict[str, Location] = {}
    for i, user in enumerate(identity.users):
        base = ("identity", "users", i)
        if not _USER_NAME.match(user.user_name):
            out.append(
                ctx.problem(
                    base + ("user_name",),
                    f"{user.user_name!r} is not a valid user name (expected 1-128 letters, digits or +=,.@_- characters)",
                    "identity_users",
                )
            )
        elif user.user_name.lower() in names:
            out.append(
                ctx.problem(
                    base + ("user_name",),
                    f"user name {user.user_name!r} is used twice (first at line {names[user.user_name.lower()].line}); "
                    "user names are unique, case-insensitively",
                    "identity_users",
                )
            )
        else:
            names[user.user_name.lower()] = ctx.location(base + ("user_name",))
        if not _EMAIL.match(user.email):
            out.append(
                ctx.problem(
                    base + ("email",), f"{user.email!r} is not a valid email address (expected user@domain)", "identity_users"
                )
            )
        elif user.email.lower() in emails:
            out.append(
                ctx.problem(
                    base + ("email",),
                    f"email {user.email!r} is used twice (first at line {emails[user.email.lower()].line}); "
                    "emails are unique, case-insensitively",
                    "identity_users",
                )
            )
        else:
            emails[user.email.lower()] = ctx.location(base + ("email",))
        for key in ("display_name", "given_name", "family_name"):
            if not getattr(user, key).strip():
                out.append(ctx.problem(base + (key,), f"{key} is empty (expected the person's name)", "identity_users"))
        for j, group in enumerate(user.groups):
            if group not in groups:
                out.append(
                    ctx.problem(
                        base + ("groups", j),
                        f"group {group!r} is not defined{_suggest(group, groups)} (defined: {', '.join(groups) or 'none'})",
                        "identity_users",
                    )
                )
    return out


def identity_support_group(ctx: RuleContext) -> list[Problem]:
    """The support group the preset gives AWSSupportAccess (CIS 1.17) is a defined group."""
    identity = _section(ctx)
    if identity is None or identity.preset != "control_tower":
        return []
    groups = [g.name for g in ctx.facts.identity_plan.groups]
    if identity.support_group in groups:
        return []
    return [
        ctx.problem(
            ("identity", "support_group"),
            f"group {identity.support_group!r} is not defined"
            f"{_suggest(identity.support_group, groups)}; add it under identity.groups, or omit the key for "
            "the preset's AWSSupportUsers",
            "identity_support_group",
        )
    ]


def broad_permission_set(ps) -> str | None:
    """Why a permission set is broad (AdministratorAccess, PowerUserAccess or an inline '*' on '*'), or None."""
    for policy in ps.managed_policies:
        name = policy.rsplit("/", 1)[-1]
        if name in BROAD_POLICIES:
            return name
    if ps.inline_policy is not None:
        try:
            if grants_admin(ps.inline_policy):
                return "an inline '*' on '*'"
        except PolicyError:
            return None  # identity_inline_policies reports it
    return None


def management_broad_access(ctx: RuleContext) -> list[Problem]:
    """Only the platform administrators hold broad access in the management account (warning): from there,
    sts:AssumeRole reaches every member's access role, which no guardrail binds, and SCPs never bind the
    management account itself (issue 24)."""
    identity = _section(ctx)
    if identity is None:
        return []
    plan = ctx.facts.identity_plan
    management = ctx.env.organization.management_account.name
    sets = {p.name: p for p in plan.permission_sets}
    out = []
    for i, a in enumerate(identity.assignments):
        ps = sets.get(a.permission_set)
        why = broad_permission_set(ps) if ps is not None else None
        if why is None or a.group == PLATFORM_ADMINS or management not in plan.expansions.get(a.name, ()):
            continue
        out.append(
            ctx.problem(
                ("identity", "assignments", i),
                f"assignment {a.name!r} gives group {a.group!r} {why} "
                f"({a.permission_set}) in the management account {management!r}: "
                "from there it can assume every member account's access role, "
                "which no guardrail binds, and SCPs never bind the management "
                f"account (leave it to {PLATFORM_ADMINS}, or target member accounts)",
                "management_broad_access",
                severity="warning",
            )
        )
    return out


_ABAC_KEY = re.compile(r"^[\w+=,.@:/-]{1,128}$")
_ABAC_SOURCE = re.compile(r"^\$\{path:[A-Za-z][\w.:\[\] \"-]*\}$")


def identity_access_control_attributes(ctx: RuleContext) -> list[Problem]:
    """ABAC (issue 24.7): each attribute is a tag key and a `${path:...}` user attribute; a permission set that reads
    aws:PrincipalTag/<key> without that key configured is a warning (Identity Center sends no such tag, so the
    condition never holds)."""
    identity = _section(ctx)
    if identity is None:
        return []
    out = []
    attributes = identity.access_control_attributes
    for key, source in attributes.items():
        where = ("identity", "access_control_attributes", key)
        if not _ABAC_KEY.match(key):
            out.append(
                ctx.problem(
                    where,
                    f"{key!r} is not a session tag key (1-128 letters, digits and _.:/=+-@)",
                    "identity_access_control_attributes",
                )
            )
        if not _ABAC_SOURCE.match(source):
            out.append(
                ctx.problem(
                    where,
                    f"{source!r} is not a user attribute path (expected ${{path:...}}, such as ${{path:enterprise.department}})",
                    "identity_access_control_attributes",
                )
            )
    for i, ps in enumerate(identity.permission_sets):
        missing = [k for k in principal_tag_keys(ps) if k not in attributes]
        for key in missing:
            out.append(
                ctx.problem(
                    ("identity", "permission_sets", i, "inline_policy"),
                    f"permission set {ps.name!r} reads aws:PrincipalTag/{key}, but identity.access_control_attributes "
                    f"has no {key!r}: Identity Center passes no such session tag, so the condition never holds "
                    f"(add {key}: ${{path:...}} for the user attribute it comes from)",
                    "identity_access_control_attributes",
                    severity="warning",
                )
            )
    return out


RULES = [
    identity_names,
    identity_access_control_attributes,
    identity_references,
    identity_session_durations,
    identity_permission_set_fields,
    identity_inline_policies,
    identity_reach,
    identity_users,
    identity_support_group,
    management_broad_access,
]
