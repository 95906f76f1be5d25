"""One S3 bucket with every protection a log bucket needs, as split provider-v5 resources."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from cdktf import TerraformProvider, TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload,
    S3BucketLifecycleConfigurationRuleExpiration,
    S3BucketLifecycleConfigurationRuleFilter,
    S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration,
    S3BucketLifecycleConfigurationRuleTransition,
)
from cdktf_cdktf_provider_aws.s3_bucket_logging import S3BucketLoggingA
from cdktf_cdktf_provider_aws.s3_bucket_object_lock_configuration import (
    S3BucketObjectLockConfigurationA,
    S3BucketObjectLockConfigurationRuleA,
    S3BucketObjectLockConfigurationRuleDefaultRetentionA,
)
from cdktf_cdktf_provider_aws.s3_bucket_ownership_controls import S3BucketOwnershipControls, S3BucketOwnershipControlsRule
from cdktf_cdktf_provider_aws.s3_bucket_policy import S3BucketPolicy
from cdktf_cdktf_provider_aws.s3_bucket_public_access_block import S3BucketPublicAccessBlock
from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
    S3BucketServerSideEncryptionConfigurationA,
    S3BucketServerSideEncryptionConfigurationRuleA,
    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA,
)
from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA, S3BucketVersioningVersioningConfiguration
from constructs import Construct

from .policies import policy_json


@dataclass(frozen=True, kw_only=True)
class SecureBucketProps:
    """A private, versioned, encrypted bucket with a retention lifecycle."""

    bucket_name: str
    """Bucket name (globally unique)."""
    logical_name: str
    """Stem of the terraform resource names (`<stem>`, `<stem>_versioning`, ...), unique in the stack."""
    policy_statements: Callable[[str], list[dict]]
    """The bucket policy's statements, given the bucket ARN."""
    retention_days: int
    """Days after which current objects expire."""
    noncurrent_retention_days: int = 90
    """Days a replaced or deleted version is kept (default 90)."""
    glacier_transition_days: Optional[int] = None
    """Days after which objects move to Glacier Flexible Retrieval (default: never)."""
    kms_key_arn: Optional[str] = None
    """KMS key for default encryption with an S3 bucket key; omitted: SSE-S3 (AES256), which server access logging needs."""
    object_lock_mode: Optional[str] = None
    """GOVERNANCE or COMPLIANCE default retention (default: no Object Lock)."""
    object_lock_days: int = 365
    """Default Object Lock retention in days (default 365; used with object_lock_mode)."""
    prevent_destroy: bool = True
    """Refuse to destroy the bucket (default true)."""
    force_destroy: bool = False
    """Delete every object when the bucket is destroyed (default false; for test runs against a local API)."""
    provider: Optional[TerraformProvider] = None
    """Provider of the bucket's region (default: the stack's default provider)."""
    lifecycle_elsewhere: bool = False
    """Leave the lifecycle configuration out, for `add_lifecycle_in` to build in another stack of the same account
    and region (default false: built here). The AWS provider waits 55 s after writing one; a stack that every other
    stack waits for should not (derived/stack_layout.py, WAIT_ONLY_STACKS)."""


