"""Reading the resources the rules evaluate, through the AWS APIs (boto3 clients).

Each collector takes `client(service)` (a boto3 client for one account and
region) and returns normalized resources, one dict each with `id`, the
fields its kind's rules read (rules.py) and `evidence` (the API values they
came from, kept with each recorded observation). The library never imports
moto; tests point these collectors at moto in-process.
"""

from __future__ import annotations

from typing import Any, Callable

Client = Callable[[str], Any]


def _error_code(exc: Exception) -> str:
    return getattr(exc, "response", {}).get("Error", {}).get("Code", "")


def _pages(client: Any, operation: str, key: str, **kwargs: Any) -> list:
    return [item for page in client.get_paginator(operation).paginate(**kwargs) for item in page.get(key, [])]


def _account_block(client: Client, account_id: str) -> dict:
    try:
        return client("s3control").get_public_access_block(AccountId=account_id)["PublicAccessBlockConfiguration"]
    except Exception as exc:  # NoSuchPublicAccessBlockConfiguration: none set
        if "NoSuchPublicAccessBlockConfiguration" in (_error_code(exc), type(exc).__name__, str(exc)):
            return {}
        raise


def buckets(client: Client, account_id: str, region: str) -> list[dict]:
    s3 = client("s3")
    account_block = _account_block(client, account_id)
    out = []
    for bucket in s3.list_buckets().get("Buckets", []):
        name = bucket["Name"]
        location = s3.get_bucket_location(Bucket=name).get("LocationConstraint") or "us-east-1"
        if location != region:
            continue
        grants = [
            {"grantee": g["Grantee"].get("URI", g["Grantee"].get("ID", "")), "permission": g["Permission"]}
            for g in s3.get_bucket_acl(Bucket=name).get("Grants", [])
        ]
        try:
            policy = s3.get_bucket_policy(Bucket=name)["Policy"]
        except Exception as exc:
            if _error_code(exc) != "NoSuchBucketPolicy":
                raise
            policy = None
        try:
            block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
        except Exception as exc:
            if _error_code(exc) != "NoSuchPublicAccessBlockConfiguration":
                raise
            block = {}
        versioning = s3.get_bucket_versioning(Bucket=name).get("Status", "")
        out.append(
            {
                "id": name,
                "type": "AWS::S3::Bucket",
                "acl_grants": grants,
                "policy": policy,
                "block": block,
                "account_block": account_block,
                "versioning": versioning,
                "evidence": {"Grants": grants, "Policy": policy, "PublicAccessBlock": block, "Versioning": versioning},
            }
        )
    return out


def security_groups(client: Client, account_id: str, region: str) -> list[dict]:
    out = []
    for group in _pages(client("ec2"), "describe_security_groups", "SecurityGroups"):
        ingress = [
            {
                "protocol": p.get("IpProtocol", "-1"),
                "from_port": p.get("FromPort"),
                "to_port": p.get("ToPort"),
                "cidrs": [r["CidrIp"] for r in p.get("IpRanges", [])] + [r["CidrIpv6"] for r in p.get("Ipv6Ranges", [])],
            }
            for p in group.get("IpPermissions", [])
        ]
        out.append(
            {
                "id": group["GroupId"],
                "type": "AWS::EC2::SecurityGroup",
                "ingress": ingress,
                "evidence": {"IpPermissions": ingress},
            }
        )
    return out


def volumes(client: Client, account_id: str, region: str) -> list[dict]:
    out = []
    for volume in _pages(client("ec2"), "describe_volumes", "Volumes"):
        attached = [
            a["InstanceId"] for a in volume.get("Attachments", []) if a.get("State", "attached") in ("attached", "attaching")
        ]
        out.append(
            {
                "id": volume["VolumeId"],
                "type": "AWS::EC2::Volume",
                "encrypted": bool(volume.get("Encrypted")),
                "attached": bool(attached),
                "evidence": {"Encrypted": bool(volume.get("Encrypted")), "AttachedTo": attached, "State": volume.get("State")},
            }
        )
    return out


