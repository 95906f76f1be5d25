"""The log archive's optional replica: a locked copy of the log bucket in a second governed region."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Optional

from cdktf import TerraformProvider, TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.s3_bucket_replication_configuration import (
    S3BucketReplicationConfigurationA,
    S3BucketReplicationConfigurationRule,
    S3BucketReplicationConfigurationRuleDeleteMarkerReplication,
    S3BucketReplicationConfigurationRuleDestination,
    S3BucketReplicationConfigurationRuleDestinationEncryptionConfiguration,
    S3BucketReplicationConfigurationRuleFilter,
    S3BucketReplicationConfigurationRuleSourceSelectionCriteria,
    S3BucketReplicationConfigurationRuleSourceSelectionCriteriaSseKmsEncryptedObjects,
)
from constructs import Construct

from .policies import (
    access_log_bucket_statements,
    policy_json,
    replica_bucket_statements,
    replica_key_statements,
    replication_role_statements,
    trust_policy,
)
from .secure_bucket import access_logged_bucket

if TYPE_CHECKING:
    from .log_archive import LogArchive


@dataclass(frozen=True, kw_only=True)
class LogReplicaProps:
    """Where and under which names the replica lives."""

    region: str
    """The replica's region (a governed region other than the home region)."""
    bucket_name: str
    """Name of the replica bucket."""
    access_log_bucket_name: str
    """Name of the replica's access-log bucket (server access logs stay in their bucket's region)."""
    key_alias: str
    """Alias of the replica key in the replica region, `alias/...`."""
    role_name: str
    """Name of the replication role."""
    provider: Optional[TerraformProvider] = None
    """Provider of the replica region."""


class LogReplica(Construct):
    """Built by LogArchive: the replica key and buckets (SecureBuckets hardened like the originals), the
    replication role and the log bucket's replication configuration.

    Attributes: `key`, `bucket`, `access_log_bucket` (SecureBucket), `role`, `configuration`.
    """

    def __init__(self, scope: Construct, id: str, archive: "LogArchive", props: LogReplicaProps) -> None:
        super().__init__(scope, id)
        a = archive.props
        provider = props.provider
        bucket_arn = f"arn:aws:s3:::{props.bucket_name}"
        self.key = KmsKey(
            self,
            "key",
            provider=provider,
            description="Encrypts the replica of the organization's CloudTrail and AWS Config logs in the log archive",
            enable_key_rotation=True,
            deletion_window_in_days=a.key_deletion_window_days,
            policy=policy_json(
                replica_key_statements(
                    a.account_id, props.region, a.writers.organization_id, bucket_arn, tuple(a.key_guardian_arns)
                )
            ),
            lifecycle=TerraformResourceLifecycle(prevent_destroy=a.prevent_destroy),
        )
        self.key.override_logical_id("log_replica_key")
        KmsAlias(self, "alias", name=props.key_alias, target_key_id=self.key.key_id, provider=provider).override_logical_id(
            "log_replica_key_alias"
        )
        key_arn = self.key.arn
        # The same retention, lifecycle and lock as the log bucket; its own key and denies.
        self.bucket, self.access_log_bucket = access_logged_bucket(
            self,
            "logs",
            replace(
                archive.log_bucket.props,
                bucket_name=props.bucket_name,
                logical_name="log_replica_bucket",
                policy_statements=lambda arn: replica_bucket_statements(arn, key_arn),
                kms_key_arn=key_arn,
                provider=provider,
                lifecycle_elsewhere=False,  # another region's bucket: its lifecycle stays beside it
            ),
            replace(
                archive.access_log_bucket.props,
                bucket_name=props.access_log_bucket_name,
                logical_name="replica_access_log_bucket",
                policy_statements=lambda arn: access_log_bucket_statements(arn, bucket_arn, a.account_id),
                provider=provider,
                lifecycle_elsewhere=False,
            ),
            "log_replica_bucket_access_logging",
        )

        self.role = IamRole(
            self,
            "role",
            provider=a.provider,
            name=props.role_name,
            description="Lets S3 replicate the central log bucket to its locked replica",
            assume_role_policy=trust_policy("s3.amazonaws.com", a.account_id),
        )
        self.role.override_logical_id("log_replication_role")
        role_policy = IamRolePolicy(
            self,
            "role_policy",
            provider=a.provider,
            name="replicate-logs",
            role=self.role.id,
            policy=policy_json(
                replication_role_statements(
                    archive.log_bucket_arn_pattern, archive.key.arn, a.region, bucket_arn, key_arn, props.region
                )
            ),
        )
        role_policy.override_logical_id("log_replication_role_policy")
        self.configuration = S3BucketReplicationConfigurationA(
            self,
            "configuration",
            provider=a.provider,
            bucket=archive.log_bucket.bucket.id,
            role=self.role.arn,
            rule=[
                S3BucketReplicationConfigurationRule(
                    id="log-replica",
                    status="Enabled",
                    priority=1,
                    filter=S3BucketReplicationConfigurationRuleFilter(prefix=""),
                    # A delete marker is no deletion of a log; the replica keeps showing the log.
                    delete_marker_replication=S3BucketReplicationConfigurationRuleDeleteMarkerReplication(status="Disabled"),
                    source_selection_criteria=S3BucketReplicationConfigurationRuleSourceSelectionCriteria(
                        sse_kms_encrypted_objects=S3BucketReplicationConfigurationRuleSourceSelectionCriteriaSseKmsEncryptedObjects(
                            status="Enabled"
                        )
                    ),
                    destination=S3BucketReplicationConfigurationRuleDestination(
                        bucket=self.bucket.bucket.arn,
                        storage_class="STANDARD",
                        encryption_configuration=S3BucketReplicationConfigurationRuleDestinationEncryptionConfiguration(
                            replica_kms_key_id=key_arn
                        ),
                    ),
                )
            ],
            # Replication needs versioning on both buckets; the role's policy before S3 checks the role.
            depends_on=[archive.log_bucket.versioning, self.bucket.versioning, role_policy],
        )
        self.configuration.override_logical_id("log_bucket_replication")
