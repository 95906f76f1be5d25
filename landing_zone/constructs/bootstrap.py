"""What `lz bootstrap` creates in the management account before any other stack:
the state bucket and its key, the CI OIDC provider and the CI roles.

Trust policies come from identity/ci_roles.py (pure Python, unit-tested);
this module only renders them. Logical ids are fixed names (one of each per
environment), so a second `lz bootstrap` plans no change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Optional

from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.iam_openid_connect_provider import IamOpenidConnectProvider
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload,
    S3BucketLifecycleConfigurationRuleFilter,
    S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration,
)
from cdktf_cdktf_provider_aws.s3_bucket_logging import S3BucketLoggingA
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

from ..identity.ci_roles import AUDIENCE, READ_ONLY_TAG, CiIdentity, oidc_trust_policy, role_trust_policy
from .logging.policies import access_log_bucket_statements, deny_insecure_transport, policy_json
from .logging.secure_bucket import SecureBucket, SecureBucketProps

READ_ONLY_POLICY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"


@dataclass(frozen=True, kw_only=True)
class StateBucketProps:
    """The S3 bucket every later stack keeps its state in."""

    bucket_name: str
    """State bucket name (globally unique)."""
    access_log_bucket_name: str
    """Its server access-log bucket."""
    account_id: str
    """The management account (key policy, access-log writer)."""
    key_alias: str
    """Alias of the state key, `alias/...`."""
    noncurrent_retention_days: int = 365
    """Days an older state version is kept (default 365; current state never expires)."""
    prevent_destroy: bool = True
    """Refuse to destroy the bucket and the key (default true)."""
    force_destroy: bool = False
    """Delete the objects with the buckets (default false; test runs against a local API only)."""


class StateBucket(Construct):
    """KMS key (rotation on), versioned SSE-KMS bucket, public access blocked, TLS-only policy,
    BucketOwnerEnforced, server access logging; locking is the backend's `use_lockfile` (an
    object next to the state), so no DynamoDB table.

    Attributes: `key`, `bucket`, `bucket_name`, `bucket_arn`.
    """

    def __init__(self, scope: Construct, id: str, props: StateBucketProps) -> None:
        super().__init__(scope, id)
        root = f"arn:aws:iam::{props.account_id}:root"
        self.key = KmsKey(
            self,
            "key",
            description="Encrypts the landing zone's Terraform state",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=policy_json(
                [{"Sid": "AccountAdministers", "Effect": "Allow", "Principal": {"AWS": root}, "Action": "kms:*", "Resource": "*"}]
            ),
            lifecycle=TerraformResourceLifecycle(prevent_destroy=props.prevent_destroy),
        )
        self.key.override_logical_id("state_key")
        KmsAlias(self, "alias", name=props.key_alias, target_key_id=self.key.key_id).override_logical_id("state_key_alias")
        self.bucket = S3Bucket(
            self,
            "bucket",
            bucket=props.bucket_name,
            force_destroy=True if props.force_destroy else None,
            lifecycle=TerraformResourceLifecycle(prevent_destroy=props.prevent_destroy),
        )
        self.bucket.override_logical_id("state_bucket")
        bucket_id = self.bucket.id

        def named(resource, suffix: str):
            resource.override_logical_id(f"state_bucket_{suffix}")
            return resource

        named(
            S3BucketOwnershipControls(
                self, "ownership", bucket=bucket_id, rule=S3BucketOwnershipControlsRule(object_ownership="BucketOwnerEnforced")
            ),
            "ownership",
        )
        block = named(
            S3BucketPublicAccessBlock(
                self,
                "public_access_block",
                bucket=bucket_id,
                block_public_acls=True,
                block_public_policy=True,
                ignore_public_acls=True,
                restrict_public_buckets=True,
            ),
            "public_access_block",
        )
        versioning = named(
            S3BucketVersioningA(
                self,
                "versioning",
                bucket=bucket_id,
                versioning_configuration=S3BucketVersioningVersioningConfiguration(status="Enabled"),
            ),
            "versioning",
        )
        named(
            S3BucketServerSideEncryptionConfigurationA(
                self,
                "encryption",
                bucket=bucket_id,
                rule=[
                    S3BucketServerSideEncryptionConfigurationRuleA(
                        apply_server_side_encryption_by_default=S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA(
                            sse_algorithm="aws:kms", kms_master_key_id=self.key.arn
                        ),
                        bucket_key_enabled=True,
                    )
                ],
            ),
            "encryption",
        )
        named(
            S3BucketLifecycleConfiguration(
                self,
                "lifecycle",
                bucket=bucket_id,
                rule=[
                    S3BucketLifecycleConfigurationRule(
                        id="old-state-versions",
                        status="Enabled",
                        filter=[S3BucketLifecycleConfigurationRuleFilter(prefix="")],
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
                depends_on=[versioning],
            ),
            "lifecycle",
        )
        self.policy = named(
            S3BucketPolicy(
                self,
                "policy",
                bucket=bucket_id,
                policy=policy_json([deny_insecure_transport(self.bucket.arn)]),
                depends_on=[block],
            ),
            "policy",
        )
        bucket_arn = self.bucket.arn
        self.access_log_bucket = SecureBucket(
            self,
            "access_logs",
            SecureBucketProps(
                bucket_name=props.access_log_bucket_name,
                logical_name="state_access_log_bucket",
                policy_statements=lambda arn: access_log_bucket_statements(arn, bucket_arn, props.account_id),
                retention_days=365,
                prevent_destroy=props.prevent_destroy,
                force_destroy=props.force_destroy,
            ),
        )
        named(
            S3BucketLoggingA(
                self,
                "access_logging",
                bucket=bucket_id,
                target_bucket=self.access_log_bucket.bucket.id,
                target_prefix=f"{props.bucket_name}/",
                depends_on=[self.access_log_bucket.policy],
            ),
            "access_logging",
        )

    @property
    def bucket_name(self) -> str:
        return self.bucket.bucket

    @property
    def bucket_arn(self) -> str:
        return self.bucket.arn


@dataclass(frozen=True, kw_only=True)
class CiRolesProps:
    """The OIDC provider and the roles CI takes over with."""

    identity: CiIdentity
    """Issuer, subjects and role names (identity/ci_roles.ci_identity)."""
    account_id: str
    """The management account."""
    state_bucket_arn: str
    state_key_arn: str


class CiRoles(Construct):
    """`oidc_provider`; `plan_role` (read-only: ReadOnlyAccess, the state and its lock file, each account's
    plan role; trusted by GitHub pull requests or every branch of the GitLab project); `apply_role` (may only assume the deployment role);
    `deployment_role` (AdministratorAccess; trusted by the apply role alone)."""

    def __init__(self, scope: Construct, id: str, props: CiRolesProps) -> None:
        super().__init__(scope, id)
        ident = props.identity
        self.oidc_provider = IamOpenidConnectProvider(self, "oidc", url=ident.issuer_url, client_id_list=[AUDIENCE])
        self.oidc_provider.override_logical_id("ci_oidc_provider")
        arn = self.oidc_provider.arn
        self.apply_role = IamRole(
            self,
            "apply",
            name=ident.apply_role_name,
            description=f"CI apply: {ident.apply_subject} only; may assume the deployment role",
            assume_role_policy=json.dumps(oidc_trust_policy(arn, ident.host, ident.apply_subject)),
            max_session_duration=3600,
        )
        self.apply_role.override_logical_id("ci_apply_role")
        deployment_arn = f"arn:aws:iam::{props.account_id}:role/{ident.deployment_role_name}"
        IamRolePolicy(
            self,
            "apply_policy",
            name="assume-deployment-role",
            role=self.apply_role.id,
            policy=policy_json(
                [{"Sid": "AssumeDeployment", "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": deployment_arn}]
            ),
        ).override_logical_id("ci_apply_role_policy")
        self.deployment_role = IamRole(
            self,
            "deployment",
            name=ident.deployment_role_name,
            description="Deploys the landing zone's management stacks; assumed by the CI apply role only",
            assume_role_policy=json.dumps(role_trust_policy([self.apply_role.arn])),
            max_session_duration=3600,
        )
        self.deployment_role.override_logical_id("deployment_role")
        IamRolePolicyAttachment(
            self, "deployment_admin", role=self.deployment_role.name, policy_arn=ADMIN_POLICY
        ).override_logical_id("deployment_role_admin")
        self.plan_role: Optional[IamRole] = None
        if ident.plan_subject is not None:
            self.plan_role = IamRole(
                self,
                "plan",
                name=ident.plan_role_name,
                description=f"CI plan (read-only): {ident.plan_subject} only",
                assume_role_policy=json.dumps(oidc_trust_policy(arn, ident.host, ident.plan_subject, read_only=True)),
                max_session_duration=3600,
                tags=dict(READ_ONLY_TAG),
            )
            self.plan_role.override_logical_id("ci_plan_role")
            IamRolePolicyAttachment(
                self, "plan_read_only", role=self.plan_role.name, policy_arn=READ_ONLY_POLICY
            ).override_logical_id("ci_plan_role_read_only")
            bucket = props.state_bucket_arn
            IamRolePolicy(
                self,
                "plan_policy",
                name="state-and-member-plan-roles",
                role=self.plan_role.id,
                policy=policy_json(
                    [
                        {
                            "Sid": "ReadState",
                            "Effect": "Allow",
                            "Action": ["s3:GetObject", "s3:ListBucket"],
                            "Resource": [bucket, f"{bucket}/*"],
                        },
                        # A plan takes the lock too: terraform writes and removes <key>.tflock next to the state.
                        {
                            "Sid": "LockFile",
                            "Effect": "Allow",
                            "Action": ["s3:PutObject", "s3:DeleteObject"],
                            "Resource": f"{bucket}/*.tflock",
                        },
                        {
                            "Sid": "StateKey",
                            "Effect": "Allow",
                            "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                            "Resource": props.state_key_arn,
                        },
                        {
                            "Sid": "MemberPlanRoles",
                            "Effect": "Allow",
                            "Action": "sts:AssumeRole",
                            "Resource": f"arn:aws:iam::*:role/{ident.member_plan_role_name}",
                        },
                    ]
                ),
            ).override_logical_id("ci_plan_role_policy")


@dataclass(frozen=True, kw_only=True)
class MemberPlanRoleProps:
    """The read-only role in one member account that the CI plan role assumes."""

    role_name: str
    plan_role_arn: str
    """The management account's CI plan role, the only principal trusted."""


class MemberPlanRole(Construct):
    """`role`: ReadOnlyAccess, trusted by the CI plan role alone."""

    def __init__(self, scope: Construct, id: str, props: MemberPlanRoleProps) -> None:
        super().__init__(scope, id)
        self.role = IamRole(
            self,
            "role",
            name=props.role_name,
            description="Read-only role for CI plans; assumed by the management account's CI plan role only",
            assume_role_policy=json.dumps(role_trust_policy([props.plan_role_arn])),
            max_session_duration=3600,
        )
        self.role.override_logical_id("ci_member_plan_role")
        IamRolePolicyAttachment(self, "read_only", role=self.role.name, policy_arn=READ_ONLY_POLICY).override_logical_id(
            "ci_member_plan_role_read_only"
        )
