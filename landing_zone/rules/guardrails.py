"""Rules on the `guardrails:` section: ids, targets, parameters, custom
controls, and whether every target's SCPs fit the quotas."""

from __future__ import annotations

import difflib
import re
from typing import Any, Iterator

from ..config.problems import Problem
from ..guardrails.catalog import Control, catalog
from ..guardrails.enabled import environment_values, role_target
from ..guardrails.packing import policy_size
from ..guardrails.plan import fit_advice
from ..guardrails.templates import TemplateError, placeholders
from .context import RuleContext
from .regions import known_regions

_CUSTOM_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")
_ACTION = re.compile(r"^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$")
_SOURCE = re.compile(r"^[A-Z0-9_]+$")
_RESOURCE_TYPE = re.compile(r"^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$")
_STATEMENT_KEYS = {"Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"}
_OPERATORS = re.compile(
    r"^(ForAllValues:|ForAnyValue:)?(StringEquals|StringNotEquals|StringEqualsIgnoreCase|StringNotEqualsIgnoreCase|"
    r"StringLike|StringNotLike|ArnEquals|ArnNotEquals|ArnLike|ArnNotLike|Bool|Null|NumericEquals|NumericNotEquals|"
    r"NumericLessThan|NumericLessThanEquals|NumericGreaterThan|NumericGreaterThanEquals|IpAddress|NotIpAddress)(IfExists)?$"
)
_TYPES = {"string": (str,), "integer": (int,), "boolean": (bool,), "list": (list,)}


def _hint(value: str, choices) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _settings(ctx: RuleContext) -> Iterator[tuple[tuple, Any, Control | None]]:
    """(yaml path, setting, catalog control or None) for every entry of the section."""
    g = ctx.env.guardrails
    for cid, setting in g.controls.items():
        yield ("guardrails", "controls", cid), setting, catalog().get(cid)
    for cid, scp in g.custom_scps.items():
        yield ("guardrails", "custom_scps", cid), scp, None
    for cid, rule in g.custom_config_rules.items():
        yield ("guardrails", "custom_config_rules", cid), rule, None


def guardrail_ids(ctx: RuleContext) -> list[Problem]:
    """Controls exist in the catalog; mandatory ones stay on and keep their reach; custom ids are new."""
    out = []
    for cid, setting in ctx.env.guardrails.controls.items():
        where = ("guardrails", "controls", cid)
        control = catalog().get(cid)
        if control is None:
            out.append(
                ctx.problem(
                    where,
                    f"{cid!r} is not a control of the catalog{_hint(cid, catalog())} "
                    "(`lz guardrails --catalog` lists them; your own go under custom_scps or custom_config_rules)",
                    "guardrail_ids",
                )
            )
        elif control.tier == "mandatory":
            if not setting.enabled:
                out.append(ctx.problem(where + ("enabled",), f"{cid} is mandatory and cannot be turned off", "guardrail_ids"))
            if setting.exclude_ous or setting.exclude_accounts:
                key = "exclude_ous" if setting.exclude_ous else "exclude_accounts"
                out.append(
                    ctx.problem(
                        where + (key,),
                        f"{cid} is mandatory: it cannot exclude OUs or accounts (targets can only be added)",
                        "guardrail_ids",
                    )
                )
    for section in ("custom_scps", "custom_config_rules"):
        for cid in getattr(ctx.env.guardrails, section):
            where = ("guardrails", section, cid)
            if cid in catalog():
                out.append(
                    ctx.problem(
                        where,
                        f"{cid!r} is a catalog control; enable it under guardrails.controls "
                        "or give the custom control another id",
                        "guardrail_ids",
                    )
                )
            elif not _CUSTOM_ID.match(cid):
                out.append(
                    ctx.problem(
                        where,
                        f"{cid!r} is not a valid control id (a letter, then up to 63 letters, digits, '_', '.' or '-')",
                        "guardrail_ids",
                    )
                )
    seen: dict[str, tuple] = {}
    for where, _, _ in _settings(ctx):
        cid = where[-1]
        if cid in seen and seen[cid][1] != where[1]:
            out.append(ctx.problem(where, f"id {cid!r} is also used under guardrails.{seen[cid][1]}", "guardrail_ids"))
        seen.setdefault(cid, where)
    return out


