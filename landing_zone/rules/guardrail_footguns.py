"""Guardrail settings that validate but lock the organization out of itself (issue 23 A.6).

- `LZ-DENY-ALL` without targets would go to its catalog default, the root: every member account locked.
- A deny-all (the catalog's or a custom SCP denying '*' on '*') on the root or reaching the core OU
  locks the log archive and audit accounts, which keep the organization's evidence and security tooling.
- An exclusion equal to a target leaves the control with nothing to attach to there.
"""

from __future__ import annotations

from ..config.problems import Problem
from ..guardrails.targets import Target
from ..guardrails.templates import TemplateError
from .account_factory import denies_everything
from .context import RuleContext
from .guardrails import _settings

DENY_ALL = "LZ-DENY-ALL"


def deny_all_targets(ctx: RuleContext) -> list[Problem]:
    """LZ-DENY-ALL is on only where it is aimed, and no deny-all reaches the root or the core OU."""
    out = []
    setting = ctx.env.guardrails.controls.get(DENY_ALL)
    untargeted = setting is not None and setting.enabled and setting.ous is None and setting.accounts is None
    if untargeted:
        out.append(
            ctx.problem(
                ("guardrails", "controls", DENY_ALL),
                f"{DENY_ALL} needs targets: without ous or accounts it would attach to the root and lock every member "
                f"account; aim it at the OU of accounts on their way out, such as {{ous: [Suspended]}}",
                "deny_all_targets",
            )
        )
    try:
        enabled = ctx.enabled_controls
    except TemplateError:
        return out  # its own rule reports it
    security = ctx.env.core.security_ou
    core_accounts = {a.name for a in ctx.tree.subtree_accounts(security)} if security in ctx.tree.nodes else set()
    core_accounts |= {ctx.env.core.log_archive_account, ctx.env.core.audit_account}
    for control in enabled:
        if not control.control.preventive or not any(denies_everything(s) for s in control.statements):
            continue
        if control.id == DENY_ALL and untargeted:
            continue
        where = control.yaml_path or ("guardrails",)
        if Target("root") in control.targets:
            out.append(
                ctx.problem(
                    where,
                    f"{control.id} denies every action and is attached to the root: it would lock every member "
                    "account; attach it only to the OUs or accounts that must stop (such as Suspended)",
                    "deny_all_targets",
                )
            )
            continue
        locked = sorted(core_accounts & control.covered)
        if locked:
            out.append(
                ctx.problem(
                    where,
                    f"{control.id} denies every action and reaches the core OU {security!r} "
                    f"(accounts {', '.join(locked)}): the log archive and audit accounts would stop working; "
                    "exclude them or aim it elsewhere",
                    "deny_all_targets",
                )
            )
    return out


def exclusion_equals_target(ctx: RuleContext) -> list[Problem]:
    """An OU or account both targeted and excluded by the same control."""
    out = []
    for where, s, _control in _settings(ctx):
        for target_key, exclude_key, kind in (("ous", "exclude_ous", "OU"), ("accounts", "exclude_accounts", "account")):
            targets = set(getattr(s, target_key) or ())
            for i, value in enumerate(getattr(s, exclude_key)):
                if value in targets:
                    out.append(
                        ctx.problem(
                            (*where, exclude_key, i),
                            f"{kind} {value!r} is both a target and excluded: the control would attach nowhere there; "
                            f"remove it from {target_key}, or exclude something below it",
                            "exclusion_equals_target",
                        )
                    )
    return out


RULES = [deny_all_targets, exclusion_equals_target]
