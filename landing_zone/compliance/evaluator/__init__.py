"""A local evaluator of the catalog's detective controls.

Config on the local API stores rules but never evaluates them, and on real
accounts an independent cross-check is worth having: `evaluate_account`
reads one account's resources through the AWS APIs (collect.py) and runs the
check of each control's managed rule (rules.py) on them; `lz check-plan`
runs the same checks on a plan's planned values (planned.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Iterable, Mapping

from .collect import COLLECTORS, GLOBAL_KINDS
from .rules import NON_COMPLIANT, RULES, Rule, Status, Verdict


@dataclass(frozen=True)
class RuleRun:
    """One control to evaluate: its id, its managed rule and the rule's input parameters."""

    control_id: str
    identifier: str
    parameters: Mapping[str, str] = field(default_factory=dict)
    home_only: bool = False


@dataclass(frozen=True)
class Evaluation:
    """One control's verdict on one resource."""

    control_id: str
    rule: str
    account: str
    region: str
    resource_type: str
    resource: str
    status: Status
    reason: str
    evidence: Mapping[str, Any] = field(default_factory=dict)

    @property
    def violation(self) -> bool:
        return self.status == NON_COMPLIANT

    def as_dict(self) -> dict:
        return asdict(self)


def implemented(identifier: str) -> bool:
    return identifier in RULES


def check(identifier: str, resource: Mapping[str, Any], parameters: Mapping[str, str] | None = None) -> Verdict:
    """The verdict of one managed rule on one normalized resource."""
    return RULES[identifier].check(resource, parameters or {})


def runs_for(controls: Iterable[Any]) -> list[RuleRun]:
    """RuleRuns for enabled detective controls (guardrails.enabled.EnabledControl) whose rule is implemented."""
    out = []
    for control in controls:
        rule = control.config_rule
        if rule is None or rule.source_identifier not in RULES:
            continue
        out.append(
            RuleRun(
                control.id, rule.source_identifier, dict(rule.input_parameters), control.control.config_rule.regions == "home"
            )
        )
    return out


def evaluate_resources(run: RuleRun, resources: Iterable[Mapping[str, Any]], account: str, region: str) -> list[Evaluation]:
    rule: Rule = RULES[run.identifier]
    out = []
    for resource in resources:
        verdict = rule.check(resource, run.parameters)
        out.append(
            Evaluation(
                run.control_id,
                run.identifier,
                account,
                region,
                str(resource.get("type", "")),
                str(resource["id"]),
                verdict.status,
                verdict.reason,
                dict(resource.get("evidence") or {}),
            )
        )
    return out


def _in_region(client: Callable[[str, str], Any], region: str) -> Callable[[str], Any]:
    return lambda service: client(service, region)


def evaluate_account(
    client: Callable[[str, str], Any],
    account_id: str,
    regions: Iterable[str],
    runs: Iterable[RuleRun],
    home_region: str,
) -> list[Evaluation]:
    """Every run on every resource of one account; `client(service, region)` is a boto3 client in that account.

    Resources are read once per kind and region; global kinds (IAM, the account) and rules evaluated in the
    home region only are read there.
    """
    runs = list(runs)
    cache: dict[tuple[str, str], list[dict]] = {}
    out: list[Evaluation] = []
    for region in regions:
        for run in runs:
            kind = RULES[run.identifier].kind
            if (kind in GLOBAL_KINDS or run.home_only) and region != home_region:
                continue
            key = (kind, region)
            if key not in cache:
                cache[key] = COLLECTORS[kind](_in_region(client, region), account_id, region)
            out += evaluate_resources(run, cache[key], account_id, region)
    return out


__all__ = ["Evaluation", "RuleRun", "RULES", "check", "evaluate_account", "evaluate_resources", "implemented", "runs_for"]
