"""The lifecycle stacks: the lifecycle configurations of the management and log-archive stacks' buckets.

The AWS provider waits 55 s after it writes a bucket's lifecycle
configuration (a 10 s delay, then ten agreeing reads 5 s apart), whatever
the API. In the management and log-archive stacks, which every other stack
waits for, that put two minutes in front of the whole deploy; in a stack of
their own that nothing waits for, the wait overlaps the rest of it
(derived/stack_layout.py, WAIT_ONLY_STACKS).

A lifecycle stack deploys into its owner's account with its owner's
credentials (the log archive's deploying role is the only one the mandatory
SCPs let change the log buckets' lifecycle) after the owner, so the bucket
and its versioning exist. The owner keeps a `removed` block (destroy =
false) for each address that moved: a deployment made before the move
forgets the resource there instead of deleting the configuration, and the
lifecycle stack writes the same configuration again.
"""

from __future__ import annotations

from typing import Sequence

from constructs import Construct

from ..constructs.logging.secure_bucket import SecureBucket
from ..derived.stack_layout import LOG_ARCHIVE_LIFECYCLE, MANAGEMENT_LIFECYCLE
from .account_stack import AccountStack, add_caller_output
from .base import LandingZoneStack
from .settings import StackSettings

LIFECYCLE_TYPE = "aws_s3_bucket_lifecycle_configuration"


class LifecycleStack(LandingZoneStack):
    """The lifecycle configurations of `buckets` (built in `owner` with `lifecycle_elsewhere`), in `owner`'s account
    and home region. Attribute: `lifecycles` (the S3BucketLifecycleConfiguration resources)."""

    def __init__(
        self,
        scope: Construct,
        name: str,
        settings: StackSettings,
        *,
        owner: LandingZoneStack,
        management,
        buckets: Sequence[SecureBucket],
    ) -> None:
        super().__init__(scope, name, settings, role_arn=owner.role_arn, allowed_account_ids=owner.allowed_account_ids)
        if isinstance(owner, AccountStack):  # a member account: its role, like every member stack
            self.add_credentials_variable()  # the member role ARN may read var.lz_credentials (CI plan jobs)
            add_caller_output(self, owner.account_name)  # like every member stack: proof of the account it acts in
        self.add_dependency(management)
        if owner is not management:
            self.add_dependency(owner)
        self.lifecycles = [bucket.add_lifecycle_in(self, self.provider) for bucket in buckets]


def add_lifecycle_stacks(scope: Construct, settings: StackSettings, *, management, log_archive=None, wanted=lambda name: True):
    """The management-lifecycle stack (when the management stack holds the catalog) or, given `log_archive`, the
    log-archive-lifecycle stack; None when not wanted or nothing to hold."""
    if log_archive is None:
        catalog = getattr(management, "service_catalog", None)
        buckets = catalog.lifecycle_buckets if catalog is not None else []
        name, owner = MANAGEMENT_LIFECYCLE, management
    else:
        buckets, name, owner = log_archive.log_archive.lifecycle_buckets, LOG_ARCHIVE_LIFECYCLE, log_archive
    if not buckets:
        return None
    # In the owner whether or not this synth builds the lifecycle stack: the owner's output is the same either way.
    for bucket in buckets:
        owner.forget(f"{LIFECYCLE_TYPE}.{bucket.props.logical_name}_lifecycle")
    if not wanted(name):
        return None
    return LifecycleStack(scope, name, settings, owner=owner, management=management, buckets=buckets)
