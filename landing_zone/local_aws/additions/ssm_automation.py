"""SSM Automation executions (StartAutomationExecution and the calls that read one back).

moto 5.2 stores Automation documents but cannot run them. Here an execution
runs in a background thread of the server with the local executor
(landing_zone/local_aws/automation.py): each API step is a boto3 call to this
same server, signed with credentials of the AutomationAssumeRole (assumed
through the server's STS, so moto routes every call to the role's account),
or with the caller's own access key when the document has no assume role.
A document is found by name in the caller's account and region, or by its
ARN in its owner's account, which must have shared it with the caller's
account (ModifyDocumentPermission) or with all. Executions live on the
caller's SSM backend, so `POST /moto-api/reset` clears them.
"""

from __future__ import annotations

import json
import os
import threading
import uuid

from ..automation import AutomationError, Execution, parse_document, resolve_parameters, run_automation
from ._helpers import add_actions, json_error, state

_LOCK = threading.Lock()


def _executions(response) -> dict:
    return state(response.ssm_backend, "automation_executions")


def _server_url() -> str:
    return f"http://127.0.0.1:{os.environ.get('MOTO_PORT', '5000')}"


def _document(response, name: str):
    return find_document(response.current_account, response.region, name)


def find_document(account: str, region_: str, name: str):
    """(name, content) of an Automation document that `account` may run: its own by name, or another
    account's by ARN when shared with it."""
    from moto.ssm.models import ssm_backends

    if name.startswith("arn:"):
        parts = name.split(":")
        region, owner, doc_name = parts[3], parts[4], parts[5].split("/", 1)[1]
    else:
        region, owner, doc_name = region_, account, name
    documents = ssm_backends[owner][region]._documents.get(doc_name)
    if documents is None:
        raise json_error("InvalidDocument", f"Document {name} does not exist in account {account}.")
    if owner != account and not ({account, "all", "All"} & set(documents.permissions)):
        raise json_error("InvalidDocument", f"Document {name} is not shared with account {account}.")
    document = documents.get_default_version()
    if document.document_type != "Automation":
        raise json_error("InvalidDocumentType", f"Document {name} is of type {document.document_type}, not Automation.")
    return doc_name, document.content


def _clients(access_key: str, role_arn: str | None, region: str):
    import boto3

    url = _server_url()
    credentials = {"aws_access_key_id": access_key, "aws_secret_access_key": "local"}
    if role_arn:
        sts = boto3.client(
            "sts", endpoint_url=url, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing"
        )
        assumed = sts.assume_role(RoleArn=role_arn, RoleSessionName="Automation")["Credentials"]
        credentials = {
            "aws_access_key_id": assumed["AccessKeyId"],
            "aws_secret_access_key": assumed["SecretAccessKey"],
            "aws_session_token": assumed["SessionToken"],
        }
    cache: dict = {}

    def client_for(service: str):
        if service not in cache:
            cache[service] = boto3.client(service, endpoint_url=url, region_name=region, **credentials)
        return cache[service]

    return client_for


def start_automation_execution(self) -> str:
    params = json.loads(self.body)
    execution = start_execution(
        self.current_account, self.region, params["DocumentName"], params.get("Parameters") or {}, self.get_access_key()
    )
    return json.dumps({"AutomationExecutionId": execution.execution_id})


def start_execution(account: str, region: str, document_name: str, given: dict, access_key: str) -> Execution:
    """Start an execution in `account` and `region` (run in a background thread); errors as the API's."""
    from moto.ssm.models import ssm_backends

    doc_name, content = find_document(account, region, document_name)
    try:
        document = parse_document(content)
        parameters = resolve_parameters(document, given)
    except AutomationError as exc:
        raise json_error("InvalidAutomationExecutionParametersException", str(exc)) from None
    execution = Execution(str(uuid.uuid4()), doc_name, parameters)
    with _LOCK:
        state(ssm_backends[account][region], "automation_executions")[execution.execution_id] = execution
    role = parameters.get("AutomationAssumeRole") if "{{" in str(document.get("assumeRole", "")) else document.get("assumeRole")

    def work() -> None:
        try:
            run_automation(execution, document, _clients(access_key, role or None, region), account_id=account, region=region)
        except Exception as exc:  # the thread must always leave a final status behind
            execution.status, execution.failure = "Failed", f"{type(exc).__name__}: {exc}"

    threading.Thread(target=work, name=f"automation-{execution.execution_id}", daemon=True).start()
    return execution


def _execution(self, execution_id: str) -> Execution:
    execution = _executions(self).get(execution_id)
    if execution is None:
        raise json_error("AutomationExecutionNotFoundException", f"Automation execution {execution_id} does not exist.")
    return execution


def get_automation_execution(self) -> str:
    execution = _execution(self, json.loads(self.body)["AutomationExecutionId"])
    return json.dumps({"AutomationExecution": execution.api()})


def describe_automation_step_executions(self) -> str:
    execution = _execution(self, json.loads(self.body)["AutomationExecutionId"])
    return json.dumps({"StepExecutions": [s.api() for s in execution.steps]})


def describe_automation_executions(self) -> str:
    metadata = []
    for execution in _executions(self).values():
        item = execution.api()
        metadata.append(
            {
                k: item[k]
                for k in ("AutomationExecutionId", "DocumentName", "AutomationExecutionStatus", "ExecutionStartTime", "Mode")
                if k in item
            }
        )
    return json.dumps({"AutomationExecutionMetadataList": metadata})


def install() -> None:
    from moto.ssm.responses import SimpleSystemManagerResponse

    add_actions(
        SimpleSystemManagerResponse,
        start_automation_execution,
        get_automation_execution,
        describe_automation_step_executions,
        describe_automation_executions,
    )
