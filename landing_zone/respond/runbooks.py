"""The SSM Automation runbooks shipped in the package (landing_zone/respond/runbooks/*.yaml).

Each runbook is one YAML document (schemaVersion 0.3) built only from the step
types listed in STEP_ACTIONS, so the same document runs on AWS and, through the
local executor (landing_zone/local_aws/automation.py), against the local API.
`aws:executeScript` is allowed for pure computation only (merging the list that
WAF's UpdateIPSet replaces whole, which no other step type can do): its Python
script may not import boto3 or botocore, so every AWS call stays an
`aws:executeAwsApi` step that `permissions` sees.
`load_runbooks()` reads and checks them; `Runbook.permissions` lists the IAM
actions its API steps call (the remediation role's policy is built from it).
No cdktf here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ..package_data import parse_yaml

RUNBOOK_DIR = Path(__file__).parent / "runbooks"
SCHEMA_VERSION = "0.3"
STEP_ACTIONS = ("aws:executeAwsApi", "aws:assertAwsResourceProperty", "aws:branch", "aws:sleep", "aws:executeScript")
SCRIPT_RUNTIME = re.compile(r"^python3\.\d+$")
_AWS_SDK = re.compile(r"\b(boto3|botocore)\b")
PARAMETER_TYPES = ("String", "StringList", "Integer", "Boolean", "StringMap", "MapList")
ASSUME_ROLE_PARAMETER = "AutomationAssumeRole"
_REFERENCE = re.compile(r"\{\{\s*([\w:.-]+)\s*\}\}")
# IAM's service prefix where it differs from the API's service name.
_IAM_PREFIX = {"elbv2": "elasticloadbalancing", "wafv2": "wafv2"}
# IAM's action where it differs from the API operation's name (Service Authorization Reference).
_IAM_ACTION = {
    ("s3", "GetPublicAccessBlock"): "s3:GetBucketPublicAccessBlock",
    ("s3", "PutPublicAccessBlock"): "s3:PutBucketPublicAccessBlock",
    ("s3", "DeletePublicAccessBlock"): "s3:PutBucketPublicAccessBlock",
}


def iam_action(service: str, api: str) -> str:
    """The IAM action that authorizes an API call, such as ('s3', 'PutPublicAccessBlock') -> 's3:PutBucketPublicAccessBlock'."""
    return _IAM_ACTION.get((service, api), f"{_IAM_PREFIX.get(service, service)}:{api}")


class RunbookError(ValueError):
    """A runbook document breaks the rules above (message names the file and step)."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    description: str
    required: bool
    default: Any = None
    allowed_values: tuple = ()


@dataclass(frozen=True)
class Runbook:
    """One SSM Automation document of the package."""

    name: str
    """The document's name (its file name without .yaml), also its name in SSM."""
    path: Path
    content: str
    """The YAML text, as deployed."""
    document: dict
    parameters: dict[str, Parameter]

    @property
    def description(self) -> str:
        return self.document.get("description", "").strip().splitlines()[0]

    @property
    def steps(self) -> list[dict]:
        return self.document["mainSteps"]

    @property
    def permissions(self) -> tuple[str, ...]:
        """IAM actions the runbook's steps call, such as 'ec2:CreateSnapshots', sorted."""
        actions = {
            iam_action(s["inputs"]["Service"], s["inputs"]["Api"])
            for s in self.steps
            if s["action"] in ("aws:executeAwsApi", "aws:assertAwsResourceProperty")
        }
        return tuple(sorted(actions))

    def user_parameters(self) -> dict[str, Parameter]:
        """Parameters other than the assume role (which the landing zone always sets itself)."""
        return {k: v for k, v in self.parameters.items() if k != ASSUME_ROLE_PARAMETER}