class SecureBucket(Construct):
    """`aws_s3_bucket` plus versioning, encryption, public access block,
    BucketOwnerEnforced ownership, TLS-only policy and lifecycle.

    Attributes: `bucket` (the aws_s3_bucket), `bucket_name`, `bucket_arn`, `policy`.
    """

    def __init__(self, scope: Construct, id: str, props: SecureBucketProps) -> None:
        super().__init__(scope, id)
        self.props = props
        name, provider = props.logical_name, props.provider
        self.bucket = S3Bucket(
            self,
            "bucket",
            bucket=props.bucket_name,
            provider=provider,
            object_lock_enabled=True if props.object_lock_mode else None,
            force_destroy=True if props.force_destroy else None,
            lifecycle=TerraformResourceLifecycle(prevent_destroy=props.prevent_destroy),
        )
        self.bucket.override_logical_id(name)
        bucket_id = self.bucket.id

        def named(resource, suffix: str):
            resource.override_logical_id(f"{name}_{suffix}")
            return resource

        named(
            S3BucketOwnershipControls(
                self,
                "ownership",
                bucket=bucket_id,
                provider=provider,
                rule=S3BucketOwnershipControlsRule(object_ownership="BucketOwnerEnforced"),
            ),
            "ownership",
        )
        self.public_access_block = named(
            S3BucketPublicAccessBlock(
                self,
                "public_access_block",
                bucket=bucket_id,
                provider=provider,
                block_public_acls=True,
                block_public_policy=True,
                ignore_public_acls=True,
                restrict_public_buckets=True,
            ),
            "public_access_block",
        )
        self.versioning = named(
            S3BucketVersioningA(
                self,
                "versioning",
                bucket=bucket_id,
                provider=provider,
                versioning_configuration=S3BucketVersioningVersioningConfiguration(status="Enabled"),
            ),
            "versioning",
        )
        by_default = (
            S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA(
                sse_algorithm="aws:kms", kms_master_key_id=props.kms_key_arn
            )
            if props.kms_key_arn
            else S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA(sse_algorithm="AES256")
        )
        named(
            S3BucketServerSideEncryptionConfigurationA(
                self,
                "encryption",
                bucket=bucket_id,
                provider=provider,
                rule=[
                    S3BucketServerSideEncryptionConfigurationRuleA(
                        apply_server_side_encryption_by_default=by_default, bucket_key_enabled=True if props.kms_key_arn else None
                    )
                ],
            ),
            "encryption",
        )
        self.lifecycle = None if props.lifecycle_elsewhere else self._lifecycle(self, "lifecycle", bucket_id, provider)
        policy_after = [self.public_access_block]
        if props.object_lock_mode:
            policy_after.append(
                named(
                    S3BucketObjectLockConfigurationA(
                        self,
                        "object_lock",
                        bucket=bucket_id,
                        provider=provider,
                        rule=S3BucketObjectLockConfigurationRuleA(
                            default_retention=S3BucketObjectLockConfigurationRuleDefaultRetentionA(
                                mode=props.object_lock_mode, days=props.object_lock_days
                            )
                        ),
                        depends_on=[self.versioning],
                    ),
                    "object_lock",
                )
            )
        # The public access block first: a policy that AWS judged public would be refused with it, never applied
        # without it. The lock too: a log bucket's policy denies every change of the lock, the deployer's included.
        self.policy = named(
            S3BucketPolicy(
                self,
                "policy",
                bucket=bucket_id,
                provider=provider,
                policy=policy_json(props.policy_statements(self.bucket.arn)),
                depends_on=policy_after,
            ),
            "policy",
        )

    def add_lifecycle_in(self, scope: Construct, provider: Optional[TerraformProvider] = None) -> S3BucketLifecycleConfiguration:
        """The bucket's lifecycle configuration, built in `scope` (another stack of the bucket's account and region,
        applied after the bucket's: versioning is on by then), under the terraform name it has beside the bucket."""
        if not self.props.lifecycle_elsewhere:
            raise ValueError(
                f"{self.props.logical_name}: its lifecycle configuration is built beside it (lifecycle_elsewhere is false)"
            )
        self.lifecycle = self._lifecycle(scope, f"{self.props.logical_name}_lifecycle", self.props.bucket_name, provider)
        return self.lifecycle

    def _lifecycle(self, scope: Construct, id: str, bucket: str, provider) -> S3BucketLifecycleConfiguration:
        props = self.props
        lifecycle = S3BucketLifecycleConfiguration(
            scope,
            id,
            bucket=bucket,
            provider=provider,
            rule=[
                S3BucketLifecycleConfigurationRule(
                    id="retention",
                    status="Enabled",
                    filter=[S3BucketLifecycleConfigurationRuleFilter(prefix="")],
                    expiration=[S3BucketLifecycleConfigurationRuleExpiration(days=props.retention_days)],
                    transition=[
                        S3BucketLifecycleConfigurationRuleTransition(days=props.glacier_transition_days, storage_class="GLACIER")
                    ]
                    if props.glacier_transition_days
                    else None,
                    noncurrent_version_expiration=[
                        S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration(
                            noncurrent_days=props.noncurrent_retention_days
                        )
                    ],
                    abort_incomplete_multipart_upload=[
                        S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload(days_after_initiation=7)
                    ],
                )
            ],
            # Lifecycle rules on a versioned bucket act on versions: enable versioning first (in another
            # stack, the bucket's stack is applied first).
            depends_on=[self.versioning] if scope is self else None,
        )
        lifecycle.override_logical_id(f"{props.logical_name}_lifecycle")
        return lifecycle

    @property
    def bucket_name(self) -> str:
        return self.bucket.bucket

    @property
    def bucket_arn(self) -> str:
        return self.bucket.arn


def access_logging(
    scope: Construct, bucket: SecureBucket, target: SecureBucket, logical_name: str, id: str = "access_logging"
) -> S3BucketLoggingA:
    """S3 server access logging of `bucket` into `target` under `<bucket name>/`, built in `scope` (construct id
    `id`, terraform name `logical_name`)."""
    logging = S3BucketLoggingA(
        scope,
        id,
        provider=bucket.props.provider,
        bucket=bucket.bucket.id,
        target_bucket=target.bucket.id,
        target_prefix=f"{bucket.props.bucket_name}/",
        # The target's policy must let S3 logging write before logging starts.
        depends_on=[target.policy],
    )
    logging.override_logical_id(logical_name)
    return logging


def access_logged_bucket(
    scope: Construct, id: str, props: SecureBucketProps, access_logs: SecureBucketProps, logging_name: str
) -> tuple[SecureBucket, SecureBucket]:
    """A SecureBucket (construct id `id`) and its access-log bucket (id `access_logs`), the first logging to the
    second, all built in the caller's `scope`: no construct of their own, so terraform addresses and construct
    paths stay those of the buckets. Returns (bucket, access-log bucket)."""
    access_log_bucket = SecureBucket(scope, "access_logs", access_logs)
    bucket = SecureBucket(scope, id, props)
    access_logging(scope, bucket, access_log_bucket, logging_name)
    return bucket, access_log_bucket