def instances(client: Client, account_id: str, region: str) -> list[dict]:
    out = []
    for reservation in _pages(client("ec2"), "describe_instances", "Reservations"):
        for instance in reservation.get("Instances", []):
            if instance.get("State", {}).get("Name") in ("terminated", "shutting-down"):
                continue
            tokens = instance.get("MetadataOptions", {}).get("HttpTokens")
            out.append(
                {
                    "id": instance["InstanceId"],
                    "type": "AWS::EC2::Instance",
                    "http_tokens": tokens,
                    "ebs_optimized": bool(instance.get("EbsOptimized")),
                    "public_ip": bool(instance.get("PublicIpAddress")),
                    "evidence": {
                        "HttpTokens": tokens,
                        "EbsOptimized": instance.get("EbsOptimized"),
                        "PublicIpAddress": instance.get("PublicIpAddress"),
                    },
                }
            )
    return out


def subnets(client: Client, account_id: str, region: str) -> list[dict]:
    return [
        {
            "id": s["SubnetId"],
            "type": "AWS::EC2::Subnet",
            "map_public_ip_on_launch": bool(s.get("MapPublicIpOnLaunch")),
            "evidence": {"MapPublicIpOnLaunch": s.get("MapPublicIpOnLaunch")},
        }
        for s in _pages(client("ec2"), "describe_subnets", "Subnets")
    ]


def ebs_snapshots(client: Client, account_id: str, region: str) -> list[dict]:
    ec2 = client("ec2")
    out = []
    for snap in _pages(ec2, "describe_snapshots", "Snapshots", OwnerIds=["self"]):
        perms = ec2.describe_snapshot_attribute(SnapshotId=snap["SnapshotId"], Attribute="createVolumePermission")
        groups = [p.get("Group") for p in perms.get("CreateVolumePermissions", [])]
        out.append(
            {
                "id": snap["SnapshotId"],
                "type": "AWS::EC2::Snapshot",
                "public": "all" in groups,
                "evidence": {"CreateVolumePermissions": groups},
            }
        )
    return out


def db_instances(client: Client, account_id: str, region: str) -> list[dict]:
    return [
        {
            "id": db["DBInstanceIdentifier"],
            "type": "AWS::RDS::DBInstance",
            "publicly_accessible": bool(db.get("PubliclyAccessible")),
            "storage_encrypted": bool(db.get("StorageEncrypted")),
            "evidence": {"PubliclyAccessible": db.get("PubliclyAccessible"), "StorageEncrypted": db.get("StorageEncrypted")},
        }
        for db in _pages(client("rds"), "describe_db_instances", "DBInstances")
    ]


def db_snapshots(client: Client, account_id: str, region: str) -> list[dict]:
    rds = client("rds")
    out = []
    for snap in _pages(rds, "describe_db_snapshots", "DBSnapshots", SnapshotType="manual"):
        name = snap["DBSnapshotIdentifier"]
        attributes = rds.describe_db_snapshot_attributes(DBSnapshotIdentifier=name)["DBSnapshotAttributesResult"]
        restore = [
            v
            for a in attributes.get("DBSnapshotAttributes", [])
            if a["AttributeName"] == "restore"
            for v in a.get("AttributeValues", [])
        ]
        out.append({"id": name, "type": "AWS::RDS::DBSnapshot", "public": "all" in restore, "evidence": {"restore": restore}})
    return out


def _trails(client: Client) -> list[dict]:
    cloudtrail = client("cloudtrail")
    out = []
    for trail in cloudtrail.describe_trails(includeShadowTrails=True).get("trailList", []):
        status = cloudtrail.get_trail_status(Name=trail.get("TrailARN") or trail["Name"])
        out.append(
            {
                "id": trail["Name"],
                "type": "AWS::CloudTrail::Trail",
                "name": trail["Name"],
                "is_logging": bool(status.get("IsLogging")),
                "multi_region": bool(trail.get("IsMultiRegionTrail")),
                "log_file_validation": bool(trail.get("LogFileValidationEnabled")),
                "evidence": {
                    "IsLogging": status.get("IsLogging"),
                    "LogFileValidationEnabled": trail.get("LogFileValidationEnabled"),
                },
            }
        )
    return out


def trails(client: Client, account_id: str, region: str) -> list[dict]:
    return _trails(client)


def account(client: Client, account_id: str, region: str) -> list[dict]:
    summary = client("iam").get_account_summary()["SummaryMap"]
    trail_list = _trails(client)
    block = _account_block(client, account_id)
    return [
        {
            "id": account_id,
            "type": "AWS::::Account",
            "root_mfa": bool(summary.get("AccountMFAEnabled")),
            "root_access_keys": bool(summary.get("AccountAccessKeysPresent")),
            "trails": [{"name": t["name"], "is_logging": t["is_logging"]} for t in trail_list],
            "account_block": block,
            "evidence": {
                "AccountMFAEnabled": summary.get("AccountMFAEnabled"),
                "AccountAccessKeysPresent": summary.get("AccountAccessKeysPresent"),
                "Trails": {t["name"]: t["is_logging"] for t in trail_list},
                "PublicAccessBlock": block,
            },
        }
    ]


