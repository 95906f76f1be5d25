"""`lz respond`: run one runbook in one account as that account's responder, and report each step.

The caller's credentials assume the audit account's responder role, and that
role the target account's responder role (the only principal its trust admits,
constructs/security/account_response.py); the automation
starts there with the audit account's shared document (by ARN) and the
account's remediation role as AutomationAssumeRole, and is followed until it
ends. The same code runs against AWS and against the local API (whose SSM
Automation comes from landing_zone/local_aws/additions/ssm_automation.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

from .model import ResponseNames
from .runbooks import ASSUME_ROLE_PARAMETER, load_runbooks

FINAL = {"Success", "Failed", "Cancelled", "TimedOut", "CompletedWithFailure", "Rejected"}


class RespondError(Exception):
    """Bad input or an unreachable target (message for people; exit 2)."""


@dataclass(frozen=True)
class RespondRequest:
    account_id: str
    audit_account_id: str
    region: str
    runbook: str
    params: dict[str, str] = field(default_factory=dict)


def parse_params(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise RespondError(f"--param {pair!r} is not KEY=VALUE")
        out[key] = value
    return out


def execution_parameters(runbook_name: str, params: dict[str, str], remediation_role_arn: str) -> dict[str, list[str]]:
    """The StartAutomationExecution parameters: declared, required ones present, lists split on commas."""
    runbooks = load_runbooks()
    if runbook_name not in runbooks:
        raise RespondError(f"unknown runbook {runbook_name!r}; known: {', '.join(runbooks)}")
    declared = runbooks[runbook_name].user_parameters()
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise RespondError(
            f"runbook {runbook_name} does not declare {', '.join(unknown)}; it takes: "
            + ", ".join(f"{p.name}{'' if p.required else ' (optional)'}" for p in declared.values())
        )
    missing = [p.name for p in declared.values() if p.required and p.name not in params]
    if missing:
        raise RespondError(f"runbook {runbook_name} needs {', '.join('--param ' + m + '=...' for m in missing)}")
    out = {k: (v.split(",") if declared[k].type == "StringList" else [v]) for k, v in params.items()}
    out[ASSUME_ROLE_PARAMETER] = [remediation_role_arn]
    return out


def plan(names: ResponseNames, request: RespondRequest) -> dict[str, Any]:
    """What `lz respond` does, without doing it (--dry-run prints this)."""
    remediation = names.role_arn(request.account_id, names.remediation_role)
    chain = [names.role_arn(request.audit_account_id, names.responder_role)]
    if request.account_id != request.audit_account_id:
        chain.append(names.role_arn(request.account_id, names.responder_role))
    return {
        "role_chain": chain,
        "assume_role": chain[-1],
        "document": names.document_arn(request.region, request.audit_account_id, request.runbook),
        "parameters": execution_parameters(request.runbook, request.params, remediation),
    }


def respond(
    names: ResponseNames,
    request: RespondRequest,
    client: Callable[..., Any],
    *,
    progress: Callable[[str], None] = lambda m: None,
    poll_seconds: float = 1.0,
    timeout: float = 600.0,
) -> dict:
    """Start the runbook as the responder and wait; returns the final GetAutomationExecution record.

    `client(service, **credentials)` makes a boto3 client (with the caller's credentials when none are given).
    """
    steps = plan(names, request)
    as_role: dict[str, str] = {}
    for role_arn in steps["role_chain"]:
        credentials = client("sts", **as_role).assume_role(RoleArn=role_arn, RoleSessionName="lz-respond")["Credentials"]
        as_role = {
            "aws_access_key_id": credentials["AccessKeyId"],
            "aws_secret_access_key": credentials["SecretAccessKey"],
            "aws_session_token": credentials["SessionToken"],
        }
    ssm = client("ssm", **as_role)
    execution_id = ssm.start_automation_execution(DocumentName=steps["document"], Parameters=steps["parameters"])[
        "AutomationExecutionId"
    ]
    progress(f"started {request.runbook} in {request.account_id}: execution {execution_id}")
    reported: set[str] = set()
    deadline = time.monotonic() + timeout
    while True:
        execution = ssm.get_automation_execution(AutomationExecutionId=execution_id)["AutomationExecution"]
        for step in execution.get("StepExecutions", []):
            if step["StepStatus"] not in ("Pending", "InProgress") and step["StepName"] not in reported:
                reported.add(step["StepName"])
                progress(step_line(step))
        if execution["AutomationExecutionStatus"] in FINAL:
            return execution
        if time.monotonic() > deadline:
            raise RespondError(f"execution {execution_id} still {execution['AutomationExecutionStatus']} after {timeout:.0f} s")
        time.sleep(poll_seconds)


def step_line(step: dict) -> str:
    outputs = "; ".join(f"{k}={','.join(v)}" for k, v in (step.get("Outputs") or {}).items())
    line = f"  {step['StepStatus']:<8} {step['StepName']} ({step['Action']})"
    if outputs:
        line += f"  {outputs}"
    if step.get("FailureMessage"):
        line += f"\n           {step['FailureMessage']}"
    return line
