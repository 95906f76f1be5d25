"""The AWS services the landing zone integrates with the organization. Pure data: the organization
construct sets them, `lz preflight` checks them, so both read this one list."""

from __future__ import annotations

# Trusted access the management stack sets on the organization (constructs/organization.py uses this list).
SERVICE_ACCESS_PRINCIPALS: tuple[str, ...] = (
    "access-analyzer.amazonaws.com",  # organization-wide IAM Access Analyzer
    "account.amazonaws.com",  # alternate contacts of member accounts
    "cloudtrail.amazonaws.com",  # the organization trail
    "config-multiaccountsetup.amazonaws.com",  # organization Config rules and conformance packs
    "config.amazonaws.com",  # the organization Config aggregator
    "guardduty.amazonaws.com",  # GuardDuty for every member
    "iam.amazonaws.com",  # centralized root access (dropped when root_access_features is empty)
    "ram.amazonaws.com",  # sharing network resources inside the organization
    "securityhub.amazonaws.com",  # Security Hub for every member
    "sso.amazonaws.com",  # IAM Identity Center
)
# Services whose delegated administrator the landing zone makes the audit account.
DELEGATED_SERVICES: tuple[str, ...] = (
    "access-analyzer.amazonaws.com",
    "config.amazonaws.com",
    "guardduty.amazonaws.com",
    "securityhub.amazonaws.com",
)
