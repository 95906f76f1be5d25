"""Organizations: every service AWS lets an account be delegated administrator for."""

from __future__ import annotations

# Services that accept a delegated administrator through Organizations'
# RegisterDelegatedAdministrator (AWS Organizations user guide, "AWS services
# that you can use with AWS Organizations", column "Supports delegated
# administrator"). moto 5.2 knows only six of them and refuses
# config.amazonaws.com, which the audit account administers.
DELEGATED_ADMIN_SERVICES: tuple[str, ...] = (
    "access-analyzer.amazonaws.com",
    "account.amazonaws.com",
    "backup.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "compute-optimizer.amazonaws.com",
    "config-multiaccountsetup.amazonaws.com",
    "config.amazonaws.com",
    "detective.amazonaws.com",
    "devops-guru.amazonaws.com",
    "fms.amazonaws.com",
    "guardduty.amazonaws.com",
    "health.amazonaws.com",
    "inspector2.amazonaws.com",
    "ipam.amazonaws.com",
    "macie.amazonaws.com",
    "member.org.stacksets.cloudformation.amazonaws.com",
    "securityhub.amazonaws.com",
    "securitylake.amazonaws.com",
    "servicecatalog.amazonaws.com",
    "sso.amazonaws.com",
    "ssm.amazonaws.com",
    "storage-lens.s3.amazonaws.com",
)


def install() -> None:
    from moto.organizations.models import FakeDelegatedAdministrator

    known = FakeDelegatedAdministrator.SUPPORTED_SERVICES
    known.extend(s for s in DELEGATED_ADMIN_SERVICES if s not in known)
