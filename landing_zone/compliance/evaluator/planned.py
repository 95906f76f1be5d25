"""The normalized resources of a terraform plan (`terraform show -json`), for the same checks as live ones.

Each planned resource (a create, update or no-op with planned values) is
turned into the dicts rules.py reads. Settings kept in separate resources
(a bucket's ACL, policy, public access block, versioning; a volume's
attachment; a user's login profile) are joined to their owner by the
references in the plan's `configuration`, or by equal values when known. A
setting whose owner is not in the plan becomes a resource of its own. The
plan must have been checked first (review.plan_input.check_plan).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from .rules import ACCOUNT_DEFAULT

CHANGING = ("create", "update")
_INDEX = re.compile(r"\[[^\]]*\]")
CANNED_ACL = {
    "public-read": [("AllUsers", "READ")],
    "public-read-write": [("AllUsers", "READ"), ("AllUsers", "WRITE")],
    "authenticated-read": [("AuthenticatedUsers", "READ")],
}
GROUPS = "http://acs.amazonaws.com/groups/global/"


@dataclass
class PlannedResource:
    address: str
    type: str
    values: dict
    actions: tuple[str, ...]
    references: dict[str, list[str]] = field(default_factory=dict)  # attribute -> base addresses it refers to

    @property
    def base(self) -> str:
        return _INDEX.sub("", self.address)

    @property
    def changing(self) -> bool:
        return any(a in CHANGING for a in self.actions)

    def refers_to(self, attribute: str, owner: "PlannedResource", key: str) -> bool:
        if owner.base in self.references.get(attribute, ()):
            return True
        value = self.values.get(attribute)
        return value is not None and value in (owner.values.get(key), owner.values.get("id"))


def _config_references(module: dict | None, prefix: str, out: dict[str, dict[str, list[str]]]) -> None:
    if not module:
        return
    for resource in module.get("resources") or ():
        refs: dict[str, list[str]] = {}
        for attribute, expression in (resource.get("expressions") or {}).items():
            if isinstance(expression, dict):
                for ref in expression.get("references") or ():
                    parts = ref.split(".")
                    base = ".".join(parts[:2]) if not ref.startswith("module.") else ".".join(parts[:4])
                    refs.setdefault(attribute, []).append(prefix + _INDEX.sub("", base))
        out[prefix + resource["address"]] = refs
    for name, call in (module.get("module_calls") or {}).items():
        _config_references((call or {}).get("module"), f"{prefix}module.{name}.", out)


def planned_resources(plan: dict) -> list[PlannedResource]:
    """Managed resources that exist after the plan, with the references of their configuration."""
    refs: dict[str, dict[str, list[str]]] = {}
    _config_references((plan.get("configuration") or {}).get("root_module"), "", refs)
    out = []
    for rc in plan.get("resource_changes") or ():
        change = rc["change"]
        if rc.get("mode", "managed") != "managed" or change.get("after") is None:
            continue
        resource = PlannedResource(rc["address"], rc["type"], dict(change["after"]), tuple(change["actions"]))
        resource.references = refs.get(resource.base, {})
        out.append(resource)
    return out


def _first(value: Any) -> dict:
    if isinstance(value, list):
        value = value[0] if value else {}
    return value if isinstance(value, dict) else {}


def _normal(resource: PlannedResource, kind_type: str, **fields: Any) -> dict:
    return {
        "id": resource.address,
        "type": kind_type,
        "planned": True,
        "addresses": [resource.address],
        "changing": resource.changing,
        "evidence": {k: v for k, v in fields.items() if k not in ("account_block",)},
        **fields,
    }


def _join(owner: dict, part: PlannedResource) -> None:
    owner["addresses"].append(part.address)
    owner["changing"] = owner["changing"] or part.changing


def _grants(values: dict) -> list[dict]:
    grants = [{"grantee": GROUPS + g, "permission": p} for g, p in CANNED_ACL.get(values.get("acl") or "", [])]
    for policy in values.get("access_control_policy") or ():
        for grant in policy.get("grant") or ():
            grantee = _first(grant.get("grantee"))
            grants.append({"grantee": grantee.get("uri") or grantee.get("id") or "", "permission": grant.get("permission")})
    for grant in values.get("grant") or ():  # aws_s3_bucket's own (deprecated) grant blocks
        for permission in grant.get("permissions") or ():
            grants.append({"grantee": grant.get("uri") or grant.get("id") or "", "permission": permission})
    return grants


def _block(values: dict) -> dict:
    keys = {
        "block_public_acls": "BlockPublicAcls",
        "ignore_public_acls": "IgnorePublicAcls",
        "block_public_policy": "BlockPublicPolicy",
        "restrict_public_buckets": "RestrictPublicBuckets",
    }
    return {name: bool(values.get(key)) for key, name in keys.items()}


def _policy(value: Any) -> Any:
    if isinstance(value, str) and value:
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value or None


@dataclass(frozen=True)
class Join:
    """Settings kept in resources of their own (`parts`), joined to their owner resource."""

    parts: tuple[str, ...]
    attribute: str
    """The part's attribute that names its owner."""
    key: str
    """The owner's attribute it names (by reference in the configuration, or by an equal known value)."""