def iam_users(client: Client, account_id: str, region: str) -> list[dict]:
    iam = client("iam")
    out = []
    for user in _pages(iam, "list_users", "Users"):
        name = user["UserName"]
        mfa = bool(iam.list_mfa_devices(UserName=name).get("MFADevices"))
        try:
            iam.get_login_profile(UserName=name)
            console = True
        except Exception as exc:
            if _error_code(exc) != "NoSuchEntity":
                raise
            console = False
        out.append(
            {
                "id": name,
                "type": "AWS::IAM::User",
                "mfa": mfa,
                "console": console,
                "evidence": {"MFADevices": mfa, "LoginProfile": console},
            }
        )
    return out


COLLECTORS: dict[str, Callable[[Client, str, str], list[dict]]] = {
    "bucket": buckets,
    "security_group": security_groups,
    "volume": volumes,
    "instance": instances,
    "subnet": subnets,
    "ebs_snapshot": ebs_snapshots,
    "db_instance": db_instances,
    "db_snapshot": db_snapshots,
    "trail": trails,
    "account": account,
    "iam_user": iam_users,
}
# Kinds that are global (IAM, the account): read once, in the home region.
GLOBAL_KINDS = ("account", "iam_user")


def _absent(exc: Exception, *codes: str) -> bool:
    return _error_code(exc) in codes


def region_services(client: Client, account_id: str, region: str) -> list[dict]:
    guardduty = client("guardduty")
    enabled = False
    for detector in guardduty.list_detectors().get("DetectorIds", []):
        enabled = enabled or guardduty.get_detector(DetectorId=detector).get("Status") == "ENABLED"
    try:
        client("securityhub").describe_hub()
        hub = True
    except Exception as exc:
        if not _absent(exc, "InvalidAccessException", "ResourceNotFoundException"):
            raise
        hub = False
    return [
        {
            "id": account_id,
            "type": "AWS::::Account",
            "guardduty": enabled,
            "securityhub": hub,
            "evidence": {"GuardDutyEnabled": enabled, "SecurityHubEnabled": hub},
        }
    ]


def lambda_functions(client: Client, account_id: str, region: str) -> list[dict]:
    from .rules import public_policy_grants

    lam = client("lambda")
    out = []
    for function in _pages(lam, "list_functions", "Functions"):
        name = function["FunctionName"]
        try:
            policy = lam.get_policy(FunctionName=name)["Policy"]
        except Exception as exc:
            if not _absent(exc, "ResourceNotFoundException"):
                raise
            policy = None
        sid = public_policy_grants(policy, ("lambda:invokefunction", "lambda:*", "*")) if policy else ""
        out.append({"id": name, "type": "AWS::Lambda::Function", "public_statement": sid, "evidence": {"Policy": policy}})
    return out


def route_tables(client: Client, account_id: str, region: str) -> list[dict]:
    out = []
    for table in _pages(client("ec2"), "describe_route_tables", "RouteTables"):
        routes = [
            r.get("DestinationCidrBlock") or r.get("DestinationIpv6CidrBlock")
            for r in table.get("Routes", [])
            if str(r.get("GatewayId", "")).startswith("igw-")
            and (r.get("DestinationCidrBlock") == "0.0.0.0/0" or r.get("DestinationIpv6CidrBlock") == "::/0")
        ]
        out.append(
            {
                "id": table["RouteTableId"],
                "type": "AWS::EC2::RouteTable",
                "open_igw_routes": routes,
                "evidence": {"OpenRoutes": routes},
            }
        )
    return out


def redshift_clusters(client: Client, account_id: str, region: str) -> list[dict]:
    return [
        {
            "id": c["ClusterIdentifier"],
            "type": "AWS::Redshift::Cluster",
            "publicly_accessible": bool(c.get("PubliclyAccessible")),
            "evidence": {"PubliclyAccessible": c.get("PubliclyAccessible")},
        }
        for c in _pages(client("redshift"), "describe_clusters", "Clusters")
    ]


