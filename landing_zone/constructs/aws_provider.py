"""The one place that configures an AWS provider: region, role, tags, local API.

Every stack gets its providers from `aws_provider`, so assume-role, default
tags and the deploy target's overrides (a local API's profile) are the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderAssumeRole, AwsProviderDefaultTags
from constructs import Construct


@dataclass(frozen=True, kw_only=True)
class AwsProviderProps:
    """How a provider reaches its account and what it tags."""

    region: str
    """Region of the provider (required)."""
    role_arn: Optional[str] = None
    """Role to assume in the target account; omitted: the caller's own credentials (the management stack)."""
    session_name: str = "landing-zone"
    """Session name of the assumed role, visible in CloudTrail (default 'landing-zone')."""
    allowed_account_ids: tuple[str, ...] = ()
    """Account ids the credentials must resolve to; terraform stops otherwise (default: not checked)."""
    default_tags: Mapping[str, str] = field(default_factory=dict)
    """Tags every taggable resource of this provider gets (default none)."""
    alias: Optional[str] = None
    """Provider alias for a second region (default: the stack's default provider)."""
    overrides: Mapping[str, Any] = field(default_factory=dict)
    """Raw provider arguments (terraform names) of the deploy target, e.g. the profile that reaches a local API (default none)."""


def aws_provider(scope: Construct, id: str, props: AwsProviderProps) -> AwsProvider:
    """An AwsProvider configured from `props`."""
    provider = AwsProvider(
        scope,
        id,
        region=props.region,
        alias=props.alias,
        assume_role=[AwsProviderAssumeRole(role_arn=props.role_arn, session_name=props.session_name)] if props.role_arn else None,
        allowed_account_ids=list(props.allowed_account_ids) or None,
        default_tags=[AwsProviderDefaultTags(tags=dict(sorted(props.default_tags.items())))] if props.default_tags else None,
    )
    # Raw provider arguments (terraform names), so a local API's settings are exactly the ones
    # local_aws.endpoints documents and tests.
    for key, value in props.overrides.items():
        provider.add_override(key, value)
    return provider