JOINS = {
    "aws_s3_bucket": Join(
        ("aws_s3_bucket_acl", "aws_s3_bucket_policy", "aws_s3_bucket_public_access_block", "aws_s3_bucket_versioning"),
        "bucket",
        "bucket",
    ),
    "aws_ebs_volume": Join(("aws_volume_attachment",), "volume_id", "id"),
    "aws_iam_user": Join(("aws_iam_user_login_profile",), "user", "name"),
}


def joined(resources: list[PlannedResource], owner_type: str) -> tuple[dict[str, list[PlannedResource]], list[PlannedResource]]:
    """Owner address -> its parts (plan order), and the parts whose owner is not in the plan (JOINS[owner_type])."""
    join = JOINS[owner_type]
    owners = [r for r in resources if r.type == owner_type]
    parts: dict[str, list[PlannedResource]] = {o.address: [] for o in owners}
    orphans: list[PlannedResource] = []
    for part in resources:
        if part.type in join.parts:
            owner = next((o for o in owners if part.refers_to(join.attribute, o, join.key)), None)
            (orphans if owner is None else parts[owner.address]).append(part)
    return parts, orphans


def _bucket_setting(bucket: dict, part: PlannedResource) -> None:
    if part.type == "aws_s3_bucket_acl":
        bucket["acl_grants"] += _grants(part.values)
    elif part.type == "aws_s3_bucket_policy":
        bucket["policy"] = _policy(part.values.get("policy"))
    elif part.type == "aws_s3_bucket_public_access_block":
        bucket["block"] = _block(part.values)
    else:
        bucket["versioning"] = _first(part.values.get("versioning_configuration")).get("status", "")
    bucket["evidence"] = {k: bucket[k] for k in ("acl_grants", "policy", "block", "versioning")}


def buckets(resources: list[PlannedResource]) -> list[dict]:
    parts, orphans = joined(resources, "aws_s3_bucket")
    out = []
    for r in resources:
        if r.type == "aws_s3_bucket":
            bucket = _normal(
                r,
                "AWS::S3::Bucket",
                acl_grants=_grants(r.values),
                policy=_policy(r.values.get("policy")),
                block={},
                versioning=("Enabled" if _first(r.values.get("versioning")).get("enabled") else ""),
            )
            for part in parts[r.address]:
                _join(bucket, part)
                _bucket_setting(bucket, part)
            out.append(bucket)
    for part in orphans:  # the bucket is not in this plan: the setting stands alone
        alone = _normal(part, "AWS::S3::Bucket", acl_grants=[], policy=None, block={}, versioning="")
        _bucket_setting(alone, part)
        out.append(alone)
    return out


def security_groups(resources: list[PlannedResource]) -> list[dict]:
    out = []
    for r in resources:
        v = r.values
        if r.type == "aws_security_group":
            ingress = [
                {
                    "protocol": i.get("protocol", "-1"),
                    "from_port": i.get("from_port"),
                    "to_port": i.get("to_port"),
                    "cidrs": list(i.get("cidr_blocks") or ()) + list(i.get("ipv6_cidr_blocks") or ()),
                }
                for i in v.get("ingress") or ()
            ]
        elif r.type == "aws_security_group_rule" and v.get("type") == "ingress":
            ingress = [
                {
                    "protocol": v.get("protocol", "-1"),
                    "from_port": v.get("from_port"),
                    "to_port": v.get("to_port"),
                    "cidrs": list(v.get("cidr_blocks") or ()) + list(v.get("ipv6_cidr_blocks") or ()),
                }
            ]
        elif r.type == "aws_vpc_security_group_ingress_rule":
            ingress = [
                {
                    "protocol": v.get("ip_protocol", "-1"),
                    "from_port": v.get("from_port"),
                    "to_port": v.get("to_port"),
                    "cidrs": [c for c in (v.get("cidr_ipv4"), v.get("cidr_ipv6")) if c],
                }
            ]
        else:
            continue
        out.append(_normal(r, "AWS::EC2::SecurityGroup", ingress=ingress))
    return out


