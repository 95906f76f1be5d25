"""Athena over the log archive, in the audit account: a workgroup, a Glue database with tables over the log
bucket, saved queries and the role that runs them (the tables and queries are data: compliance/athena.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from cdktf import TerraformProvider
from cdktf_cdktf_provider_aws.athena_named_query import AthenaNamedQuery
from cdktf_cdktf_provider_aws.athena_workgroup import (
    AthenaWorkgroup,
    AthenaWorkgroupConfiguration,
    AthenaWorkgroupConfigurationResultConfiguration,
    AthenaWorkgroupConfigurationResultConfigurationEncryptionConfiguration,
)
from cdktf_cdktf_provider_aws.glue_catalog_database import GlueCatalogDatabase
from cdktf_cdktf_provider_aws.glue_catalog_table import (
    GlueCatalogTable,
    GlueCatalogTablePartitionKeys,
    GlueCatalogTableStorageDescriptor,
    GlueCatalogTableStorageDescriptorColumns,
    GlueCatalogTableStorageDescriptorSerDeInfo,
)
from cdktf_cdktf_provider_aws.glue_data_catalog_encryption_settings import (
    GlueDataCatalogEncryptionSettings,
    GlueDataCatalogEncryptionSettingsDataCatalogEncryptionSettings,
    GlueDataCatalogEncryptionSettingsDataCatalogEncryptionSettingsConnectionPasswordEncryption,
    GlueDataCatalogEncryptionSettingsDataCatalogEncryptionSettingsEncryptionAtRest,
)
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from constructs import Construct

from ...compliance.athena import SavedQuery, TableSpec
from ..ids import logical_id
from .policies import access_log_bucket_statements, deny_insecure_transport, key_administration, policy_json
from .query_policies import query_role_statements, query_role_trust
from .secure_bucket import SecureBucketProps, access_logged_bucket

RESULTS_PREFIX = "athena/"
GIB = 1024**3


def terraform_literal(text: str) -> str:
    """Athena's `${key}` placeholders escaped for terraform (`$${key}`); cdktf's own tokens left alone."""
    return re.sub(r"\$\{(?!TfToken\[)", "$${", text)


@dataclass(frozen=True, kw_only=True)
class LogQueryProps:
    """Athena and Glue over the central log bucket, secure by default."""

    account_id: str
    """The account that queries (the audit account)."""
    region: str
    """Home region: the log bucket's, the workgroup's and the catalog's."""
    log_bucket_name: str
    """The central log bucket (a token of the log-archive stack)."""
    log_key_arn: str
    """Its KMS key (the query role decrypts through S3 with it)."""
    tables: tuple[TableSpec, ...]
    """The Glue tables (compliance.athena.tables)."""
    queries: tuple[SavedQuery, ...]
    """The saved queries (compliance.athena.SAVED_QUERIES)."""
    workgroup_name: str
    database_name: str
    """Glue database (lower case, digits and `_`)."""
    results_bucket_name: str
    results_access_log_bucket_name: str
    key_alias: str
    """Alias of the key that encrypts results and the Glue catalog, `alias/...`."""
    role_name: str
    """The query role (read-only on the logs)."""
    query_principal_arns: tuple[str, ...]
    """ARN patterns, in `account_id`, that may assume the query role."""
    bytes_scanned_cutoff_gb: int = 10
    """A query scanning more is cancelled (default 10 GiB)."""
    results_retention_days: int = 30
    """Days results are kept (default 30)."""
    prevent_destroy: bool = True
    """Refuse to destroy the buckets (default true)."""
    force_destroy: bool = False
    """Delete the buckets' objects and the workgroup's saved queries with them (default false; local API runs)."""
    provider: Optional[TerraformProvider] = None
    """Provider of the home region (default: the stack's default provider)."""