def guardrail_targets(ctx: RuleContext) -> list[Problem]:
    """Targets and exclusions name defined OUs ('root' for all) and accounts; exclusions sit below a target."""
    tree = ctx.tree
    ous = [o.path for o in ctx.env.organizational_units]
    accounts = [a.name for a in ctx.env.accounts]
    out = []
    for where, s, control in _settings(ctx):
        for key in ("ous", "exclude_ous"):
            for i, path in enumerate(getattr(s, key) or []):
                if path not in ous and not (key == "ous" and path == "root"):
                    allowed = "'root' or " if key == "ous" else ""
                    out.append(
                        ctx.problem(
                            where + (key, i),
                            f"OU {path!r} is not defined{_hint(path, ous)} "
                            f"(expected {allowed}an OU path from organizational_units)",
                            "guardrail_targets",
                        )
                    )
        for key in ("accounts", "exclude_accounts"):
            for i, name in enumerate(getattr(s, key) or []):
                if name not in accounts:
                    out.append(
                        ctx.problem(
                            where + (key, i), f"account {name!r} is not defined{_hint(name, accounts)}", "guardrail_targets"
                        )
                    )
        custom = where[1] != "controls"
        given = s.ous is not None or s.accounts is not None
        if getattr(s, "enabled", True) and given and not (s.ous or s.accounts):
            out.append(ctx.problem(where, "no targets: list OUs or accounts, or set enabled: false", "guardrail_targets"))
        elif custom and not given:
            out.append(
                ctx.problem(
                    where,
                    "a custom control needs targets: list OU paths ('root' for all) under ous, or account names under accounts",
                    "guardrail_targets",
                )
            )
        out.extend(_exclusions_below(ctx, tree, where, s, control))
    return out


def _exclusions_below(ctx, tree, where, s, control) -> list[Problem]:
    """An exclusion that no target reaches does nothing: almost certainly a mistake."""
    if control is not None and s.ous is None and s.accounts is None:
        targets = [role_target(ctx.env, t) for t in control.default_targets]
        reach = {("root" if t.kind == "root" else t.name) for t in targets if t.kind != "account"}
    else:
        reach = set(s.ous or [])

    def reached(path: str) -> bool:
        return "root" in reach or any(path == r or path.startswith(r + "/") for r in reach)

    out = []
    for i, path in enumerate(s.exclude_ous):
        if path in tree.nodes and not reached(path):
            out.append(
                ctx.problem(
                    where + ("exclude_ous", i),
                    f"OU {path!r} is not below any target of this control, so excluding it does nothing",
                    "guardrail_targets",
                )
            )
    for i, name in enumerate(s.exclude_accounts):
        account = tree.accounts_by_name.get(name)
        if account is not None and not reached(account.ou):
            out.append(
                ctx.problem(
                    where + ("exclude_accounts", i),
                    f"account {name!r} is not below any target OU of this control, so excluding it does nothing",
                    "guardrail_targets",
                )
            )
    return out