def _unset(value: Any) -> Any:
    return ACCOUNT_DEFAULT if value is None else value


def volumes(resources: list[PlannedResource]) -> list[dict]:
    attachments, _ = joined(resources, "aws_ebs_volume")
    out = []
    for r in resources:
        if r.type == "aws_ebs_volume":
            attached = attachments[r.address]
            volume = _normal(r, "AWS::EC2::Volume", encrypted=_unset(r.values.get("encrypted")), attached=bool(attached))
            for a in attached:
                _join(volume, a)
            out.append(volume)
        elif r.type == "aws_instance":
            for block in ("root_block_device", "ebs_block_device"):
                for i, device in enumerate(r.values.get(block) or ()):
                    volume = _normal(r, "AWS::EC2::Volume", encrypted=_unset(device.get("encrypted")), attached=True)
                    volume["id"] = f"{r.address}.{block}[{i}]"
                    out.append(volume)
    return out


def instances(resources: list[PlannedResource]) -> list[dict]:
    return [
        _normal(
            r,
            "AWS::EC2::Instance",
            http_tokens=_unset(_first(r.values.get("metadata_options")).get("http_tokens")),
            ebs_optimized=r.values.get("ebs_optimized"),
            public_ip=r.values.get("associate_public_ip_address"),
        )
        for r in resources
        if r.type == "aws_instance"
    ]


def subnets(resources: list[PlannedResource]) -> list[dict]:
    return [
        _normal(r, "AWS::EC2::Subnet", map_public_ip_on_launch=r.values.get("map_public_ip_on_launch"))
        for r in resources
        if r.type == "aws_subnet"
    ]


def db_instances(resources: list[PlannedResource]) -> list[dict]:
    return [
        _normal(
            r,
            "AWS::RDS::DBInstance",
            publicly_accessible=r.values.get("publicly_accessible"),
            storage_encrypted=r.values.get("storage_encrypted"),
        )
        for r in resources
        if r.type == "aws_db_instance"
    ]


def db_snapshots(resources: list[PlannedResource]) -> list[dict]:
    return [
        _normal(r, "AWS::RDS::DBSnapshot", public="all" in (r.values.get("shared_accounts") or ()))
        for r in resources
        if r.type == "aws_db_snapshot"
    ]


def trails(resources: list[PlannedResource]) -> list[dict]:
    return [
        _normal(r, "AWS::CloudTrail::Trail", log_file_validation=r.values.get("enable_log_file_validation"))
        for r in resources
        if r.type == "aws_cloudtrail"
    ]


def account_blocks(resources: list[PlannedResource]) -> list[dict]:
    return [
        _normal(r, "AWS::S3::AccountPublicAccessBlock", account_block=_block(r.values))
        for r in resources
        if r.type == "aws_s3_account_public_access_block"
    ]


def iam_users(resources: list[PlannedResource]) -> list[dict]:
    profiles, _ = joined(resources, "aws_iam_user")
    out = []
    for r in resources:
        if r.type == "aws_iam_user":
            console = profiles[r.address]
            user = _normal(r, "AWS::IAM::User", mfa=False, console=bool(console))
            for p in console:
                _join(user, p)
            out.append(user)
    return out


def lambda_permissions(resources: list[PlannedResource]) -> list[dict]:
    return [
        _normal(
            r,
            "AWS::Lambda::Function",
            public_statement=(r.values.get("statement_id") or "a statement")
            if r.values.get("principal") == "*" and not r.values.get("source_arn") and not r.values.get("source_account")
            else "",
        )  # fmt: skip
        for r in resources
        if r.type == "aws_lambda_permission"
    ]


