"""A local executor of SSM Automation documents (the step types the landing zone's runbooks use).

moto 5.2 stores SSM documents but cannot run them. `run_automation` runs a
schemaVersion 0.3 document step by step: `aws:executeAwsApi` and
`aws:assertAwsResourceProperty` become boto3 calls (so botocore validates each
one against its service model before it is sent), `aws:branch` and `aws:sleep`
are evaluated here. `aws:executeScript` runs the handler of an inline Python
script in this process, only when the script is one of the package's own
runbooks' (landing_zone/respond/runbooks.py: pure computation, no AWS calls):
the local API never runs code a caller sent it. Clients come from `client_for(service)`: in the moto server
(additions/ssm_automation.py) they talk to the server itself with the
AutomationAssumeRole's credentials; in unit tests they are in-process moto.

Semantics follow the Automation documentation as far as these steps go:
`{{ Name }}` references parameters, `{{ step.Output }}` earlier outputs; a
string that is exactly one reference takes the value's own type (a list stays
a list), inside longer text a list is joined with commas; an output selector
that matches nothing leaves the output empty (''); onFailure is Abort
(default), Continue or step:<name>; nextStep and isEnd as documented.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

import yaml

from ..respond.runbooks import load_runbooks, scripts

SUPPORTED = ("aws:executeAwsApi", "aws:assertAwsResourceProperty", "aws:branch", "aws:sleep", "aws:executeScript")
_REF = re.compile(r"\{\{\s*([\w:.-]+)\s*\}\}")
_ONLY_REF = re.compile(r"^\{\{\s*([\w:.-]+)\s*\}\}$")
_DURATION = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")
MAX_SLEEP = 5.0
"""Longest real pause of an aws:sleep step here (the local API has nothing to wait for)."""


class AutomationError(Exception):
    """A step failed (message as AWS would report it in FailureMessage)."""


def api_values(value: Any) -> list[str]:
    """An output as the API reports it (a list of strings): a MapList's maps as JSON text, as AWS shows them."""
    items = value if isinstance(value, list) else [value]
    return [
        item if isinstance(item, str) else json.dumps(item, default=str) if isinstance(item, dict) else str(item)
        for item in items
    ]


@dataclass
class StepRecord:
    name: str
    action: str
    status: str = "Pending"
    outputs: dict = field(default_factory=dict)
    failure: str = ""
    start: datetime | None = None
    end: datetime | None = None

    def api(self) -> dict:
        out: dict[str, Any] = {
            "StepName": self.name,
            "Action": self.action,
            "StepStatus": self.status,
            "Outputs": {k: api_values(v) for k, v in self.outputs.items()},
        }
        if self.failure:
            out["FailureMessage"] = self.failure
        if self.start:
            out["ExecutionStartTime"] = self.start.timestamp()
        if self.end:
            out["ExecutionEndTime"] = self.end.timestamp()
        return out


@dataclass
class Execution:
    """One automation execution: its status and the record of each step run so far."""

    execution_id: str
    document_name: str
    parameters: dict
    status: str = "Pending"
    steps: list[StepRecord] = field(default_factory=list)
    failure: str = ""
    outputs: dict = field(default_factory=dict)
    start: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    end: datetime | None = None

    def api(self) -> dict:
        out = {
            "AutomationExecutionId": self.execution_id,
            "DocumentName": self.document_name,
            "DocumentVersion": "1",
            "AutomationExecutionStatus": self.status,
            "ExecutionStartTime": self.start.timestamp(),
            "Parameters": {k: v if isinstance(v, list) else [str(v)] for k, v in self.parameters.items()},
            "Outputs": self.outputs,
            "StepExecutions": [s.api() for s in self.steps],
            "Mode": "Auto",
        }
        if self.end:
            out["ExecutionEndTime"] = self.end.timestamp()
        if self.failure:
            out["FailureMessage"] = self.failure
        return out


# -- parameters -------------------------------------------------------------


def _coerce(name: str, kind: str, value: Any) -> Any:
    if kind == "StringList":
        return [str(v) for v in value] if isinstance(value, list) else [v for v in str(value).split(",") if v]
    if isinstance(value, list):
        if len(value) != 1:
            raise AutomationError(f"parameter {name} takes one value, got {len(value)}")
        value = value[0]
    if kind == "Integer":
        try:
            return int(value)
        except (TypeError, ValueError):
            raise AutomationError(f"parameter {name}: {value!r} is not an Integer") from None
    if kind == "Boolean":
        return value if isinstance(value, bool) else str(value).lower() == "true"
    return value if kind in ("StringMap", "MapList") else str(value)


