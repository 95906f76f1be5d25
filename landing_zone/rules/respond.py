"""Rules on remediation (`guardrails.controls.<id>.remediation`) and responders (`incident_response`)."""

from __future__ import annotations

import re

from ..config.problems import Problem
from ..guardrails.catalog import catalog
from ..guardrails.templates import TemplateError
from ..respond.automatic import problem as automatic_problem
from ..respond.plan import resource_parameter, runbook_of
from ..respond.routing import MAX_EXCLUDED_TAGS
from ..respond.runbooks import load_runbooks
from .context import RuleContext

_NAME = re.compile(r"^[A-Za-z0-9-]{1,40}$")


def _known_runbooks() -> str:
    return ", ".join(load_runbooks())


def remediations(ctx: RuleContext) -> list[Problem]:
    """A remediation sits on a detective control, names a runbook of the package (or has the catalog's),
    passes only parameters that runbook declares, and bounds automatic runs with max_attempts."""
    out = []
    accounts = {a.name for a in ctx.env.accounts}
    for cid, setting in ctx.env.guardrails.controls.items():
        remediation = setting.remediation
        if remediation is None:
            continue
        where = ("guardrails", "controls", cid, "remediation")
        control = catalog().get(cid)
        if control is not None and control.preventive:
            out.append(
                ctx.problem(
                    where,
                    f"{cid} is a preventive control (an SCP): nothing violates it, so nothing is remediated; "
                    "remediation goes on detective controls (Config rules)",
                    "remediations",
                )
            )
            continue
        runbook = runbook_of(cid, remediation)
        if runbook is None:
            out.append(
                ctx.problem(
                    where,
                    f"{cid} has no default runbook; name one with `runbook:` (known: {_known_runbooks()})",
                    "remediations",
                )
            )
            continue
        book = load_runbooks().get(runbook)
        if book is None:
            out.append(
                ctx.problem((*where, "runbook"), f"unknown runbook {runbook!r} (known: {_known_runbooks()})", "remediations")
            )
            continue
        declared = book.user_parameters()
        for name in remediation.parameters:
            if name not in declared:
                out.append(
                    ctx.problem(
                        (*where, "parameters", name),
                        f"runbook {runbook} does not declare parameter {name!r} (it takes: {', '.join(declared)})",
                        "remediations",
                    )
                )
        if (
            all(n in declared for n in remediation.parameters)
            and resource_parameter(cid, runbook, dict(remediation.parameters)) is None
        ):
            out.append(
                ctx.problem(
                    (*where, "parameters"),
                    f"runbook {runbook} must have exactly one required parameter left open for the resource id "
                    f"(it takes: {', '.join(declared)})",
                    "remediations",
                )
            )
        if remediation.automatic and remediation.max_attempts is None:
            out.append(
                ctx.problem(
                    (*where, "automatic"),
                    "automatic remediation needs max_attempts (1-25): Config retries a failing fix at most that often",
                    "remediations",
                )
            )
        for i, name in enumerate(remediation.exclude_accounts):
            if name not in accounts:
                out.append(
                    ctx.problem(
                        (*where, "exclude_accounts", i),
                        f"account {name!r} is not defined in accounts",
                        "remediations",
                    )
                )
    return out


