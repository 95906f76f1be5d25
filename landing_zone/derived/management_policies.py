"""Organization management policies attached at the root (AI services opt-out, tags), and the
centralized root access features. Pure Python.

- AI services opt-out (`AISERVICES_OPT_OUT_POLICY`): every AI service of every
  account is opted out of storing or using the account's content to develop
  and improve AWS services (`default` covers every AI service, present and
  future).
- Tag policy (`TAG_POLICY`): one entry per tag key the environment requires
  (`organization.tags` and the account factory's `required_tags`) fixing its
  capitalization, so `Cost-Center` is reported as non-compliant next to
  `cost-center`. No `enforced_for`: the policy reports, it does not refuse
  tagging calls (an enforced value list would break deploys that tag later).
- Data perimeter (`RESOURCE_CONTROL_POLICY`, optional, issue 24.7): AWS's
  published RCP: S3, SQS, KMS, Secrets Manager and STS resources of every
  member account deny principals outside the organization (AWS services
  acting for it excepted, bound by `aws:SourceOrgID`) and plain HTTP.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..config.models import Environment

AI_OPT_OUT = "AISERVICES_OPT_OUT_POLICY"
TAG_POLICY = "TAG_POLICY"
RCP = "RESOURCE_CONTROL_POLICY"
ORG_ID_PLACEHOLDER = "@@organization_id@@"
"""Stands for the organization's id in a policy document; the management stack puts the id in (known at apply)."""
PERIMETER_ACTIONS = ["kms:*", "s3:*", "secretsmanager:*", "sqs:*", "sts:*"]
"""The services a data-perimeter RCP covers (RCPs support these and a few more)."""


def data_perimeter_policy() -> dict:
    """AWS's published data-perimeter RCP (aws-samples/data-perimeter-policy-examples, resource_control_policies):
    resources admit only this organization's principals and AWS services acting for it, and only over TLS."""
    org = ORG_ID_PLACEHOLDER
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "EnforceOrgIdentities",
                "Effect": "Deny",
                "Principal": "*",
                "Action": PERIMETER_ACTIONS,
                "Resource": "*",
                "Condition": {
                    "StringNotEqualsIfExists": {"aws:PrincipalOrgID": org},
                    "BoolIfExists": {"aws:PrincipalIsAWSService": "false"},
                },
            },
            {
                "Sid": "EnforceConfusedDeputyProtection",
                "Effect": "Deny",
                "Principal": "*",
                "Action": PERIMETER_ACTIONS,
                "Resource": "*",
                "Condition": {
                    "StringNotEqualsIfExists": {"aws:SourceOrgID": org},
                    "Null": {"aws:SourceAccount": "false"},
                    "Bool": {"aws:PrincipalIsAWSService": "true"},
                },
            },
            {
                "Sid": "EnforceSecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": PERIMETER_ACTIONS,
                "Resource": "*",
                "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}},
            },
        ],
    }


@dataclass(frozen=True)
class ManagementPolicy:
    key: str
    """Stable key (logical ids)."""
    type: str
    name: str
    description: str
    content: dict

    @property
    def document(self) -> str:
        return json.dumps(self.content, sort_keys=True, separators=(",", ":"))


def required_tag_keys(env: Environment) -> tuple[str, ...]:
    """Every tag key the environment requires, sorted case-insensitively (duplicates by case kept once)."""
    keys = list(env.organization.tags)
    if env.account_factory is not None:
        keys.extend(env.account_factory.defaults.required_tags)
    seen: dict[str, str] = {}
    for key in keys:
        seen.setdefault(key.lower(), key)
    return tuple(seen[k] for k in sorted(seen))


def management_policies(env: Environment) -> tuple[ManagementPolicy, ...]:
    """The management policies the organization attaches at its root."""
    settings = env.organization.management_policies
    name = env.organization.name
    out = []
    if settings.ai_services_opt_out:
        out.append(
            ManagementPolicy(
                "ai_services_opt_out",
                AI_OPT_OUT,
                f"{name}-ai-services-opt-out",
                "No AI service stores or uses this organization's content to improve AWS services.",
                {"services": {"default": {"opt_out_policy": {"@@assign": "optOut"}}}},
            )
        )
    keys = required_tag_keys(env)
    if settings.tag_policy and keys:
        out.append(
            ManagementPolicy(
                "tag_policy",
                TAG_POLICY,
                f"{name}-required-tags",
                "The tag keys the landing zone requires, with their capitalization.",
                {"tags": {key.lower(): {"tag_key": {"@@assign": key}} for key in keys}},
            )
        )
    if settings.data_perimeter:
        out.append(
            ManagementPolicy(
                "data_perimeter",
                RCP,
                f"{name}-data-perimeter",
                "Resources admit only this organization's principals and AWS services acting for it, over TLS.",
                data_perimeter_policy(),
            )
        )
    return tuple(out)


def policy_types(env: Environment) -> tuple[str, ...]:
    """Policy types the management policies need enabled on the root."""
    return tuple(sorted({p.type for p in management_policies(env)}))


def root_access_features(env: Environment) -> tuple[str, ...]:
    """The IAM organizations features (centralized root access) `organization.root_access` turns on."""
    root = env.organization.root_access
    return tuple(
        feature
        for feature, on in (("RootCredentialsManagement", root.credentials_management), ("RootSessions", root.sessions))
        if on
    )
