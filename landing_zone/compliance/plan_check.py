"""`lz check-plan`: a workload team's plan against the guardrails that reach its account.

Detective controls run the local evaluator's checks (evaluator/rules.py) on
the planned values; preventive ones go through the SCP simulator with the
create and update calls the plan implies (plan_calls.py). Every policy
document the plan sets (role trust and inline policies, bucket, key and
topic policies, SCPs) goes through the offline policy validator
(policy_reference): an error there blocks the plan like a violation, since a
statement that names an action AWS does not have protects or grants nothing.
The plan is read and checked by the caller (review.plan_input, as
`lz plan-review` does).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..facts import Facts
from ..guardrails.simulator import Decision, account_id, effective_policies, evaluate
from ..policy_reference.synthesized import POLICY_ATTRIBUTES
from ..policy_reference.validator import Finding, validate_policy
from ..render import Document, render
from .evaluator.planned import PLANNED, normalized, planned_resources
from .evaluator.rules import NON_COMPLIANT, RULES
from .plan_calls import requests_for

BLOCKED = 3


class CheckPlanError(ValueError):
    """Bad input (unknown account); a message for people (exit 2)."""


@dataclass(frozen=True)
class Violation:
    control_id: str
    behaviour: str  # detective | preventive
    address: str
    reason: str


@dataclass
class PlanCheck:
    account: str
    region: str
    principal: str
    violations: list[Violation] = field(default_factory=list)
    detective: list[str] = field(default_factory=list)  # control ids evaluated on the plan
    detective_unanswered: list[str] = field(default_factory=list)  # reaching controls a plan cannot answer
    preventive: list[str] = field(default_factory=list)
    evaluations: int = 0
    simulated: int = 0
    not_simulated: dict[str, int] = field(default_factory=dict)  # terraform type -> changes not simulated
    policy_findings: list[Finding] = field(default_factory=list)  # owner: the resource address and attribute
    policies_checked: int = 0

    @property
    def policy_errors(self) -> list[Finding]:
        return [f for f in self.policy_findings if f.severity == "error"]

    @property
    def blocked(self) -> bool:
        return bool(self.violations or self.policy_errors)

    def summary_line(self) -> str:
        verdict = f"{len(self.violations)} violation(s)" if self.violations else "no violation"
        if self.policy_errors:
            verdict += f", {len(self.policy_errors)} policy error(s)"
        return (
            f"lz check-plan: {verdict} in account {self.account}: {self.evaluations} detective evaluation(s) by "
            f"{len(self.detective)} control(s), {self.simulated} call(s) simulated against {len(self.preventive)} SCP control(s), "
            f"{self.policies_checked} policy document(s) validated"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "account": self.account,
            "region": self.region,
            "principal": self.principal,
            "blocked": self.blocked,
            "violations": [v.__dict__ for v in self.violations],
            "detective_controls": self.detective,
            "detective_controls_not_answerable_from_a_plan": self.detective_unanswered,
            "preventive_controls": self.preventive,
            "evaluations": self.evaluations,
            "calls_simulated": self.simulated,
            "not_simulated": self.not_simulated,
            "policies_checked": self.policies_checked,
            "policy_findings": [f.as_dict() for f in self.policy_findings],
        }


def _plan_region(plan: dict) -> str | None:
    providers = (plan.get("configuration") or {}).get("provider_config") or {}
    aws = providers.get("aws") or {}
    region = ((aws.get("expressions") or {}).get("region") or {}).get("constant_value")
    return region if isinstance(region, str) else None


def reaching(facts: Facts, account: str) -> list:
    management = facts.env.organization.management_account.name
    return [c for c in facts.enabled_controls if account in c.covered or (account == management and c.includes_management)]


def check_plan(facts: Facts, account: str, plan: dict, *, region: str | None = None, principal: str | None = None) -> PlanCheck:
    known = sorted([*facts.tree.accounts_by_name, facts.env.organization.management_account.name])
    if account not in known:
        raise CheckPlanError(f"--account {account!r} is not an account of the environment (known: {', '.join(known)})")
    region = region or _plan_region(plan) or facts.env.organization.home_region
    number = account_id(facts.guardrail_plan, account)
    principal = principal or f"arn:aws:iam::{number}:role/workload-deployer"
    result = PlanCheck(account, region, principal)
    resources = planned_resources(plan)
    controls = reaching(facts, account)
    for control in controls:
        rule = control.config_rule
        if control.control.preventive or rule is None:
            continue
        if rule.source_identifier not in PLANNED:
            result.detective_unanswered.append(control.id)
            continue
        result.detective.append(control.id)
        for item in normalized(rule.source_identifier, resources):
            if not item.get("changing"):
                continue  # a resource the plan leaves alone is Config's to report
            result.evaluations += 1
            verdict = RULES[rule.source_identifier].check(item, rule.input_parameters)
            if verdict.status == NON_COMPLIANT:
                result.violations.append(Violation(control.id, "detective", item["id"], verdict.reason))
    result.preventive = [c.id for c in controls if c.control.preventive]
    management = account == facts.env.organization.management_account.name
    levels = [] if management else effective_policies(facts.guardrail_plan, account)  # once, not per call
    for resource in resources:
        if not resource.changing:
            continue
        requests = requests_for(resource.type, resource.actions, resource.values, number, region, principal)
        if requests is None:
            result.not_simulated[resource.type] = result.not_simulated.get(resource.type, 0) + 1
            continue
        for request in requests:
            result.simulated += 1
            decision = Decision(True, "SCPs do not restrict the management account") if management else evaluate(levels, request)
            if not decision.allowed:
                controls_named = ", ".join(decision.control_ids) or decision.sid or "SCP"
                where = f" in SCP {decision.policy} attached to {decision.target.label}" if decision.target else ""
                result.violations.append(
                    Violation(
                        controls_named,
                        "preventive",
                        resource.address,
                        f"{request.action} on {request.resource} would be denied ({decision.reason}{where})",
                    )
                )
    _validate_policies(resources, result)
    return result


def _validate_policies(resources: list, result: PlanCheck) -> None:
    """The policy documents the plan sets; values known only at apply time are absent from the plan."""
    for resource in resources:
        if not resource.changing:
            continue
        for attribute, kind in POLICY_ATTRIBUTES.get(resource.type, ()):
            text = resource.values.get(attribute)
            if not isinstance(text, str) or not text.lstrip().startswith("{"):
                continue
            if resource.type == "aws_organizations_policy" and resource.values.get("type", "SERVICE_CONTROL_POLICY") != (
                "SERVICE_CONTROL_POLICY"
            ):
                continue
            try:
                document = json.loads(text)
            except ValueError:
                result.policy_findings.append(
                    Finding("error", "POLICY_NOT_JSON", "the policy is not valid JSON", f"{resource.address}.{attribute}")
                )
                continue
            result.policies_checked += 1
            result.policy_findings.extend(validate_policy(document, kind, f"{resource.address}.{attribute}"))


def check_document(result: PlanCheck) -> Document:
    doc = Document().heading(f"check-plan: account {result.account} ({result.region})")
    if result.violations:
        doc.paragraph(f"BLOCKED: {len(result.violations)} violation(s) of the guardrails that reach this account.")
        doc.table(
            ("control", "kind", "resource", "reason"),
            [(v.control_id, v.behaviour, v.address, v.reason) for v in result.violations],
        )
    else:
        doc.paragraph("No violation of the guardrails that reach this account.")
    if result.policy_findings:
        errors = len(result.policy_errors)
        doc.paragraph(
            f"Policy documents: {errors} error(s) (BLOCKED), {len(result.policy_findings) - errors} warning(s)"
            if errors
            else f"Policy documents: {len(result.policy_findings)} warning(s)"
        )
        doc.table(
            ("severity", "policy", "statement", "finding"),
            [
                (f.severity, f.owner, f"{f.statement + 1}{f' ({f.sid})' if f.sid else ''}", f.message)
                for f in result.policy_findings
            ],
        )
    notes = [
        f"{result.evaluations} detective evaluation(s) by {', '.join(result.detective) or 'no control'}",
        f"{result.simulated} API call(s) simulated as {result.principal} against {len(result.preventive)} preventive control(s)",
    ]
    notes.append(f"{result.policies_checked} policy document(s) validated against the Service Authorization Reference")
    if result.detective_unanswered:
        notes.append(f"not answerable from a plan (Config evaluates them): {', '.join(result.detective_unanswered)}")
    if result.not_simulated:
        notes.append(
            "changes of types with no known API calls, not simulated: "
            + ", ".join(f"{t} ({n})" for t, n in sorted(result.not_simulated.items()))
        )
    return doc.bullets(notes)


def render_check(result: PlanCheck, fmt: str) -> str:
    return render(check_document(result), fmt, data=result.as_dict())
