"""Automatic responders in one account: EventBridge starts the responder's runbook, as the account's
remediation role, on every matching event of the account (landing_zone/respond/automatic.py says why
the rule and the document live in the account itself, not in the audit account).

Per governed region: the runbook's Automation document (except in the audit account, which owns
them already), one rule per responder on the default bus, and its SSM Automation target, whose
input transformer puts the event's resource and the remediation role into the runbook's
parameters. EventBridge assumes one role per account that may only start those documents and pass
the remediation role to SSM.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from cdktf import TerraformProvider
from cdktf_cdktf_provider_aws.cloudwatch_event_rule import CloudwatchEventRule
from cdktf_cdktf_provider_aws.cloudwatch_event_target import (
    CloudwatchEventTarget,
    CloudwatchEventTargetInputTransformer,
    CloudwatchEventTargetRetryPolicy,
)
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.ssm_document import SsmDocument
from constructs import Construct

from ...respond.automatic import (
    EVENTS_ROLE,
    AutomaticResponder,
    AutomaticTarget,
    automation_definition_arn,
    events_role_statements,
)
from ...respond.model import ResponseNames
from ..ids import logical_id
from ..logging.policies import policy_json, trust_policy


@dataclass(frozen=True, kw_only=True)
class AutomaticResponseProps:
    account_id: str
    names: ResponseNames
    home_region: str
    providers: Mapping[str, TerraformProvider]
    """Provider per governed region (one rule and target each)."""
    responders: Sequence[AutomaticResponder]
    own_documents: bool = True
    """Create the runbooks' documents here (default true; false in the audit account, which has them)."""
    max_event_age_seconds: int = 3600
    """EventBridge stops retrying a failed start after this long (default one hour)."""


class AutomaticResponse(Construct):
    """Attributes: `role`, `rules` and `targets` by (responder name, region), `documents` by (region, runbook)."""

    def __init__(self, scope: Construct, id: str, props: AutomaticResponseProps) -> None:
        super().__init__(scope, id)
        n = props.names
        home = props.providers[props.home_region]
        remediation_arn = n.role_arn(props.account_id, n.remediation_role)
        runbooks = sorted({r.runbook.name for r in props.responders})
        self.role = IamRole(
            self,
            "role",
            provider=home,
            name=n.names.role(EVENTS_ROLE),
            description="EventBridge starts the automatic responders' runbooks as the remediation role",
            assume_role_policy=trust_policy("events.amazonaws.com", props.account_id),
        )
        self.role.override_logical_id("responder_events_role")
        IamRolePolicy(
            self,
            "policy",
            provider=home,
            role=self.role.id,
            name="start-automatic-responders",
            policy=policy_json(events_role_statements(props.account_id, runbooks, remediation_arn)),
        ).override_logical_id("responder_events_role_policy")
        self.documents: dict[tuple[str, str], SsmDocument] = {}
        self.rules: dict[tuple[str, str], CloudwatchEventRule] = {}
        self.targets: dict[tuple[str, str], CloudwatchEventTarget] = {}
        for region, provider in props.providers.items():
            if props.own_documents:
                for runbook in sorted({r.runbook.name: r.runbook for r in props.responders}.values(), key=lambda b: b.name):
                    document = SsmDocument(
                        self,
                        f"document_{region}_{runbook.name}",
                        provider=provider,
                        name=runbook.name,
                        document_type="Automation",
                        document_format="YAML",
                        content=runbook.content,
                    )
                    document.override_logical_id(logical_id("automatic_runbook", f"{region}_{runbook.name}"))
                    self.documents[(region, runbook.name)] = document
            for responder in props.responders:
                self._responder(props, responder, region, provider, remediation_arn)

    def _responder(self, props: AutomaticResponseProps, responder: AutomaticResponder, region: str, provider, role_arn) -> None:
        key = f"{responder.name}_{region}"
        rule = CloudwatchEventRule(
            self,
            f"rule_{key}",
            provider=provider,
            name=props.names.names.event_rule(f"auto-{responder.name}"),
            description=f"Automatic responder {responder.name}: runs {responder.runbook.name}"[:512],
            event_pattern=responder.pattern,
        )
        rule.override_logical_id(logical_id("automatic_responder_rule", key))
        target = AutomaticTarget(responder.parameter, responder.path, role_arn, responder.parameters)
        document = self.documents.get((region, responder.runbook.name))
        event_target = CloudwatchEventTarget(
            self,
            f"target_{key}",
            provider=provider,
            rule=rule.name,
            target_id="runbook",
            arn=automation_definition_arn(region, props.account_id, responder.runbook.name),
            role_arn=self.role.arn,
            input_transformer=CloudwatchEventTargetInputTransformer(
                input_paths=target.input_paths, input_template=target.input_template
            ),
            retry_policy=CloudwatchEventTargetRetryPolicy(
                maximum_event_age_in_seconds=props.max_event_age_seconds, maximum_retry_attempts=3
            ),
            depends_on=[document] if document is not None else None,
        )
        event_target.override_logical_id(logical_id("automatic_responder_target", key))
        self.rules[(responder.name, region)] = rule
        self.targets[(responder.name, region)] = event_target