def guardrail_parameters(ctx: RuleContext) -> list[Problem]:
    """Parameters are the control's own, of the right type, with sensible values."""
    out = []
    org = ctx.env.organization
    for cid, s in ctx.env.guardrails.controls.items():
        control = catalog().get(cid)
        if control is None:
            continue
        for name, value in s.parameters.items():
            where = ("guardrails", "controls", cid, "parameters", name)
            spec = control.parameters.get(name)
            if spec is None:
                allowed = ", ".join(control.parameters) or "none"
                out.append(
                    ctx.problem(
                        where,
                        f"{cid} has no parameter {name!r}{_hint(name, control.parameters)} (parameters: {allowed})",
                        "guardrail_parameters",
                    )
                )
                continue
            ok = isinstance(value, _TYPES[spec.type]) and not (spec.type == "integer" and isinstance(value, bool))
            if not ok:
                out.append(
                    ctx.problem(where, f"{value!r} is not a {spec.type}; {name}: {spec.description}", "guardrail_parameters")
                )
                continue
            if name == "allowed_regions":
                assert isinstance(value, list)  # the catalog declares it a list, checked by `ok` above
                bad = [r for r in value if r not in known_regions()]
                missing = [r for r in org.governed_regions if r not in value]
                if bad:
                    out.append(
                        ctx.problem(
                            where,
                            f"{', '.join(map(repr, bad))} is not an AWS region{_hint(bad[0], known_regions())}",
                            "guardrail_parameters",
                        )
                    )
                elif missing:
                    out.append(
                        ctx.problem(
                            where,
                            f"the governed region(s) {', '.join(missing)} must stay allowed: the landing zone "
                            "runs Config and security services there",
                            "guardrail_parameters",
                        )
                    )
            if name == "blocked_ports":
                assert isinstance(value, list)  # the catalog declares it a list, checked by `ok` above
                bad = [p for p in value if not (p.isdigit() and 1 <= int(p) <= 65535)]
                if bad or not 1 <= len(value) <= 5:
                    out.append(
                        ctx.problem(
                            where, f"{value!r}: expected 1 to 5 TCP port numbers (1-65535) as strings", "guardrail_parameters"
                        )
                    )
            if name == "exempt_actions":
                assert isinstance(value, list)  # the catalog declares it a list, checked by `ok` above
                bad = [a for a in value if not _ACTION.match(a)]
                if bad:
                    out.append(
                        ctx.problem(
                            where,
                            f"{bad[0]!r} is not an action (expected service:Action, wildcards allowed)",
                            "guardrail_parameters",
                        )
                    )
    return out


def custom_scp_statements(ctx: RuleContext) -> list[Problem]:
    """Custom statements are well-formed Deny statements with known placeholders."""
    known = set(environment_values(ctx.env))
    out = []
    for cid, scp in ctx.env.guardrails.custom_scps.items():
        if not scp.statements:
            out.append(
                ctx.problem(
                    ("guardrails", "custom_scps", cid, "statements"), "at least one statement is needed", "custom_scp_statements"
                )
            )
        for i, st in enumerate(scp.statements):
            where = ("guardrails", "custom_scps", cid, "statements", i)
            for message in _statement_errors(st, known):
                out.append(ctx.problem(where, message, "custom_scp_statements"))
    return out


def _statement_errors(st: dict, known: set[str]) -> list[str]:
    out = []
    extra = set(st) - _STATEMENT_KEYS
    if "Sid" in extra:
        out.append("remove 'Sid': statement ids are derived from the control id")
    elif extra:
        out.append(
            f"unknown key(s) {', '.join(sorted(extra))} (allowed: {', '.join(sorted(_STATEMENT_KEYS))}; SCPs have no Principal)"
        )
    if st.get("Effect") != "Deny":
        out.append(f"Effect is {st.get('Effect')!r}; guardrail statements must be 'Deny' (FullAWSAccess already allows)")
    if ("Action" in st) == ("NotAction" in st):
        out.append("give exactly one of Action or NotAction")
    if ("Resource" in st) == ("NotResource" in st):
        out.append("give exactly one of Resource or NotResource")
    for key in ("Action", "NotAction"):
        values = st.get(key)
        values = [values] if isinstance(values, str) else values
        if key in st and (not isinstance(values, list) or not values or not all(isinstance(a, str) for a in values)):
            out.append(f"{key} must be an action or a list of actions")
        elif key in st and isinstance(values, list):  # always a list here: anything else failed the test above
            bad = [a for a in values if not _ACTION.match(a) and not placeholders(a)]
            if bad:
                out.append(
                    f"{bad[0]!r} is not an action (expected service:Action such as 's3:PutBucketPolicy', wildcards allowed)"
                )
    cond = st.get("Condition")
    if cond is not None:
        if not isinstance(cond, dict) or not all(isinstance(v, dict) for v in cond.values()):
            out.append("Condition must map operators to {key: value} mappings")
        else:
            bad = [op for op in cond if not _OPERATORS.match(op)]
            if bad:
                out.append(f"unknown condition operator {bad[0]!r}")
    unknown = placeholders(st) - known
    if unknown:
        out.append(f"unknown placeholder ${{{sorted(unknown)[0]}}} (known: {', '.join(sorted(known))})")
    return out


