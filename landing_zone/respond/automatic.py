"""Automatic responders (`mode: automatic`) as data: where the event's resource goes, what EventBridge
starts, and what the role it starts it with may do. Pure Python (the account stacks synthesize it;
tests and the local API's EventBridge run it).

An automatic responder runs in each account it reaches, not in the audit account:
- AWS emits the events there too (Config compliance changes in the account that records them,
  GuardDuty findings in the member as well as in the administrator);
- the account's remediation role trusts SSM only for automations of its own account
  (`aws:SourceAccount`), so the automation must start there;
- an EventBridge SSM Automation target names a document of the rule's own account, so each
  account (other than the audit account, which owns them) holds its own copy of the runbooks
  its automatic responders run.

So each account stack gets, per governed region, the runbook document, a rule with the
responder's pattern on the default bus and a target that starts the runbook as the remediation
role; EventBridge assumes the account's responder-events role, which may start those documents
and pass the remediation role to SSM, and nothing else.

The event's resource fills the runbook's one required parameter through an input transformer.
Security Hub names resources by ARN, which no runbook takes, so automatic responders are on
`config` or `guardduty`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable, Mapping

from ..config.models import Responder
from .runbooks import ASSUME_ROLE_PARAMETER, Runbook, load_runbooks

AUTOMATIC_SOURCES = ("config", "guardduty")
EVENTS_ROLE = "responder-events"
"""Purpose of the role EventBridge assumes to start automatic responders' runbooks (naming.role)."""

# The event field that holds the resource, per source and runbook parameter.
_GUARDDUTY_PATHS = {
    "InstanceId": "$.detail.resource.instanceDetails.instanceId",
}
_CONFIG_PATH = "$.detail.resourceId"


def resource_parameter(runbook: Runbook, fixed: Mapping[str, str] = {}) -> str | None:
    """The runbook's one required parameter (besides the assume role) that `fixed` leaves open, else None."""
    required = [p.name for p in runbook.user_parameters().values() if p.required and p.name not in fixed]
    return required[0] if len(required) == 1 else None


def resource_path(responder: Responder, runbook: Runbook) -> tuple[str, str] | None:
    """(parameter, JSONPath of the event field that fills it), or None when the event cannot fill it."""
    parameter = resource_parameter(runbook, responder.parameters)
    if parameter is None:
        return None
    if responder.source == "config":
        return parameter, _CONFIG_PATH
    if responder.source == "guardduty" and parameter in _GUARDDUTY_PATHS:
        return parameter, _GUARDDUTY_PATHS[parameter]
    return None


def problem(responder: Responder, runbook: Runbook | None) -> str | None:
    """Why this responder cannot run automatically (None when it can)."""
    if responder.source not in AUTOMATIC_SOURCES:
        return (
            f"automatic responders run on {' or '.join(AUTOMATIC_SOURCES)} events; {responder.source} names resources "
            "by ARN, which the runbooks do not take (use mode custom_action or notify)"
        )
    if responder.source == "config" and not responder.match.control_ids:
        return "an automatic responder on config must name its controls (match.control_ids): it fixes one kind of resource"
    if runbook is None:
        return None  # the unknown runbook is reported on its own
    declared = runbook.user_parameters()
    unknown = sorted(set(responder.parameters) - set(declared))
    if unknown:
        return f"runbook {runbook.name} does not declare {', '.join(unknown)} (it takes: {', '.join(declared)})"
    parameter = resource_parameter(runbook, responder.parameters)
    if parameter is None:
        required = [p.name for p in declared.values() if p.required and p.name not in responder.parameters]
        return (
            f"runbook {runbook.name} leaves {len(required)} required parameters open ({', '.join(required) or 'none'}); "
            "the event's resource fills exactly one: give the others in parameters"
        )
    if resource_path(responder, runbook) is None:
        return (
            f"a {responder.source} finding does not carry {parameter} for runbook {runbook.name} "
            f"(guardduty fills: {', '.join(sorted(_GUARDDUTY_PATHS))})"
        )
    return None


@dataclass(frozen=True)
class AutomaticTarget:
    """What EventBridge passes to StartAutomationExecution for one automatic responder."""

    parameter: str
    path: str
    remediation_role_arn: str
    fixed: tuple[tuple[str, str], ...] = ()
    """Other parameters, fixed by the responder."""

    @property
    def input_paths(self) -> dict[str, str]:
        return {"resource": self.path}

    @property
    def input_template(self) -> str:
        """Automation parameters (name -> list of strings); `"<resource>"` becomes the event's value
        (a string placeholder in quotes, as both AWS and the local API insert it)."""
        return (
            "{"
            + f'{json.dumps(self.parameter)}: ["<resource>"], '
            + "".join(f"{json.dumps(k)}: [{json.dumps(v)}], " for k, v in self.fixed)
            + f"{json.dumps(ASSUME_ROLE_PARAMETER)}: [{json.dumps(self.remediation_role_arn)}]"
            + "}"
        )


@dataclass(frozen=True)
class AutomaticResponder:
    """One automatic responder as it runs in an account."""

    name: str
    pattern: str
    """The event pattern (JSON), as routing.py builds it."""
    runbook: Runbook
    parameter: str
    """The runbook parameter the event's resource fills."""
    path: str
    """JSONPath of the event field that holds the resource."""
    parameters: tuple[tuple[str, str], ...] = ()
    """Other parameters, fixed by the responder (default none)."""


def automatic_responders(responders: Iterable[Responder], rule_names: Mapping[str, str]) -> list[AutomaticResponder]:
    """The automatic responders of an account (`ResponsePlan.automatic_in`), ready to deploy.
    `rule_names`: control id -> its Config rule's name. Responders the rules refuse are left out."""
    from .routing import compact, responder_pattern

    runbooks = load_runbooks()
    out = []
    for responder in responders:
        runbook = runbooks.get(responder.action)
        where = resource_path(responder, runbook) if runbook is not None else None
        if runbook is None or where is None or problem(responder, runbook) is not None:
            continue
        pattern = compact(responder_pattern(responder, dict(rule_names), []))
        out.append(AutomaticResponder(responder.name, pattern, runbook, *where, tuple(sorted(responder.parameters.items()))))
    return out


def automation_definition_arn(region: str, account_id: str, document: str) -> str:
    """The EventBridge target of a runbook: its automation definition in the rule's own account."""
    return f"arn:aws:ssm:{region}:{account_id}:automation-definition/{document}"


def events_role_statements(account_id: str, runbooks: list[str], remediation_role_arn: str) -> list[dict]:
    """EventBridge may start these runbooks (any version, any region of this account) as the remediation role."""
    definitions = [f"arn:aws:ssm:*:{account_id}:automation-definition/{name}" for name in sorted(runbooks)]
    return [
        {
            "Sid": "StartAutomaticResponders",
            "Effect": "Allow",
            "Action": "ssm:StartAutomationExecution",
            "Resource": definitions + [f"{d}:*" for d in definitions],
        },
        {
            "Sid": "PassRemediationRole",
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": remediation_role_arn,
            "Condition": {"StringEquals": {"iam:PassedToService": "ssm.amazonaws.com"}},
        },
    ]
