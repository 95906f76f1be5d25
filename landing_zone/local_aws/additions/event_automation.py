"""EventBridge targets that start SSM Automation (`arn:aws:ssm:<region>:<account>:automation-definition/<name>`).

moto 5.2 stores such targets but fails on delivery (it knows logs, SQS, buses and
API destinations only). Here a matching event starts the document in the rule's own
account and region, with the target's input (`Input`, or the `InputTransformer`
applied to the event, as moto renders it for its other targets) as the execution's
parameters: each parameter a list of strings, as StartAutomationExecution takes
them. The execution runs with the local executor like one started through the API
(ssm_automation.py), so `GetAutomationExecution` follows it. A target whose
document is missing or whose parameters are refused starts nothing, as AWS drops
the invocation (it would count a FailedInvocation); the failure is kept on the
rule's backend (`automation_target_failures`) for tests to read.
"""

from __future__ import annotations

import json
from typing import Any

from ._helpers import deliver_targets, state

MARKER = ":automation-definition/"


def _parameters(target: dict, event: dict) -> dict:
    from moto.events.utils import EventTemplateParser

    if "Input" in target:
        return json.loads(target["Input"])
    transformer = target.get("InputTransformer")
    if transformer:
        return EventTemplateParser.parse(
            input_template=transformer.get("InputTemplate"),
            input_paths_map=transformer.get("InputPathsMap", {}),
            event=event,  # type: ignore[arg-type]  # moto's TypedDict; the event it delivers is one
        )
    return {}


def _start(rule: Any, target: dict, event: dict) -> None:
    from moto.events.models import events_backends

    from .ssm_automation import start_execution

    arn = target["Arn"]
    _, _, _, region, account, resource = arn.split(":", 5)
    name = resource.split("/", 1)[1].split(":", 1)[0]  # a version suffix (:$DEFAULT, :1) is the default here
    try:
        start_execution(account, region, name, _parameters(target, event), "events")
    except Exception as exc:  # noqa: BLE001  # AWS drops a failed invocation; keep it for tests
        failures = state(events_backends[rule.account_id][rule.region_name], "automation_target_failures")
        failures.setdefault(rule.name, []).append(f"{type(exc).__name__}: {exc}")


def install() -> None:
    deliver_targets("_lz_automation", lambda target: MARKER in target["Arn"], _start)
