"""Athena over the log archive (`logging.athena`): the reader in the log-archive stack's bucket policy, the
workgroup, tables and saved queries in the audit stack.

Why the audit account: it is where the security tooling and the Config aggregator already are, and those who
investigate work there. The log archive account stays write-only for people (its deploy role alone administers
it); a role there that humans assume to query would be a standing way in. The cost is one cross-account read,
held to one role, through Athena only, on the tables' prefixes (constructs/logging/query_policies.py).
"""

from __future__ import annotations

from typing import Optional

from ..compliance.athena import SAVED_QUERIES, tables
from ..config.vending import access_role
from ..constructs.logging.log_query import LogQuery, LogQueryProps
from ..constructs.logging.query_policies import LogReader
from .settings import StackSettings

QUERY_ROLE = "log-query"
SSO_ROLES = "aws-reserved/sso.amazonaws.com/*"


def _specs(settings: StackSettings, organization_id: str):
    env = settings.env
    regions = env.logging.config_regions(env.organization.governed_regions) or [env.organization.home_region]
    return tables((settings.env_name,), tuple(regions), env.logging.athena.history_since.isoformat(), organization_id)


def log_reader(settings: StackSettings, management) -> Optional[LogReader]:
    """The audit account's query role as a reader of the log bucket, when `logging.athena` is on."""
    env = settings.env
    if not env.logging.athena.enabled:
        return None
    specs = _specs(settings, management.organization.organization_id)
    return LogReader(
        account_id=management.account(env.core.audit_account).account_id,
        role_name=settings.facts.names.role(QUERY_ROLE),
        key_patterns=tuple(dict.fromkeys(spec.read_pattern for spec in specs)),
    )


def add_log_query(stack, management, log_archive_stack) -> Optional[LogQuery]:
    """The workgroup, tables, saved queries and query role in the audit stack (None when off)."""
    settings = stack.settings
    env = settings.env
    athena = env.logging.athena
    if not athena.enabled:
        return None
    n = settings.facts.names
    account = stack.account_id
    archive = log_archive_stack.log_archive
    return LogQuery(
        stack,
        "log_query",
        LogQueryProps(
            account_id=account,
            region=env.organization.home_region,
            log_bucket_name=archive.log_bucket_name,
            log_key_arn=archive.key_arn,
            tables=_specs(settings, management.organization.organization_id),
            queries=SAVED_QUERIES,
            workgroup_name=n.athena_workgroup,
            database_name=n.glue_database,
            results_bucket_name=n.athena_results_bucket(account),
            results_access_log_bucket_name=n.athena_access_log_bucket(account),
            key_alias=n.kms_key_alias("athena"),
            role_name=n.role(QUERY_ROLE),
            # The audit account's Identity Center roles (those given access to it) and its access role (the `lz` tools).
            query_principal_arns=(
                f"arn:aws:iam::{account}:role/{SSO_ROLES}",
                f"arn:aws:iam::{account}:role/{access_role(env, env.core.audit_account)}",
            ),
            bytes_scanned_cutoff_gb=athena.bytes_scanned_cutoff_gb,
            results_retention_days=athena.results_retention_days,
            prevent_destroy=not settings.allow_destroy,
            force_destroy=settings.allow_destroy and settings.target.disposable,
            provider=stack.provider,
        ),
    )
