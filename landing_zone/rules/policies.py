"""Rules on the policies an environment file writes itself: every action,
condition key and resource of its custom SCPs and permission-set inline
policies, checked offline against AWS's Service Authorization Reference
(landing_zone/policy_reference). Errors stop validation; warnings do not.

Shape problems (a missing Effect, a Principal in an SCP, an unknown operator)
are reported by the section's own rules; these rules report what only the
reference can tell: actions, keys and resources AWS does not have.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..config.problems import Problem
from ..guardrails.enabled import environment_values
from ..guardrails.templates import TemplateError, render
from ..identity.policy import PolicyError, policy_document
from ..policy_reference.validator import Finding, validate_policy
from .context import RuleContext

# Reported by custom_scp_statements / identity_inline_policies already.
_SHAPE = {"MALFORMED_STATEMENT", "MALFORMED_ACTION", "UNKNOWN_OPERATOR", "SCP_PRINCIPAL", "MALFORMED_CONDITION"}


def _problems(ctx: RuleContext, base: tuple, findings: Sequence[Finding], rule: str, in_statements: bool) -> list[Problem]:
    out = []
    for f in findings:
        if f.code in _SHAPE:
            continue
        path = base + ((f.statement,) if in_statements else ()) + tuple(f.path)
        out.append(ctx.problem(path, f"{f.message} [{f.code}]", rule, severity=f.severity))
    return out


def custom_scp_policy_reference(ctx: RuleContext, strict: bool = False) -> list[Problem]:
    """Custom SCP statements name actions, condition keys and resources that AWS has."""
    scps = ctx.env.guardrails.custom_scps
    if not scps:
        return []
    values = environment_values(ctx.env)
    out = []
    for cid, scp in scps.items():
        base = ("guardrails", "custom_scps", cid, "statements")
        for i, st in enumerate(scp.statements):
            try:
                rendered = render(dict(st), values) if isinstance(st, dict) else st
            except TemplateError:
                continue  # reported by custom_scp_statements
            findings = [
                Finding(f.severity, f.code, f.message, cid, i, f.sid, f.path)
                for f in validate_policy([rendered], "scp", cid, strict=strict)
            ]
            out += _problems(ctx, base + (i,), findings, "custom_scp_policy_reference", False)
    return out


def inline_policy_reference(ctx: RuleContext, strict: bool = False) -> list[Problem]:
    """Permission-set inline policies name actions, condition keys and resources that AWS has."""
    out = []
    for i, ps in enumerate(ctx.env.identity.permission_sets if ctx.env.identity else ()):
        if ps.inline_policy is None:
            continue
        try:
            document: Any = policy_document(ps.inline_policy)
        except PolicyError:
            continue  # reported by identity_inline_policies
        base = ("identity", "permission_sets", i, "inline_policy")
        findings = validate_policy(document, "permission_set", ps.name, strict=strict)
        as_mapping = isinstance(ps.inline_policy, dict)
        out += _problems(
            ctx,
            base + (("Statement",) if as_mapping else ()),
            findings,
            "inline_policy_reference",
            as_mapping and isinstance(document.get("Statement"), list),
        )
    return out


def policy_advice(ctx: RuleContext) -> list[Problem]:
    """`lz validate --strict`: parliament-style advice on the environment's own policies, such as `Resource: "*"`
    on an Allow whose actions can all be scoped to resources (warnings, which --strict makes errors)."""
    found = custom_scp_policy_reference(ctx, strict=True) + inline_policy_reference(ctx, strict=True)
    return [p for p in found if p.message.endswith("[RESOURCE_STAR]")]


RULES = [custom_scp_policy_reference, inline_policy_reference]
