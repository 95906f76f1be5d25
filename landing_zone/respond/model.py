"""What incident response deploys, as plain data: names, the roles' policies, the documents'
share list and which runbook fixes which control. No cdktf here (the constructs and
`lz respond` both read it; `lz compliance` maps controls to runbooks through CONTROL_RUNBOOKS).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..naming import LandingZoneNames
from .runbooks import load_runbooks

RESPONDER = "responder"
REMEDIATION = "remediation"
EVENT_BUS = "security-events"
CONFIG_COMPLIANCE_DETAIL_TYPE = "Config Rules Compliance Change"


@dataclass(frozen=True)
class ControlRunbook:
    """The runbook that fixes a detective control's violation, and its parameters from the Config resource id."""

    runbook: str
    resource_parameter: str
    """The parameter that takes the non-compliant resource's id."""
    fixed: tuple[tuple[str, str], ...] = ()
    """Other parameters, fixed for this control."""

    def parameters(self, resource_id: str) -> dict[str, str]:
        return {self.resource_parameter: resource_id, **dict(self.fixed)}


CONTROL_RUNBOOKS: dict[str, ControlRunbook] = {
    "AWS-GR_S3_BUCKET_PUBLIC_READ_PROHIBITED": ControlRunbook("LZ-BlockS3PublicAccess", "BucketName"),
    "AWS-GR_S3_BUCKET_PUBLIC_WRITE_PROHIBITED": ControlRunbook("LZ-BlockS3PublicAccess", "BucketName"),
    "AWS-GR_RESTRICTED_SSH": ControlRunbook("LZ-RevokeOpenAdminIngress", "GroupId", (("Port", "22"),)),
    "AWS-GR_AUDIT_BUCKET_PUBLIC_READ_PROHIBITED": ControlRunbook("LZ-BlockS3PublicAccess", "BucketName"),
    "AWS-GR_AUDIT_BUCKET_PUBLIC_WRITE_PROHIBITED": ControlRunbook("LZ-BlockS3PublicAccess", "BucketName"),
    # ENCRYPTED_VOLUMES names a volume; the fix is the account's: encryption by default (the volume is tagged).
    "AWS-GR_ENCRYPTED_VOLUMES": ControlRunbook("LZ-EnableEbsEncryptionByDefault", "VolumeId"),
    "AWS-GR_RDS_SNAPSHOTS_PUBLIC_PROHIBITED": ControlRunbook("LZ-MakeRdsSnapshotPrivate", "DBSnapshotIdentifier"),
    "LZ-CLOUDTRAIL-LOG-FILE-VALIDATION": ControlRunbook("LZ-EnableCloudTrailLogging", "TrailName"),
    "LZ-EC2-IMDSV2-CHECK": ControlRunbook("LZ-RequireImdsv2", "InstanceId"),
}
"""Detective controls with a natural fix among the package's runbooks (the rest are notified only).

CLOUD_TRAIL_ENABLED (the two AWS-GR_*CLOUDTRAIL_ENABLED* detective controls) reports the account,
not a trail, so no trail name reaches a remediation: run LZ-EnableCloudTrailLogging with
`lz respond --param TrailName=...` (or a responder) for those."""


@dataclass(frozen=True)
class ResponseNames:
    """Names of incident response's own resources (all under the landing zone's protected prefix)."""

    names: LandingZoneNames

    @classmethod
    def of(cls, env) -> "ResponseNames":
        return cls(LandingZoneNames.of(env))

    @property
    def responder_role(self) -> str:
        return self.names.role(RESPONDER)

    @property
    def remediation_role(self) -> str:
        return self.names.role(REMEDIATION)

    @property
    def event_bus(self) -> str:
        return f"{self.names.prefix}{EVENT_BUS}"

    @property
    def forwarding_role(self) -> str:
        return self.names.role("security-events-forwarding")

    def role_arn(self, account_id: str, role: str) -> str:
        return f"arn:aws:iam::{account_id}:role/{role}"

    def document_arn(self, region: str, audit_account_id: str, runbook: str) -> str:
        return f"arn:aws:ssm:{region}:{audit_account_id}:document/{runbook}"

    def event_bus_arn(self, region: str, audit_account_id: str) -> str:
        return f"arn:aws:events:{region}:{audit_account_id}:event-bus/{self.event_bus}"


def remediation_actions() -> list[str]:
    """Every IAM action the package's runbooks call: the remediation role may do these and nothing else."""
    return sorted({action for runbook in load_runbooks().values() for action in runbook.permissions})


def responder_statements(names: ResponseNames, account_id: str) -> list[dict]:
    """The responder role's policy: start and watch automations as the account's remediation role, read
    what it acts on, and never touch the landing zone's own roles, trail, logs, rules or topics."""
    remediation_arn = names.role_arn(account_id, names.remediation_role)
    n = names.names
    protected = n.role_arns + n.trail_arns + n.log_bucket_arns + n.log_group_arns + n.event_rule_arns + n.topic_arns
    return [
        {
            "Sid": "RunRunbooks",
            "Effect": "Allow",
            "Action": [
                "ssm:StartAutomationExecution",
                "ssm:GetAutomationExecution",
                "ssm:DescribeAutomationStepExecutions",
                "ssm:DescribeAutomationExecutions",
                "ssm:StopAutomationExecution",
                "ssm:DescribeDocument",
                "ssm:GetDocument",
            ],
            "Resource": "*",
        },
        {
            "Sid": "PassRemediationRole",
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": remediation_arn,
            "Condition": {"StringEquals": {"iam:PassedToService": "ssm.amazonaws.com"}},
        },
        {
            "Sid": "ReadWhatRunbooksActOn",
            "Effect": "Allow",
            "Action": [
                "ec2:DescribeInstances",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeSnapshots",
                "ec2:DescribeTags",
                "s3:GetBucketAcl",
                "s3:GetBucketPublicAccessBlock",
                "iam:GetUser",
                "iam:GetRole",
                "iam:ListAccessKeys",
            ],
            "Resource": "*",
        },
        {
            "Sid": "NeverTheLandingZonesOwn",
            "Effect": "Deny",
            "NotAction": [
                "ssm:StartAutomationExecution",
                "ssm:GetAutomationExecution",
                "ssm:DescribeAutomationStepExecutions",
                "iam:PassRole",
            ],
            "Resource": protected,
        },
    ]


def remediation_statements() -> list[dict]:
    return [{"Sid": "RunbookSteps", "Effect": "Allow", "Action": remediation_actions(), "Resource": "*"}]


def policy_text(statements: list[dict]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, separators=(",", ":"), sort_keys=False)
