"""The response plan of an environment: remediations per control and account, responders, and which
runbooks each account's remediation role may run. Pure Python (the stacks and the rules read it).

A control's remediation (`guardrails.controls.<id>.remediation`) deploys as an
account-level Config rule plus its remediation configuration in every account
of `GuardrailPlan.remediated_accounts` (guardrails/remediation.py); the
runbook defaults to the catalog's natural fix (`CONTROL_RUNBOOKS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from ..config.models import Environment, Responder
from ..guardrails.enabled import ConfigRule, EnabledControl
from ..guardrails.plan import GuardrailPlan
from .model import CONTROL_RUNBOOKS
from .runbooks import load_runbooks
from .waf import BLOCK_RUNBOOK, waf_accounts

if TYPE_CHECKING:
    from ..config.models import Remediation


@dataclass(frozen=True)
class ControlRemediation:
    """One control's remediation: the account-level rule and what fixes its violations."""

    control_id: str
    rule: ConfigRule
    runbook: str
    resource_parameter: str
    """The runbook parameter that receives the non-compliant resource's id."""
    parameters: tuple[tuple[str, str], ...]
    """Fixed parameter values (the catalog's, then the configured ones)."""
    automatic: bool
    max_attempts: int | None
    retry_seconds: int
    accounts: tuple[str, ...]
    """Account names holding the account rule with this remediation."""


def runbook_of(control_id: str, remediation: "Remediation") -> str | None:
    """The configured runbook, else the catalog's natural fix (None when there is none)."""
    if remediation.runbook:
        return remediation.runbook
    default = CONTROL_RUNBOOKS.get(control_id)
    return default.runbook if default else None


def resource_parameter(control_id: str, runbook: str, fixed: dict[str, str]) -> str | None:
    """Which parameter takes the resource id: the catalog's for its own runbook, else the one required
    parameter the configuration leaves open (None when that is not exactly one)."""
    default = CONTROL_RUNBOOKS.get(control_id)
    if default and default.runbook == runbook:
        return default.resource_parameter
    book = load_runbooks().get(runbook)
    if book is None:
        return None
    open_ = [p.name for p in book.user_parameters().values() if p.required and p.name not in fixed]
    return open_[0] if len(open_) == 1 else None


def _remediation(plan: GuardrailPlan, control: EnabledControl, remediation: "Remediation") -> ControlRemediation | None:
    runbook = runbook_of(control.id, remediation)
    if runbook is None or runbook not in load_runbooks() or control.config_rule is None:
        return None  # the rules report it
    default = CONTROL_RUNBOOKS.get(control.id)
    fixed = dict(default.fixed) if default and default.runbook == runbook else {}
    fixed.update(remediation.parameters)
    param = resource_parameter(control.id, runbook, fixed)
    if param is None:
        return None
    return ControlRemediation(
        control.id,
        control.config_rule,
        runbook,
        param,
        tuple(sorted(fixed.items())),
        remediation.automatic,
        remediation.max_attempts,
        remediation.retry_seconds,
        plan.remediated_accounts(control),
    )


@dataclass(frozen=True)
class ResponsePlan:
    env: Environment
    remediations: tuple[ControlRemediation, ...]
    responders: tuple[Responder, ...]
    member_accounts: tuple[str, ...]
    """Member accounts with a stack (each gets a remediation and a responder role)."""

    @cached_property
    def _members(self) -> frozenset[str]:
        return frozenset(self.member_accounts)

    @cached_property
    def _remediations_by_account(self) -> dict[str, list[ControlRemediation]]:
        """Each account's remediations, built once: asked per account, a scan of every remediation's accounts
        was quadratic in accounts (the synth asks for each of 1,000)."""
        out: dict[str, list[ControlRemediation]] = {}
        for remediation in self.remediations:
            for account in dict.fromkeys(remediation.accounts):
                out.setdefault(account, []).append(remediation)
        return out

    def remediations_in(self, account: str) -> list[ControlRemediation]:
        return list(self._remediations_by_account.get(account, ()))

    def responder_accounts(self, responder: Responder) -> tuple[str, ...]:
        return tuple(a for a in self.member_accounts if a not in responder.exclude.accounts)

    def _reaches(self, responder: Responder, account: str) -> bool:
        """`account in responder_accounts(responder)` without building the tuple of every member account."""
        return account in self._members and account not in responder.exclude.accounts

    def automatic_in(self, account: str) -> list[Responder]:
        """Automatic responders that run in an account (each runs there, on the account's own events)."""
        return [r for r in self.responders if r.mode == "automatic" and self._reaches(r, account)]

    def runbooks_in(self, account: str) -> tuple[str, ...]:
        """Runbooks enabled in an account: its remediations', the responders' that reach it, and the WAF block
        list's where the account has a web ACL (sorted)."""
        names = {r.runbook for r in self.remediations_in(account)}
        names |= {r.action for r in self.responders if self._reaches(r, account)}
        if account in waf_accounts(self.env):
            names.add(BLOCK_RUNBOOK)
        return tuple(sorted(names))

    @property
    def share_accounts(self) -> tuple[str, ...]:
        """Accounts the audit account shares the runbooks with: every member account but itself."""
        audit = self.env.core.audit_account
        return tuple(a.name for a in self.env.accounts if a.name != audit)


def response_plan(env: Environment, plan: GuardrailPlan) -> ResponsePlan:
    remediations = []
    for control in plan.detective:
        setting = env.guardrails.controls.get(control.id)
        if setting is not None and setting.remediation is not None:
            item = _remediation(plan, control, setting.remediation)
            if item is not None and item.accounts:
                remediations.append(item)
    management = env.organization.management_account.name
    members = tuple(a.name for a in env.accounts if a.name in plan.stack_accounts and a.name != management)
    return ResponsePlan(env, tuple(remediations), tuple(env.incident_response.responders), members)