def custom_config_rules(ctx: RuleContext) -> list[Problem]:
    """Custom Config rules name an AWS managed rule and resource types in AWS::Service::Type form."""
    out = []
    for cid, rule in ctx.env.guardrails.custom_config_rules.items():
        where = ("guardrails", "custom_config_rules", cid)
        if not _SOURCE.match(rule.source_identifier):
            out.append(
                ctx.problem(
                    where + ("source_identifier",),
                    f"{rule.source_identifier!r} is not an AWS managed rule identifier "
                    "(upper-case letters, digits and '_', such as 'S3_BUCKET_SSL_REQUESTS_ONLY')",
                    "custom_config_rules",
                )
            )
        for i, rtype in enumerate(rule.resource_types):
            if not _RESOURCE_TYPE.match(rtype):
                out.append(
                    ctx.problem(
                        where + ("resource_types", i),
                        f"{rtype!r} is not a resource type (expected AWS::Service::Type such as 'AWS::S3::Bucket')",
                        "custom_config_rules",
                    )
                )
    return out


def scp_budget(ctx: RuleContext) -> list[Problem]:
    """Every target's SCPs fit the quotas; otherwise say which controls to move up or drop."""
    try:
        plan = ctx.facts.guardrail_plan
    except TemplateError:
        return []  # reported by custom_scp_statements
    out = []
    for budget in plan.failures:
        if budget.result.needed == 0:  # a statement alone is too big: report it at its own control
            out.extend(_oversized(ctx, budget))
        else:
            out.append(ctx.problem(_where_target(ctx, budget.target), fit_advice(budget), "scp_budget"))
    return out


def _oversized(ctx: RuleContext, budget) -> list[Problem]:
    """Each statement too big for one SCP, at the control or custom SCP that owns it (its statement when custom)."""
    out = []
    for statement in budget.result.statements:
        if policy_size([statement.size]) <= budget.capacity:
            continue
        source = statement.sources[0]  # merging never grows a statement past the limit: one owner
        control = next(c for c in budget.controls if c.id == source.control_id)
        index = next((i for i, s in enumerate(control.statements) if s is source.statement), 0)
        where: tuple = control.yaml_path or ("guardrails",)
        if where[1:2] == ("custom_scps",):
            where = (*where, "statements", index)
        out.append(
            ctx.problem(
                where,
                f"statement {index + 1} of {control.id} is {policy_size([statement.size]):,} characters as an SCP "
                f"(minified), more than one SCP of {budget.capacity:,} characters holds (limits.scp_size; it "
                f"reaches {budget.target.label}): shorten it or split it into several statements",
                "scp_budget",
            )
        )
    return out


def _where_target(ctx: RuleContext, target) -> tuple:
    """Point at a preventive control's setting that names the target, else at the target's definition."""
    for where, s, control in _settings(ctx):
        preventive = where[1] == "custom_scps" or (control is not None and control.preventive)
        names = (s.ous or []) if target.kind in ("ou", "root") else (s.accounts or [])
        wanted = "root" if target.kind == "root" else target.name
        if preventive and wanted in names:
            return where + ("ous" if target.kind != "account" else "accounts", names.index(wanted))
    if target.kind == "ou":
        for i, ou in enumerate(ctx.env.organizational_units):
            if ou.path == target.name:
                return ("organizational_units", i, "path")
    if target.kind == "account":
        for i, account in enumerate(ctx.env.accounts):
            if account.name == target.name:
                return ("accounts", i, "name")
    if ctx.env.guardrails.controls:
        return ("guardrails", "controls")
    limits = ctx.data.get("limits") if isinstance(ctx.data, dict) else None
    for key in ("scp_size", "scps_per_target"):  # only the mandatory controls: the quotas were lowered
        if isinstance(limits, dict) and key in limits:
            return ("limits", key)
    return ("guardrails",)


RULES = [guardrail_ids, guardrail_targets, guardrail_parameters, custom_scp_statements, custom_config_rules, scp_budget]
