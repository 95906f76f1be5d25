"""Config changes that replace or delete protected things, seen from two environment files.

`lz diff` blocks each under the danger rule `lz plan-review` would fire on
the resulting plan (so one `--allow RULE` covers both): the log archive
bucket and the organization trail are renamed when the organization's name
(its slug) or home region changes, and move when the log archive account
changes; Object Lock cannot be turned off on a bucket; a dropped governed
region deletes its Config recorder; a new audit account moves the security
administrators; a transit gateway whose ASN changes is replaced, and one
removed while VPCs attach to it leaves them cut off; a VPC whose CIDR
changes is replaced with everything in it; a removed peering deletes the
connection and its routes.
"""

from __future__ import annotations

from ..naming import slug

Found = tuple[str, str, str]  # (rule, message, where)


def _org(base, head) -> list[Found]:
    out: list[Found] = []
    old, new = base.organization, head.organization
    renamed = slug(old.name) != slug(new.name)
    moved = old.home_region != new.home_region
    if renamed or moved:
        why = (
            f"the organization name changes from {old.name!r} to {new.name!r}"
            if renamed
            else f"the home region changes from {old.home_region} to {new.home_region}"
        )
        out.append(
            (
                "log-archive-bucket-delete",
                f"{why}: the central log bucket is renamed, so terraform deletes it and creates another",
                "organization",
            )
        )
        out.append(("organization-trail-delete", f"{why}: the organization trail is replaced", "organization"))
    if base.core.log_archive_account != head.core.log_archive_account:
        out.append(
            (
                "log-archive-bucket-delete",
                f"the log archive account changes from {base.core.log_archive_account} to "
                f"{head.core.log_archive_account}: the central log bucket is deleted there "
                "and created in the other",
                "core.log_archive_account",
            )
        )
    if base.core.audit_account != head.core.audit_account:
        out.append(
            (
                "security-admin-delete",
                f"the audit account changes from {base.core.audit_account} to "
                f"{head.core.audit_account}: the GuardDuty and Security Hub administrators "
                "are removed and registered again",
                "core.audit_account",
            )
        )
    return out


def _logging(base, head) -> list[Found]:
    out: list[Found] = []
    if base.logging.log_bucket.object_lock is not None and head.logging.log_bucket.object_lock is None:
        out.append(
            (
                "log-archive-bucket-delete",
                "Object Lock is turned off on the central log bucket: S3 cannot turn it off, so the bucket would be replaced",
                "logging.log_bucket.object_lock",
            )
        )
    old_regions = set(base.logging.config_regions(base.organization.governed_regions))
    new_regions = set(head.logging.config_regions(head.organization.governed_regions))
    for region in sorted(old_regions - new_regions):
        out.append(
            (
                "config-recorder-delete",
                f"AWS Config stops recording in {region} (a governed region dropped or "
                "recording narrowed): its recorder is deleted",
                region,
            )
        )
    return out


def _network(base, head) -> list[Found]:
    out: list[Found] = []
    old_net, new_net = base.network, head.network
    old_tgws = {t.name: t for t in (old_net.transit_gateways if old_net else [])}
    new_tgws = {t.name: t for t in (new_net.transit_gateways if new_net else [])}
    attached: dict[str, list[str]] = {}
    for vpc in old_net.vpcs if old_net else []:
        for attachment in vpc.attachments:
            target = attachment.transit_gateway or (next(iter(old_tgws)) if len(old_tgws) == 1 else "")
            attached.setdefault(target, []).append(vpc.name)
    for name, tgw in old_tgws.items():
        users = ", ".join(sorted(attached.get(name, []))) or "no VPC"
        if name not in new_tgws:
            if attached.get(name):
                out.append(
                    ("transit-gateway-delete", f"removes transit gateway {name}, which still has attachments: {users}", name)
                )
        elif new_tgws[name].asn != tgw.asn:
            out.append(
                (
                    "transit-gateway-delete",
                    f"transit gateway {name}'s ASN changes from {tgw.asn} to {new_tgws[name].asn}: "
                    f"AWS replaces the gateway (attached: {users})",
                    name,
                )
            )
    new_vpcs = {v.name: v for v in (new_net.vpcs if new_net else [])}
    for vpc in old_net.vpcs if old_net else []:
        after = new_vpcs.get(vpc.name)
        if after is not None and after.cidr != vpc.cidr:
            out.append(
                (
                    "vpc-delete",
                    f"VPC {vpc.name}'s CIDR changes from {vpc.cidr} to {after.cidr}: AWS replaces the VPC, "
                    "with every subnet, route table, attachment and workload in it (keep the CIDR, or add a new "
                    "VPC and move the workloads there first)",
                    vpc.name,
                )
            )
    new_peerings = {p.name for p in (new_net.peerings if new_net else [])}
    for peering in old_net.peerings if old_net else []:
        if peering.name not in new_peerings:
            out.append(
                (
                    "peering-delete",
                    f"removes peering {peering.name} ({peering.requester} <-> {peering.accepter}) and the routes through it",
                    peering.name,
                )
            )
    return out


def protected_changes(base, head) -> list[Found]:
    """Every (rule, message, where) of a config change that replaces or deletes a protected thing."""
    return _org(base, head) + _logging(base, head) + _network(base, head)