def dms_replication_instances(client: Client, account_id: str, region: str) -> list[dict]:
    return [
        {
            "id": r["ReplicationInstanceIdentifier"],
            "type": "AWS::DMS::ReplicationInstance",
            "publicly_accessible": bool(r.get("PubliclyAccessible")),
            "evidence": {"PubliclyAccessible": r.get("PubliclyAccessible")},
        }
        for r in client("dms").describe_replication_instances().get("ReplicationInstances", [])
    ]


def eks_clusters(client: Client, account_id: str, region: str) -> list[dict]:
    eks = client("eks")
    out = []
    for name in eks.list_clusters().get("clusters", []):
        config = eks.describe_cluster(name=name)["cluster"].get("resourcesVpcConfig", {})
        public = bool(config.get("endpointPublicAccess"))
        out.append(
            {"id": name, "type": "AWS::EKS::Cluster", "publicly_accessible": public, "evidence": {"endpointPublicAccess": public}}
        )
    return out


def launch_configurations(client: Client, account_id: str, region: str) -> list[dict]:
    return [
        {
            "id": lc["LaunchConfigurationName"],
            "type": "AWS::AutoScaling::LaunchConfiguration",
            "publicly_accessible": bool(lc.get("AssociatePublicIpAddress")),
            "evidence": {"AssociatePublicIpAddress": lc.get("AssociatePublicIpAddress")},
        }
        for lc in _pages(client("autoscaling"), "describe_launch_configurations", "LaunchConfigurations")
    ]


def emr_clusters(client: Client, account_id: str, region: str) -> list[dict]:
    emr = client("emr")
    out = []
    states = ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING"]
    for cluster in emr.list_clusters(ClusterStates=states).get("Clusters", []):
        masters = emr.list_instances(ClusterId=cluster["Id"], InstanceGroupTypes=["MASTER"]).get("Instances", [])
        addresses = [i["PublicIpAddress"] for i in masters if i.get("PublicIpAddress")]
        out.append(
            {
                "id": cluster["Id"],
                "type": "AWS::EMR::Cluster",
                "publicly_accessible": bool(addresses),
                "evidence": {"MasterPublicIps": addresses},
            }
        )
    return out


def sagemaker_notebooks(client: Client, account_id: str, region: str) -> list[dict]:
    sm = client("sagemaker")
    out = []
    for notebook in _pages(sm, "list_notebook_instances", "NotebookInstances"):
        name = notebook["NotebookInstanceName"]
        access = sm.describe_notebook_instance(NotebookInstanceName=name).get("DirectInternetAccess", "Enabled")
        out.append(
            {
                "id": name,
                "type": "AWS::SageMaker::NotebookInstance",
                "publicly_accessible": access == "Enabled",
                "evidence": {"DirectInternetAccess": access},
            }
        )
    return out


def ssm_documents(client: Client, account_id: str, region: str) -> list[dict]:
    ssm = client("ssm")
    out = []
    for document in _pages(ssm, "list_documents", "DocumentIdentifiers", Filters=[{"Key": "Owner", "Values": ["Self"]}]):
        name = document["Name"]
        shared = ssm.describe_document_permission(Name=name, PermissionType="Share").get("AccountIds", [])
        out.append(
            {"id": name, "type": "AWS::SSM::Document", "publicly_accessible": "all" in shared, "evidence": {"SharedWith": shared}}
        )
    return out


def es_domains(client: Client, account_id: str, region: str) -> list[dict]:
    es = client("es")
    out = []
    for domain in es.list_domain_names().get("DomainNames", []):
        name = domain["DomainName"]
        status = es.describe_elasticsearch_domain(DomainName=name)["DomainStatus"]
        in_vpc = bool((status.get("VPCOptions") or {}).get("SubnetIds"))
        out.append(
            {
                "id": name,
                "type": "AWS::Elasticsearch::Domain",
                "in_vpc": in_vpc,
                "evidence": {"VPCOptions": status.get("VPCOptions")},
            }
        )
    return out


COLLECTORS.update(
    {
        "region": region_services,
        "lambda_function": lambda_functions,
        "route_table": route_tables,
        "redshift_cluster": redshift_clusters,
        "dms_replication_instance": dms_replication_instances,
        "eks_cluster": eks_clusters,
        "launch_configuration": launch_configurations,
        "emr_cluster": emr_clusters,
        "sagemaker_notebook": sagemaker_notebooks,
        "ssm_document": ssm_documents,
        "es_domain": es_domains,
    }
)