def _igw(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("igw-")


def routes(resources: list[PlannedResource]) -> list[dict]:
    gateways = [r for r in resources if r.type == "aws_internet_gateway"]
    out = []
    for r in resources:
        if r.type == "aws_route":
            to_igw = _igw(r.values.get("gateway_id")) or any(r.refers_to("gateway_id", g, "id") for g in gateways)
            cidrs = [
                c
                for c in (r.values.get("destination_cidr_block"), r.values.get("destination_ipv6_cidr_block"))
                if c in ("0.0.0.0/0", "::/0")
            ]
            out.append(_normal(r, "AWS::EC2::RouteTable", open_igw_routes=cidrs if to_igw else []))
        elif r.type == "aws_route_table":
            inline = r.values.get("route") or []
            # inline routes name the gateway by value only once it exists; a reference to a planned gateway counts too
            referenced = bool(r.references.get("route")) and any(g.base in r.references["route"] for g in gateways)
            found = [
                x.get("cidr_block") or x.get("ipv6_cidr_block")
                for x in inline
                if (x.get("cidr_block") == "0.0.0.0/0" or x.get("ipv6_cidr_block") == "::/0")
                and (_igw(x.get("gateway_id")) or referenced)
            ]
            out.append(_normal(r, "AWS::EC2::RouteTable", open_igw_routes=found))
    return out


def _flag(tf_type: str | tuple[str, ...], cfn: str, read):
    types = (tf_type,) if isinstance(tf_type, str) else tf_type

    def adapter(resources: list[PlannedResource]) -> list[dict]:
        return [_normal(r, cfn, publicly_accessible=read(r.values)) for r in resources if r.type in types]

    return adapter


def _es(resources: list[PlannedResource]) -> list[dict]:
    return [
        _normal(r, "AWS::Elasticsearch::Domain", in_vpc=bool(_first(r.values.get("vpc_options")).get("subnet_ids")))
        for r in resources
        if r.type in ("aws_elasticsearch_domain", "aws_opensearch_domain")
    ]


def _ssm_public(values: dict) -> bool:
    permissions = values.get("permissions") or {}
    return permissions.get("type") == "Share" and "all" in str(permissions.get("account_ids", "")).split(",")


# The rules a plan can answer, with the planned resources each reads. Account-wide facts (root MFA,
# trails, users' MFA devices of existing users) are not in a workload's plan.
PLANNED = {
    "S3_BUCKET_PUBLIC_READ_PROHIBITED": buckets,
    "S3_BUCKET_PUBLIC_WRITE_PROHIBITED": buckets,
    "S3_BUCKET_VERSIONING_ENABLED": buckets,
    "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC": account_blocks,
    "INCOMING_SSH_DISABLED": security_groups,
    "RESTRICTED_INCOMING_TRAFFIC": security_groups,
    "ENCRYPTED_VOLUMES": volumes,
    "EC2_VOLUME_INUSE_CHECK": volumes,
    "EC2_IMDSV2_CHECK": instances,
    "EBS_OPTIMIZED_INSTANCE": instances,
    "EC2_INSTANCE_NO_PUBLIC_IP": instances,
    "SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED": subnets,
    "RDS_INSTANCE_PUBLIC_ACCESS_CHECK": db_instances,
    "RDS_STORAGE_ENCRYPTED": db_instances,
    "RDS_SNAPSHOTS_PUBLIC_PROHIBITED": db_snapshots,
    "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED": trails,
    "IAM_USER_MFA_ENABLED": iam_users,
    "MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS": iam_users,
    "LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED": lambda_permissions,
    "NO_UNRESTRICTED_ROUTE_TO_IGW": routes,
    "REDSHIFT_CLUSTER_PUBLIC_ACCESS_CHECK": _flag(
        "aws_redshift_cluster", "AWS::Redshift::Cluster", lambda v: v.get("publicly_accessible")
    ),
    "DMS_REPLICATION_NOT_PUBLIC": _flag(
        "aws_dms_replication_instance", "AWS::DMS::ReplicationInstance", lambda v: v.get("publicly_accessible")
    ),
    "EKS_ENDPOINT_NO_PUBLIC_ACCESS": _flag(
        "aws_eks_cluster", "AWS::EKS::Cluster", lambda v: _first(v.get("vpc_config")).get("endpoint_public_access", True)
    ),
    "AUTOSCALING_LAUNCH_CONFIG_PUBLIC_IP_DISABLED": _flag(
        "aws_launch_configuration", "AWS::AutoScaling::LaunchConfiguration", lambda v: v.get("associate_public_ip_address")
    ),
    "SAGEMAKER_NOTEBOOK_NO_DIRECT_INTERNET_ACCESS": _flag(
        "aws_sagemaker_notebook_instance",
        "AWS::SageMaker::NotebookInstance",
        lambda v: (v.get("direct_internet_access") or "Enabled") == "Enabled",
    ),
    "SSM_DOCUMENT_NOT_PUBLIC": _flag("aws_ssm_document", "AWS::SSM::Document", _ssm_public),
    "ELASTICSEARCH_IN_VPC_ONLY": _es,
}


def normalized(identifier: str, resources: Iterable[PlannedResource]) -> list[dict]:
    """The planned resources rule `identifier` reads (none when a plan cannot answer it)."""
    adapter = PLANNED.get(identifier)
    return adapter(list(resources)) if adapter else []
