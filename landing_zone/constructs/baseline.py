"""The account baseline: settings every account of the landing zone gets, core accounts included.

Applied once per account stack. The account-factory work adds to it (alternate
contacts, alias, budget, deploy role) through new optional props fields and
`add_*` methods; what is here stays as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Mapping, Optional

from cdktf import TerraformProvider
from cdktf_cdktf_provider_aws.ebs_encryption_by_default import EbsEncryptionByDefault
from cdktf_cdktf_provider_aws.ec2_instance_metadata_defaults import Ec2InstanceMetadataDefaults
from cdktf_cdktf_provider_aws.iam_account_password_policy import IamAccountPasswordPolicy
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from cdktf_cdktf_provider_aws.s3_account_public_access_block import S3AccountPublicAccessBlock
from constructs import Construct

from ..identity.support_role import AWS_SUPPORT_ACCESS
from ..identity.trust import MFA_MAX_AGE_SECONDS
from .ids import logical_id
from .logging.config_recording import ConfigRecording, ConfigRecordingProps


@dataclass(frozen=True, kw_only=True)
class PasswordPolicy:
    """IAM password policy; the defaults meet CIS 1.8/1.9 and checkov CKV_AWS_9-15."""

    minimum_length: int = 14
    """Minimum password length (default 14, CIS 1.8)."""
    reuse_prevention: int = 24
    """Previous passwords that cannot be reused (default 24, CIS 1.9)."""
    max_age_days: int = 90
    """Days before a password expires (default 90)."""
    require_symbols: bool = True
    require_numbers: bool = True
    require_uppercase: bool = True
    require_lowercase: bool = True
    allow_users_to_change: bool = True
    hard_expiry: bool = False
    """Expired passwords need an administrator to reset them (default false: users set a new one)."""


@dataclass(frozen=True, kw_only=True)
class ConfigDelivery:
    """Where an account's AWS Config delivers: the log archive."""

    bucket_name: str
    """Central log bucket."""
    kms_key_arn: str
    """Log archive key."""
    recorder_name: str
    delivery_channel_name: str
    role_name: str
    """Recorder role name when `service_linked_role` is false; the log bucket's policy names it."""
    service_linked_role: bool = True
    """Record with AWSServiceRoleForConfig (default true)."""
    regions: tuple[str, ...]
    """Regions to record in; must include the home region."""
    delivery_frequency: str = "TwentyFour_Hours"
    depends_on: tuple = ()
    """Resources delivery needs first, such as the log bucket's policy in the same stack (default none)."""


@dataclass(frozen=True, kw_only=True)
class SupportRoleSpec:
    """An IAM role that may open and manage AWS Support cases (AWSSupportAccess, CIS 1.17)."""

    name: str
    trust: dict
    """Its trust policy (identity/support_role.py: named management-account principals with MFA)."""
    policy_arn: str = AWS_SUPPORT_ACCESS
    max_session_seconds: int = MFA_MAX_AGE_SECONDS
    """As the break-glass role's: the MFA sign-in the trust asks for is at most an hour old."""


@dataclass(frozen=True, kw_only=True)
class AccountBaselineProps:
    """One account's baseline. Omitted optional parts are not created; the rest defaults to on."""

    account_id: str
    """The account the stack deploys into."""
    home_region: str
    """Region of the account-wide (global) settings."""
    providers: Mapping[str, TerraformProvider]
    """One provider per governed region (region -> provider), the home region's included."""
    password_policy: Optional[PasswordPolicy] = field(default_factory=PasswordPolicy)
    """IAM password policy (default: CIS; None leaves the account's own)."""
    s3_public_access_block: bool = True
    """Block public S3 access account-wide, all four flags (default true, CIS 2.1.4)."""
    ebs_encryption_by_default: bool = True
    """Encrypt new EBS volumes in every governed region (default true, CIS 2.2.1)."""
    imdsv2_required: bool = True
    """Require IMDSv2 for new instances in every governed region (default true, CIS 5.6)."""
    config: Optional[ConfigDelivery] = None
    """AWS Config recording (default none: the account is not recorded)."""
    support_role: Optional[SupportRoleSpec] = None
    """An IAM support role (default none: Identity Center's support permission set gives the access)."""


