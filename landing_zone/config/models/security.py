"""The `security_services:` section: GuardDuty, Security Hub, Access Analyzer, notifications."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field

from .base import StrictModel

GuardDutyFeature = Literal[
    "S3_DATA_EVENTS",
    "EKS_AUDIT_LOGS",
    "EBS_MALWARE_PROTECTION",
    "RDS_LOGIN_EVENTS",
    "LAMBDA_NETWORK_LOGS",
    "RUNTIME_MONITORING",
]
SecurityHubStandard = Literal[
    "aws-foundational-security-best-practices",
    "cis-aws-foundations-benchmark-v3.0.0",
    "nist-800-53-r5",
    "pci-dss-v3.2.1",
]
Severity = Literal["LOW", "MEDIUM", "HIGH", "CRITICAL"]


def _default_features() -> list[GuardDutyFeature]:
    return ["S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "LAMBDA_NETWORK_LOGS"]


def _default_standards() -> list[SecurityHubStandard]:
    return ["aws-foundational-security-best-practices", "cis-aws-foundations-benchmark-v3.0.0"]


class GuardDuty(StrictModel):
    """Amazon GuardDuty for every account of the organization."""

    enabled: bool = Field(
        True, description="Run GuardDuty, administered by the audit account, auto-enabled for every member (default true)."
    )
    features: list[GuardDutyFeature] = Field(
        default_factory=_default_features,
        description="Protection plans turned on for every account (default all but RUNTIME_MONITORING, which installs an agent).",
    )
    finding_publishing_frequency: Literal["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"] = Field(
        "FIFTEEN_MINUTES", description="How often updated findings reach EventBridge (default FIFTEEN_MINUTES)."
    )


class SecurityHub(StrictModel):
    """AWS Security Hub for every account, findings aggregated in the home region."""

    enabled: bool = Field(
        True,
        description="Run Security Hub, administered by the audit account, auto-enabled for every member (default true; needs AWS Config).",
    )
    standards: list[SecurityHubStandard] = Field(
        default_factory=_default_standards,
        description="Standards to enable (default AWS Foundational Security Best Practices and CIS v3.0.0).",
    )


class AccessAnalyzer(StrictModel):
    """IAM Access Analyzer of organization type."""

    enabled: bool = Field(
        True, description="An organization analyzer in every governed region of the audit account (default true)."
    )


class Notifications(StrictModel):
    """Security notifications: one KMS-encrypted SNS topic in the audit account."""

    emails: list[str] = Field(
        default_factory=list, description="Addresses subscribed to the topic; each must confirm by mail (default none)."
    )
    severity_threshold: Severity = Field(
        "HIGH",
        description="Lowest severity sent: GuardDuty findings at or above it and Security Hub findings labelled at or above it (default HIGH).",
    )
    tamper_alerts: bool = Field(
        True,
        description="EventBridge rules in the management and audit accounts alerting on a trail stop or change, root use, an SCP detach or change, a KMS key change and the access role's assumption (default true).",
    )


class SecurityServices(StrictModel):
    """Organization-wide security services, administered by the audit account."""

    delegated_administrator: Optional[str] = Field(
        None, description="Account that administers the services; must be the audit account (default: core.audit_account)."
    )
    guardduty: GuardDuty = Field(default_factory=GuardDuty, description="Amazon GuardDuty (defaults above).")
    security_hub: SecurityHub = Field(default_factory=SecurityHub, description="AWS Security Hub (defaults above).")
    access_analyzer: AccessAnalyzer = Field(default_factory=AccessAnalyzer, description="IAM Access Analyzer (defaults above).")
    notifications: Notifications = Field(default_factory=Notifications, description="Security notifications (defaults above).")