def _check(name: str, doc: Any) -> dict[str, Parameter]:
    where = f"runbook {name}"
    if not isinstance(doc, dict):
        raise RunbookError(f"{where}: not a YAML mapping")
    if str(doc.get("schemaVersion")) != SCHEMA_VERSION:
        raise RunbookError(f"{where}: schemaVersion is {doc.get('schemaVersion')!r}; expected {SCHEMA_VERSION!r} (Automation)")
    if doc.get("assumeRole") != "{{ AutomationAssumeRole }}":
        raise RunbookError(f"{where}: assumeRole must be '{{{{ AutomationAssumeRole }}}}' (the remediation role is always set)")
    params: dict[str, Parameter] = {}
    for pname, spec in (doc.get("parameters") or {}).items():
        if spec.get("type") not in PARAMETER_TYPES:
            raise RunbookError(
                f"{where}: parameter {pname} has type {spec.get('type')!r}; expected one of {', '.join(PARAMETER_TYPES)}"
            )
        params[pname] = Parameter(
            pname,
            spec["type"],
            spec.get("description", ""),
            "default" not in spec,
            spec.get("default"),
            tuple(spec.get("allowedValues") or ()),
        )
    if ASSUME_ROLE_PARAMETER not in params:
        raise RunbookError(f"{where}: the {ASSUME_ROLE_PARAMETER} parameter is missing")
    steps = doc.get("mainSteps") or []
    names = [s.get("name") for s in steps]
    if not steps or len(set(names)) != len(names):
        raise RunbookError(f"{where}: mainSteps must be a non-empty list of uniquely named steps")
    outputs = {f"{s['name']}.{o['Name']}" for s in steps for o in s.get("outputs") or ()}
    known = set(params) | outputs | {"automation:EXECUTION_ID", "global:ACCOUNT_ID", "global:REGION"}
    for step in steps:
        if step.get("action") not in STEP_ACTIONS:
            raise RunbookError(
                f"{where}: step {step.get('name')} uses {step.get('action')!r}; allowed: {', '.join(STEP_ACTIONS)}"
            )
        if step["action"] == "aws:executeScript":
            _check_script(where, step)
        targets = [c.get("NextStep") for c in (step.get("inputs") or {}).get("Choices", ())] + [step.get("nextStep")]
        targets += [(step.get("inputs") or {}).get("Default")] if step["action"] == "aws:branch" else []
        for target in filter(None, targets):
            if target not in names:
                raise RunbookError(f"{where}: step {step['name']} goes to unknown step {target!r}")
        for ref in _REFERENCE.findall(yaml.safe_dump(step.get("inputs"))):
            if ref not in known:
                raise RunbookError(
                    f"{where}: step {step['name']} refers to {{{{ {ref} }}}}, which is neither a parameter nor an earlier output"
                )
    return params


def _check_script(where: str, step: dict) -> None:
    """A script step computes from its InputPayload and calls no AWS API (see the module's notes)."""
    inputs = step.get("inputs") or {}
    script = inputs.get("Script")
    if not SCRIPT_RUNTIME.match(str(inputs.get("Runtime"))) or not isinstance(script, str) or not inputs.get("Handler"):
        raise RunbookError(
            f"{where}: step {step['name']} (aws:executeScript) needs Runtime python3.x, Handler and an inline Script"
        )
    if _AWS_SDK.search(script):
        raise RunbookError(
            f"{where}: step {step['name']}'s script uses boto3 or botocore; AWS calls go in aws:executeAwsApi steps "
            "(the remediation role's permissions are read from them)"
        )


def scripts(runbooks: dict[str, Runbook]) -> frozenset[str]:
    """The inline scripts of the package's runbooks (the local executor runs these and no others)."""
    return frozenset(
        s["inputs"]["Script"] for book in runbooks.values() for s in book.steps if s["action"] == "aws:executeScript"
    )


def read_runbook(path: Path) -> Runbook:
    content = path.read_text()
    doc = parse_yaml(content)  # libyaml's loader: 0.15 s of every `lz validate` with the pure-Python one
    return Runbook(path.stem, path, content, doc, _check(path.stem, doc))


@cache
def load_runbooks(directory: Path = RUNBOOK_DIR) -> dict[str, Runbook]:
    """Every runbook of the package by name, each checked."""
    return {p.stem: read_runbook(p) for p in sorted(directory.glob("*.yaml"))}