def resolve_parameters(document: dict, given: dict[str, Any]) -> dict[str, Any]:
    """The execution's parameters: given values (lists of strings, as the API takes them) typed,
    defaults filled in, required ones present, allowed values and patterns respected."""
    specs = document.get("parameters") or {}
    unknown = sorted(set(given) - set(specs))
    if unknown:
        raise AutomationError(f"parameters not declared by the document: {', '.join(unknown)} (declared: {', '.join(specs)})")
    out = {}
    for name, spec in specs.items():
        if name in given:
            value = _coerce(name, spec["type"], given[name])
        elif "default" in spec:
            value = spec["default"]
        else:
            raise AutomationError(f"parameter {name} is required")
        allowed = spec.get("allowedValues")
        for item in value if isinstance(value, list) else [value]:
            if allowed and item not in allowed and str(item) not in map(str, allowed):
                raise AutomationError(f"parameter {name}: {item!r} is not one of {allowed}")
            if spec.get("allowedPattern") and not re.match(spec["allowedPattern"], str(item)):
                raise AutomationError(f"parameter {name}: {item!r} does not match {spec['allowedPattern']}")
        out[name] = value
    return out


# -- values and selectors ---------------------------------------------------


def render(value: Any, variables: dict[str, Any]) -> Any:
    """`value` with every {{ reference }} replaced (see the module's notes)."""
    if isinstance(value, dict):
        return {k: render(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [render(v, variables) for v in value]
    if not isinstance(value, str):
        return value

    def lookup(name: str) -> Any:
        if name not in variables:
            raise AutomationError(f"{{{{ {name} }}}} is not defined")
        return variables[name]

    if match := _ONLY_REF.match(value.strip()):
        return lookup(match[1])
    return _REF.sub(lambda m: ",".join(map(str, v)) if isinstance(v := lookup(m[1]), list) else str(v), value)


_TOKEN = re.compile(r"\.\.(\w+)|\.(\w+)|\[(\d+)\]")


def select(data: Any, selector: str) -> list:
    """Values at a JSONPath selector ($, .key, [n], ..key): every match, in document order."""
    if not selector.startswith("$"):
        raise AutomationError(f"selector {selector!r} does not start with '$'")
    nodes, rest = [data], selector[1:]
    while rest:
        match = _TOKEN.match(rest)
        if not match:
            raise AutomationError(f"selector {selector!r} is not supported here ($, .key, [n], ..key)")
        rest = rest[match.end() :]
        deep, key, index = match.groups()
        if deep:
            nodes = [found for node in nodes for found in _descend(node, deep)]
        elif key:
            nodes = [n[key] if isinstance(n, dict) and key in n else None for n in nodes]
            nodes = [n for n in nodes if n is not None]
        else:
            i = int(index)
            nodes = [n[i] for n in nodes if isinstance(n, list) and i < len(n)]
    return nodes


def _descend(node: Any, key: str) -> list:
    found = []
    if isinstance(node, dict):
        if key in node:
            found.append(node[key])
        for value in node.values():
            found.extend(_descend(value, key))
    elif isinstance(node, list):
        for item in node:
            found.extend(_descend(item, key))
    return found


def _typed(values: list, kind: str) -> Any:
    if kind in ("StringList", "MapList"):
        flat = [x for v in values for x in (v if isinstance(v, list) else [v])]
        return [str(x) if kind == "StringList" else x for x in flat]
    if not values:
        return ""
    value = values[0]
    if kind == "Integer":
        return int(value)
    if kind == "Boolean":
        return bool(value)
    return value if kind == "StringMap" else str(value)


# -- steps ------------------------------------------------------------------


def _call(client_for: Callable[[str], Any], inputs: dict, skip: tuple[str, ...] = ()) -> dict:
    service, api = inputs["Service"], inputs["Api"]
    kwargs = {k: v for k, v in inputs.items() if k not in ("Service", "Api") + skip}
    client = client_for(service)
    name = next((m for m, a in client.meta.method_to_api_mapping.items() if a == api), None)
    if name is None:
        raise AutomationError(f"{service} has no API {api}")
    try:
        response = getattr(client, name)(**kwargs)
    except Exception as exc:  # botocore's ParamValidationError or the service's ClientError, as AWS reports them
        raise AutomationError(f"{service}.{api} failed: {exc}") from None
    response.pop("ResponseMetadata", None)
    return response


def _script(inputs: dict) -> dict:
    """Run a package runbook's script as AWS does: handler(InputPayload, context); its return value is `Payload`."""
    script = inputs.get("Script")
    if script not in scripts(load_runbooks()):
        raise AutomationError("aws:executeScript runs here only the scripts of the landing zone's own runbooks")
    namespace: dict[str, Any] = {"__name__": "lz_runbook_script"}
    try:
        exec(compile(script, "<aws:executeScript>", "exec"), namespace)  # noqa: S102  # the package's own code (checked above)
        payload = namespace[inputs["Handler"]](inputs.get("InputPayload") or {}, None)
    except Exception as exc:  # the script's own error, as AWS reports it
        raise AutomationError(f"the script failed: {type(exc).__name__}: {exc}") from None
    return {"Payload": payload}


def _outputs(step: dict, record: StepRecord, variables: dict, response: dict) -> None:
    for output in step.get("outputs") or ():
        value = _typed(select(response, output["Selector"]), output.get("Type", "String"))
        record.outputs[output["Name"]] = value
        variables[f"{step['name']}.{output['Name']}"] = value


def _branch(inputs: dict, variables: dict) -> str:
    for choice in inputs.get("Choices", ()):
        if _choose(render(choice, variables)):
            return choice["NextStep"]
    if "Default" not in inputs:
        raise AutomationError("no choice matched and the branch has no Default")
    return inputs["Default"]


_OPERATORS = {
    "StringEquals": lambda v, x: str(v) == str(x),
    "EqualsIgnoreCase": lambda v, x: str(v).lower() == str(x).lower(),
    "StartsWith": lambda v, x: str(v).startswith(str(x)),
    "EndsWith": lambda v, x: str(v).endswith(str(x)),
    "Contains": lambda v, x: (x in v) if isinstance(v, list) else str(x) in str(v),
    "NumericEquals": lambda v, x: float(v) == float(x),
    "NumericGreater": lambda v, x: float(v) > float(x),
    "NumericLesser": lambda v, x: float(v) < float(x),
    "NumericGreaterOrEquals": lambda v, x: float(v) >= float(x),
    "NumericLesserOrEquals": lambda v, x: float(v) <= float(x),
    "BooleanEquals": lambda v, x: str(v).lower() == str(x).lower(),
}


def _choose(choice: dict) -> bool:
    if "And" in choice:
        return all(_choose(c) for c in choice["And"])
    if "Or" in choice:
        return any(_choose(c) for c in choice["Or"])
    if "Not" in choice:
        return not _choose(choice["Not"])
    for op, test in _OPERATORS.items():
        if op in choice:
            return test(choice.get("Variable", ""), choice[op])
    raise AutomationError(f"choice without a supported operator: {sorted(choice)}")


def _sleep(inputs: dict) -> None:
    match = _DURATION.match(str(inputs.get("Duration", "PT0S")))
    if not match:
        raise AutomationError(f"Duration {inputs.get('Duration')!r} is not ISO 8601 (PT#H#M#S)")
    hours, minutes, seconds = (int(x or 0) for x in match.groups())
    time.sleep(min(hours * 3600 + minutes * 60 + seconds, MAX_SLEEP))


def _run_step(step: dict, record: StepRecord, variables: dict, client_for) -> str | None:
    """Runs one step; returns the next step's name chosen by a branch, else None."""
    inputs = render(step.get("inputs") or {}, variables)
    action = step["action"]
    if action == "aws:executeAwsApi":
        _outputs(step, record, variables, _call(client_for, inputs))
    elif action == "aws:executeScript":
        _outputs(step, record, variables, _script(inputs))
    elif action == "aws:assertAwsResourceProperty":
        response = _call(client_for, inputs, skip=("PropertySelector", "DesiredValues"))
        found = select(response, inputs["PropertySelector"])
        actual = [str(v) for v in found]
        desired = [str(v) for v in inputs["DesiredValues"]]
        if not actual or any(v not in desired for v in actual):
            raise AutomationError(f"The value of {inputs['PropertySelector']} is {actual or 'missing'}, not one of {desired}")
    elif action == "aws:branch":
        return _branch(inputs, variables)
    elif action == "aws:sleep":
        _sleep(inputs)
    else:
        raise AutomationError(f"action {action} is not supported by the local executor (supported: {', '.join(SUPPORTED)})")
    return None


def run_automation(
    execution: Execution, document: dict, client_for: Callable[[str], Any], *, account_id: str, region: str
) -> Execution:
    """Run `document` to its end, recording each step on `execution` (which others may read meanwhile)."""
    execution.status = "InProgress"
    variables = dict(execution.parameters)
    variables.update(
        {"automation:EXECUTION_ID": execution.execution_id, "global:ACCOUNT_ID": account_id, "global:REGION": region}
    )
    steps = document["mainSteps"]
    index = {s["name"]: i for i, s in enumerate(steps)}
    i: int | None = 0
    while i is not None and i < len(steps):
        step = steps[i]
        record = StepRecord(step["name"], step["action"], "InProgress", start=datetime.now(timezone.utc))
        execution.steps.append(record)
        following: int | None = i + 1
        try:
            chosen = _run_step(step, record, variables, client_for)
            record.status = "Success"
            if chosen is not None:
                following = index[chosen]
            elif step.get("isEnd"):
                following = None
            elif step.get("nextStep"):
                following = index[step["nextStep"]]
        except AutomationError as exc:
            record.status, record.failure = "Failed", str(exc)
            on_failure = step.get("onFailure", "Abort")
            if on_failure == "Continue":
                pass
            elif on_failure.startswith("step:"):
                following = index[on_failure[5:]]
            else:
                execution.status, execution.failure = "Failed", f"Step {step['name']} failed: {exc}"
                following = None
        finally:
            record.end = datetime.now(timezone.utc)
        i = following
    if execution.status != "Failed":
        execution.status = "Success"
    execution.outputs = {f"{s.name}.{k}": api_values(v) for s in execution.steps for k, v in s.outputs.items()}
    execution.end = datetime.now(timezone.utc)
    return execution


def parse_document(content: str) -> dict:
    document = yaml.safe_load(content)
    if not isinstance(document, dict) or str(document.get("schemaVersion")) != "0.3" or "mainSteps" not in document:
        raise AutomationError("the document is not an Automation document (schemaVersion 0.3 with mainSteps)")
    return document