def responders(ctx: RuleContext) -> list[Problem]:
    """Responders have unique names, run a runbook of the package, match known controls and accounts."""
    out = []
    seen: dict[str, int] = {}
    accounts = {a.name for a in ctx.env.accounts}
    try:
        enabled = {c.id for c in ctx.enabled_controls if not c.control.preventive}
    except TemplateError:
        return []  # a bad custom SCP placeholder: its own rule reports it, and the controls cannot be listed
    for i, responder in enumerate(ctx.env.incident_response.responders):
        where = ("incident_response", "responders", i)
        if not _NAME.match(responder.name):
            out.append(
                ctx.problem(
                    (*where, "name"),
                    f"{responder.name!r} is not a valid responder name (expected 1-40 letters, digits and '-')",
                    "responders",
                )
            )
        elif responder.name in seen:
            out.append(ctx.problem((*where, "name"), f"responder name {responder.name!r} is used twice", "responders"))
        seen.setdefault(responder.name, i)
        if responder.action not in load_runbooks():
            out.append(
                ctx.problem(
                    (*where, "action"), f"unknown runbook {responder.action!r} (known: {_known_runbooks()})", "responders"
                )
            )
        for j, cid in enumerate(responder.match.control_ids):
            if responder.source != "config":
                out.append(
                    ctx.problem(
                        (*where, "match", "control_ids"),
                        f"control_ids match Config compliance changes; this responder is on {responder.source}",
                        "responders",
                    )
                )
                break
            if cid not in enabled:
                known = cid in catalog() or cid in ctx.env.guardrails.custom_config_rules
                reason = "is not enabled here" if known else "is not a control of the catalog nor a custom Config rule"
                out.append(
                    ctx.problem(
                        (*where, "match", "control_ids", j),
                        f"{cid!r} {reason}: responders match enabled detective controls (enabled: {', '.join(sorted(enabled))})",
                        "responders",
                    )
                )
        if responder.mode == "custom_action" and responder.source != "securityhub":
            out.append(
                ctx.problem(
                    (*where, "mode"), f"custom actions are Security Hub's; this responder is on {responder.source}", "responders"
                )
            )
        if responder.mode == "automatic":
            why = automatic_problem(responder, load_runbooks().get(responder.action))
            if why is not None:
                out.append(ctx.problem((*where, "mode"), f"mode 'automatic': {why}", "responders"))
        elif responder.parameters:
            out.append(
                ctx.problem(
                    (*where, "parameters"),
                    f"parameters are filled in by automatic responders only; this one is {responder.mode} "
                    f"(`lz respond --param` takes them)",
                    "responders",
                )
            )
        out += _tag_exclusions(ctx, responder, (*where, "exclude", "tags"))
        for j, name in enumerate(responder.exclude.accounts):
            if name not in accounts:
                out.append(
                    ctx.problem((*where, "exclude", "accounts", j), f"account {name!r} is not defined in accounts", "responders")
                )
    return out


_TAG_KEY = re.compile(r"^[\w.:/=+@ -]{1,128}$")
_TAG_VALUE = re.compile(r"^[\w.:/=+@ -]{0,256}$")


def _tag_exclusions(ctx: RuleContext, responder, where: tuple) -> list[Problem]:
    """Tags are excluded in the event rule, on the finding's resources: only Security Hub's findings
    carry them as a map (GuardDuty's are a list of key/value pairs, which a pattern cannot exclude;
    Config's compliance changes carry none)."""
    tags = responder.exclude.tags
    if not tags:
        return []
    if responder.source != "securityhub":
        why = (
            "GuardDuty findings list tags as key/value pairs, which an event pattern cannot exclude "
            "(use source: securityhub, where GuardDuty's findings arrive too)"
            if responder.source == "guardduty"
            else "Config compliance changes carry no tags"
        )
        return [ctx.problem(where, f"tag exclusions work on Security Hub findings only: {why}", "responders")]
    out = []
    if len(tags) > MAX_EXCLUDED_TAGS:
        out.append(
            ctx.problem(
                where,
                f"{len(tags)} tags excluded; at most {MAX_EXCLUDED_TAGS} (the event pattern has a branch per combination)",
                "responders",
            )
        )
    for key, value in tags.items():
        if not _TAG_KEY.match(key) or key.lower().startswith("aws:"):
            out.append(
                ctx.problem(
                    (*where, key),
                    f"{key!r} is not a tag key AWS accepts (1-128 letters, digits, spaces and _.:/=+-@; not aws:)",
                    "responders",
                )
            )
        elif not _TAG_VALUE.match(value):
            out.append(
                ctx.problem(
                    (*where, key),
                    f"{value!r} is not a tag value AWS accepts (0-256 letters, digits, spaces and _.:/=+-@)",
                    "responders",
                )
            )
    return out


RULES = [remediations, responders]