class AccountBaseline(Construct):
    """Password policy, account public access block (home region), EBS default
    encryption and IMDSv2 default (every governed region), AWS Config, and an IAM support role.

    Attributes: `password_policy`, `public_access_block`, `ebs_encryption`
    and `metadata_defaults` (by region), `config` (ConfigRecording or None),
    `support_role` (IamRole or None).
    """

    def __init__(self, scope: Construct, id: str, props: AccountBaselineProps) -> None:
        super().__init__(scope, id)
        self.props = props
        if props.home_region not in props.providers:
            raise ValueError(f"no provider for the home region {props.home_region!r} (have {', '.join(props.providers)})")
        home = props.providers[props.home_region]
        self.password_policy = None
        if props.password_policy:
            p = props.password_policy
            self.password_policy = IamAccountPasswordPolicy(
                self,
                "password_policy",
                provider=home,
                minimum_password_length=p.minimum_length,
                password_reuse_prevention=p.reuse_prevention,
                max_password_age=p.max_age_days,
                require_symbols=p.require_symbols,
                require_numbers=p.require_numbers,
                require_uppercase_characters=p.require_uppercase,
                require_lowercase_characters=p.require_lowercase,
                allow_users_to_change_password=p.allow_users_to_change,
                hard_expiry=p.hard_expiry,
            )
            self.password_policy.override_logical_id("account_password_policy")
        self.public_access_block = None
        if props.s3_public_access_block:
            self.public_access_block = S3AccountPublicAccessBlock(
                self,
                "s3_public_access_block",
                provider=home,
                account_id=props.account_id,
                block_public_acls=True,
                block_public_policy=True,
                ignore_public_acls=True,
                restrict_public_buckets=True,
            )
            self.public_access_block.override_logical_id("account_s3_public_access_block")
        self.ebs_encryption: dict[str, EbsEncryptionByDefault] = {}
        self.metadata_defaults: dict[str, Ec2InstanceMetadataDefaults] = {}
        for region, provider in props.providers.items():
            if props.ebs_encryption_by_default:
                ebs = EbsEncryptionByDefault(self, f"ebs_{region}", provider=provider, enabled=True)
                ebs.override_logical_id(logical_id("ebs_encryption_by_default", region))
                self.ebs_encryption[region] = ebs
            if props.imdsv2_required:
                imds = Ec2InstanceMetadataDefaults(
                    self, f"imds_{region}", provider=provider, http_tokens="required", http_endpoint="enabled"
                )
                imds.override_logical_id(logical_id("instance_metadata_defaults", region))
                self.metadata_defaults[region] = imds
        self.support_role = None
        if props.support_role:
            spec = props.support_role
            self.support_role = IamRole(
                self,
                "support_role",
                provider=home,
                name=spec.name,
                description="Opens and manages AWS Support cases (CIS 1.17)",
                assume_role_policy=json.dumps(spec.trust),
                max_session_duration=spec.max_session_seconds,
            )
            self.support_role.override_logical_id("support_role")
            IamRolePolicyAttachment(
                self, "support_access", provider=home, role=self.support_role.name, policy_arn=spec.policy_arn
            ).override_logical_id("support_role_access")
        self.config = None
        if props.config:
            c = props.config
            missing = [r for r in c.regions if r not in props.providers]
            if missing:
                raise ValueError(f"Config regions without a provider: {', '.join(missing)}")
            self.config = ConfigRecording(
                self,
                "config",
                ConfigRecordingProps(
                    account_id=props.account_id,
                    providers={r: props.providers[r] for r in c.regions},
                    home_region=props.home_region,
                    bucket_name=c.bucket_name,
                    kms_key_arn=c.kms_key_arn,
                    recorder_name=c.recorder_name,
                    delivery_channel_name=c.delivery_channel_name,
                    role_name=c.role_name,
                    service_linked_role=c.service_linked_role,
                    delivery_frequency=c.delivery_frequency,
                    depends_on=c.depends_on,
                ),
            )