class LogQuery(Construct):
    """KMS key; results bucket (SSE-KMS, TLS only, versioned, lifecycle, access-logged to an SSE-S3 bucket);
    an enforced workgroup with a bytes-scanned cutoff; Glue catalog encryption; a database, its tables with
    partition projection, the saved queries; the query role.

    Attributes: `key`, `results_bucket`, `access_log_bucket`, `workgroup`, `database`, `tables` (name ->
    aws_glue_catalog_table), `queries`, `role`.
    """

    def __init__(self, scope: Construct, id: str, props: LogQueryProps) -> None:
        super().__init__(scope, id)
        self.props = props
        provider, account = props.provider, props.account_id
        self.key = KmsKey(
            self,
            "key",
            provider=provider,
            description="Encrypts Athena's query results and the Glue data catalog over the log archive",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            # Used by principals of this account that IAM allows (the query role's policy): no other grants.
            policy=policy_json(key_administration(account)),
        )
        self.key.override_logical_id("log_query_key")
        KmsAlias(self, "alias", provider=provider, name=props.key_alias, target_key_id=self.key.key_id).override_logical_id(
            "log_query_key_alias"
        )
        results_name = props.results_bucket_name
        self.results_bucket, self.access_log_bucket = access_logged_bucket(
            self,
            "results",
            SecureBucketProps(
                bucket_name=results_name,
                logical_name="log_query_results_bucket",
                policy_statements=lambda arn: [deny_insecure_transport(arn)],
                retention_days=props.results_retention_days,
                noncurrent_retention_days=1,
                kms_key_arn=self.key.arn,
                prevent_destroy=props.prevent_destroy,
                force_destroy=props.force_destroy,
                provider=provider,
            ),
            SecureBucketProps(
                bucket_name=props.results_access_log_bucket_name,
                logical_name="log_query_access_log_bucket",
                policy_statements=lambda arn: access_log_bucket_statements(arn, f"arn:aws:s3:::{results_name}", account),
                retention_days=365,
                prevent_destroy=props.prevent_destroy,
                force_destroy=props.force_destroy,
                provider=provider,
            ),
            "log_query_results_access_logging",
        )
        self.workgroup = AthenaWorkgroup(
            self,
            "workgroup",
            provider=provider,
            name=props.workgroup_name,
            description="Queries over the log archive (compliance observations, AWS Config, CloudTrail)",
            state="ENABLED",
            force_destroy=True if props.force_destroy else None,
            configuration=AthenaWorkgroupConfiguration(
                enforce_workgroup_configuration=True,
                publish_cloudwatch_metrics_enabled=True,
                bytes_scanned_cutoff_per_query=props.bytes_scanned_cutoff_gb * GIB,
                result_configuration=AthenaWorkgroupConfigurationResultConfiguration(
                    output_location=f"s3://{self.results_bucket.bucket_name}/{RESULTS_PREFIX}",
                    expected_bucket_owner=account,
                    encryption_configuration=AthenaWorkgroupConfigurationResultConfigurationEncryptionConfiguration(
                        encryption_option="SSE_KMS", kms_key_arn=self.key.arn
                    ),
                ),
            ),
            depends_on=[self.results_bucket.policy],
        )
        self.workgroup.override_logical_id("log_query_workgroup")
        # Account-wide in its region (one setting per catalog): the audit account's catalog is encrypted.
        self.catalog_encryption = GlueDataCatalogEncryptionSettings(
            self,
            "catalog_encryption",
            provider=provider,
            data_catalog_encryption_settings=GlueDataCatalogEncryptionSettingsDataCatalogEncryptionSettings(
                encryption_at_rest=GlueDataCatalogEncryptionSettingsDataCatalogEncryptionSettingsEncryptionAtRest(
                    catalog_encryption_mode="SSE-KMS", sse_aws_kms_key_id=self.key.arn
                ),
                connection_password_encryption=GlueDataCatalogEncryptionSettingsDataCatalogEncryptionSettingsConnectionPasswordEncryption(
                    return_connection_password_encrypted=True, aws_kms_key_id=self.key.arn
                ),
            ),
        )
        self.catalog_encryption.override_logical_id("log_query_catalog_encryption")
        self.database = GlueCatalogDatabase(
            self,
            "database",
            provider=provider,
            name=props.database_name,
            description="Tables over the log archive bucket (landing zone)",
            depends_on=[self.catalog_encryption],
        )
        self.database.override_logical_id("log_query_database")
        self.tables = {spec.name: self._table(spec) for spec in props.tables}
        self.queries = [self._query(q) for q in props.queries]
        self.role = IamRole(
            self,
            "role",
            provider=provider,
            name=props.role_name,
            description="Runs Athena queries over the log archive (read-only)",
            assume_role_policy=policy_json(query_role_trust(account, props.query_principal_arns)),
            max_session_duration=3600,
        )
        self.role.override_logical_id("log_query_role")
        prefixes = tuple(dict.fromkeys(spec.read_pattern for spec in props.tables))
        IamRolePolicy(
            self,
            "role_policy",
            provider=provider,
            name="log-query",
            role=self.role.id,
            policy=policy_json(
                query_role_statements(
                    region=props.region,
                    account_id=account,
                    workgroup_arn=self.workgroup.arn,
                    database=props.database_name,
                    log_bucket_arn=f"arn:aws:s3:::{props.log_bucket_name}",
                    log_key_arn=props.log_key_arn,
                    log_region=props.region,
                    key_patterns=prefixes,
                    results_bucket_arn=self.results_bucket.bucket_arn,
                    query_key_arn=self.key.arn,
                )
            ),
        ).override_logical_id("log_query_role_policy")

    def _table(self, spec: TableSpec) -> GlueCatalogTable:
        base = f"s3://{self.props.log_bucket_name}/"
        table = GlueCatalogTable(
            self,
            logical_id("table", spec.name),
            provider=self.props.provider,
            database_name=self.database.name,
            name=spec.name,
            description=spec.description,
            table_type="EXTERNAL_TABLE",
            parameters={
                "EXTERNAL": "TRUE",
                "classification": "json",
                **spec.projection,
                "storage.location.template": base + terraform_literal(spec.location_template),
            },
            partition_keys=[
                GlueCatalogTablePartitionKeys(name=c.name, type=c.type, comment=c.comment or None) for c in spec.partition_keys
            ],
            storage_descriptor=GlueCatalogTableStorageDescriptor(
                location=base + spec.location,
                input_format=spec.input_format,
                output_format=spec.output_format,
                ser_de_info=GlueCatalogTableStorageDescriptorSerDeInfo(
                    serialization_library=spec.serde, parameters=dict(spec.serde_parameters) or None
                ),
                columns=[
                    GlueCatalogTableStorageDescriptorColumns(name=c.name, type=c.type, comment=c.comment or None)
                    for c in spec.columns
                ],
            ),
        )
        table.override_logical_id(logical_id("log_query_table", spec.name))
        return table

    def _query(self, query: SavedQuery) -> AthenaNamedQuery:
        named = AthenaNamedQuery(
            self,
            logical_id("query", query.name),
            provider=self.props.provider,
            name=query.name,
            description=query.full_description,
            workgroup=self.workgroup.name,
            database=self.database.name,
            query=terraform_literal(query.sql),
            depends_on=list(self.tables.values()),
        )
        named.override_logical_id(logical_id("log_query_saved", query.name))
        return named
