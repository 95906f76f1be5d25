"""The checks of the detective controls: one function per AWS managed rule identifier.

Every check reads one *normalized resource* (a plain dict, see `kinds.py`)
and its rule's input parameters, and returns a `Verdict`. The same dict is
built from the AWS APIs (`collect.py`, boto3) or from a terraform plan's
planned values (`planned.py`), so one function serves `lz compliance
--evaluate` and `lz check-plan`. Pure Python.

`NOTES` says, per rule, where AWS's managed rule behaves differently from
this evaluator (tests/compliance checks every implemented rule has one).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Literal, Mapping

Status = Literal["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"]
COMPLIANT: Status = "COMPLIANT"
NON_COMPLIANT: Status = "NON_COMPLIANT"
NOT_APPLICABLE: Status = "NOT_APPLICABLE"

OPEN_CIDRS = ("0.0.0.0/0", "::/0")
PUBLIC_GRANTEES = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)
READ_PERMISSIONS = ("READ", "FULL_CONTROL")
WRITE_PERMISSIONS = ("WRITE", "WRITE_ACP", "FULL_CONTROL")
READ_ACTIONS = ("s3:getobject", "s3:listbucket", "s3:*", "*", "s3:get*", "s3:list*")
WRITE_ACTIONS = ("s3:putobject", "s3:deleteobject", "s3:*", "*", "s3:put*", "s3:delete*")
# A planned value left unset, so the account's default applies (set by the landing zone's baseline).
ACCOUNT_DEFAULT = "account default"
PUBLIC_ACCESS_BLOCK_KEYS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")


@dataclass(frozen=True)
class Verdict:
    status: Status
    reason: str


@dataclass(frozen=True)
class Rule:
    """One managed rule identifier, the kind of resource it reads and its check."""

    identifier: str
    kind: str
    check: Callable[[Mapping[str, Any], Mapping[str, str]], Verdict]
    note: str


RULES: dict[str, Rule] = {}


def rule(identifier: str, kind: str, note: str):
    def register(fn: Callable[[Mapping[str, Any], Mapping[str, str]], Verdict]):
        RULES[identifier] = Rule(identifier, kind, fn, " ".join(note.split()))
        return fn

    return register


def ok(reason: str) -> Verdict:
    return Verdict(COMPLIANT, reason)


def bad(reason: str) -> Verdict:
    return Verdict(NON_COMPLIANT, reason)


def skip(reason: str) -> Verdict:
    return Verdict(NOT_APPLICABLE, reason)


def _true(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


# --- S3 -------------------------------------------------------------------


def _policy_statements(policy: Any) -> list[dict]:
    if isinstance(policy, str):
        try:
            policy = json.loads(policy) if policy else None
        except ValueError:
            return []
    if not isinstance(policy, dict):
        return []
    statements = policy.get("Statement", [])
    return [s for s in ([statements] if isinstance(statements, dict) else statements) if isinstance(s, dict)]


def _public_principal(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict):
        aws = principal.get("AWS")
        return aws == "*" or (isinstance(aws, list) and "*" in aws)
    return False


def public_policy_grants(policy: Any, actions: tuple[str, ...]) -> str:
    """The Sid (or index) of an Allow statement open to everyone for one of `actions`, without conditions."""
    for i, st in enumerate(_policy_statements(policy)):
        if st.get("Effect") != "Allow" or st.get("Condition") or not _public_principal(st.get("Principal")):
            continue
        wanted = st.get("Action", [])
        wanted = [wanted] if isinstance(wanted, str) else wanted
        if any(str(a).lower() in actions for a in wanted):
            return str(st.get("Sid") or f"statement {i}")
    return ""


def _bucket_public(bucket: Mapping[str, Any], permissions: tuple[str, ...], actions: tuple[str, ...], what: str) -> Verdict:
    block = {k: _true(v) for k, v in (bucket.get("block") or {}).items()}
    account_block = {k: _true(v) for k, v in (bucket.get("account_block") or {}).items()}
    blocked = {k: block.get(k, False) or account_block.get(k, False) for k in PUBLIC_ACCESS_BLOCK_KEYS}
    reasons = []
    if not blocked["IgnorePublicAcls"]:
        grants = [
            g
            for g in bucket.get("acl_grants") or ()
            if g.get("grantee") in PUBLIC_GRANTEES and g.get("permission") in permissions
        ]
        reasons += [f"the ACL grants {g['permission']} to {g['grantee'].rsplit('/', 1)[-1]}" for g in grants]
    if not blocked["RestrictPublicBuckets"]:
        sid = public_policy_grants(bucket.get("policy"), actions)
        if sid:
            reasons.append(f"the bucket policy ({sid}) allows public {what}")
    if reasons:
        return bad("; ".join(reasons))
    return ok(f"no ACL grant or policy statement allows public {what}")


@rule(
    "S3_BUCKET_PUBLIC_READ_PROHIBITED",
    "bucket",
    """AWS combines the bucket's and the account's public access block, the ACL and the
    policy the same way, but also reads policy conditions (a statement limited by
    aws:SourceIp or aws:SourceVpce is not public there); here any condition counts as
    not public, and a wildcard action other than s3:*, s3:Get*, s3:List* is not read.""",
)
def s3_bucket_public_read_prohibited(bucket: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    return _bucket_public(bucket, READ_PERMISSIONS, READ_ACTIONS, "read")


@rule(
    "S3_BUCKET_PUBLIC_WRITE_PROHIBITED",
    "bucket",
    """As S3_BUCKET_PUBLIC_READ_PROHIBITED, for WRITE, WRITE_ACP and FULL_CONTROL grants and
    s3:PutObject / s3:DeleteObject statements.""",
)
def s3_bucket_public_write_prohibited(bucket: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    return _bucket_public(bucket, WRITE_PERMISSIONS, WRITE_ACTIONS, "write")


@rule(
    "S3_BUCKET_VERSIONING_ENABLED",
    "bucket",
    """AWS's optional isMfaDeleteEnabled parameter is not read.""",
)
def s3_bucket_versioning_enabled(bucket: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    status = bucket.get("versioning") or "never enabled"
    return ok("versioning is Enabled") if status == "Enabled" else bad(f"versioning is {status}")


@rule(
    "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC",
    "account",
    """AWS evaluates the rule's parameters (each setting it names must be on); here all four
    settings must be on unless a parameter says "False".""",
)
def s3_account_level_public_access_blocks(account: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    block = account.get("account_block") or {}
    off = [k for k in PUBLIC_ACCESS_BLOCK_KEYS if str(params.get(k, "True")).lower() != "false" and not _true(block.get(k))]
    return bad(f"the account's public access block has {', '.join(off)} off") if off else ok("all four settings are on")


# --- EC2 ------------------------------------------------------------------


def _covers(rule_: Mapping[str, Any], port: int) -> bool:
    protocol = str(rule_.get("protocol", "-1")).lower()
    if protocol in ("-1", "all"):
        return True
    if protocol not in ("tcp", "6"):
        return False
    low, high = rule_.get("from_port"), rule_.get("to_port")
    if low is None or high is None or int(low) == -1:
        return True
    return int(low) <= port <= int(high)


def _open_ports(group: Mapping[str, Any], ports: list[int]) -> list[str]:
    found = []
    for r in group.get("ingress") or ():
        cidrs = [c for c in r.get("cidrs") or () if c in OPEN_CIDRS]
        for port in ports:
            if cidrs and _covers(r, port):
                found.append(f"port {port} from {', '.join(cidrs)}")
    return sorted(set(found))


@rule(
    "INCOMING_SSH_DISABLED",
    "security_group",
    """AWS evaluates only security groups, as here; a rule that references a prefix list
    naming 0.0.0.0/0 is not resolved here (nor by AWS).""",
)
def incoming_ssh_disabled(group: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    found = _open_ports(group, [22])
    return bad(f"ingress allows {'; '.join(found)}") if found else ok("no ingress from 0.0.0.0/0 or ::/0 reaches port 22")


@rule(
    "RESTRICTED_INCOMING_TRAFFIC",
    "security_group",
    """AWS evaluates TCP only, as here, and only security groups "in use" by a network
    interface in some versions of the rule; here every group is evaluated. Ports come
    from blockedPort1..blockedPort5 (AWS's defaults 20, 21, 3389, 3306, 4333 when none).""",
)
def restricted_incoming_traffic(group: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    ports = [int(v) for k, v in sorted(params.items()) if k.startswith("blockedPort") and str(v).strip()]
    ports = ports or [20, 21, 3389, 3306, 4333]
    found = _open_ports(group, ports)
    return bad(f"ingress allows {'; '.join(found)}") if found else ok(f"no open ingress to {', '.join(map(str, ports))}")


@rule(
    "ENCRYPTED_VOLUMES",
    "volume",
    """AWS evaluates attached volumes only (unattached ones are NOT_APPLICABLE), as here for
    live volumes; a planned aws_ebs_volume is evaluated whether or not the plan attaches
    it (stricter), and one that leaves `encrypted` unset is COMPLIANT by the account's
    EBS encryption by default (the landing zone's baseline turns it on in every
    region). AWS's kmsId parameter is not read.""",
)
def encrypted_volumes(volume: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    if volume.get("attached") is False and not volume.get("planned"):
        return skip("not attached to an instance")
    if volume.get("encrypted") == ACCOUNT_DEFAULT:
        return ok("encrypted by the account's EBS encryption by default (not set in the plan)")
    return ok("encrypted") if _true(volume.get("encrypted")) else bad("the volume is not encrypted")


@rule(
    "EC2_VOLUME_INUSE_CHECK",
    "volume",
    """AWS's deleteOnTermination parameter is not read. In a plan a volume counts as attached
    when an aws_volume_attachment of the same plan refers to it.""",
)
def ec2_volume_inuse_check(volume: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    return ok("attached to an instance") if volume.get("attached") else bad("the volume is not attached to any instance")


@rule(
    "EC2_IMDSV2_CHECK",
    "instance",
    """AWS reads the running instance's metadata options, where the account's default
    (IMDSv2 required, set by this landing zone's baseline) already applies; a planned
    instance that leaves http_tokens unset is COMPLIANT by that default, one that sets
    it to "optional" is not.""",
)
def ec2_imdsv2_check(instance: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    tokens = instance.get("http_tokens")
    if tokens == ACCOUNT_DEFAULT:
        return ok("IMDSv2 required by the account's instance metadata defaults (not set in the plan)")
    if tokens == "required":
        return ok("IMDSv2 required (http_tokens = required)")
    return bad(f"http_tokens is {tokens or 'not set'}; IMDSv1 stays reachable (set http_tokens to required)")


@rule(
    "EBS_OPTIMIZED_INSTANCE",
    "instance",
    """AWS marks instance types that are EBS-optimized by default as COMPLIANT and types that
    cannot be optimized as NOT_APPLICABLE; without the instance type table, here only the
    ebs_optimized flag is read.""",
)
def ebs_optimized_instance(instance: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    return ok("EBS-optimized") if _true(instance.get("ebs_optimized")) else bad("ebs_optimized is off")


@rule(
    "EC2_INSTANCE_NO_PUBLIC_IP",
    "instance",
    """As AWS (IPv4 public addresses only); a planned instance is read from
    associate_public_ip_address.""",
)
def ec2_instance_no_public_ip(instance: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    return bad("the instance has a public IPv4 address") if _true(instance.get("public_ip")) else ok("no public IPv4 address")


@rule("SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED", "subnet", """As AWS.""")
def subnet_auto_assign_public_ip_disabled(subnet: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    if _true(subnet.get("map_public_ip_on_launch")):
        return bad("map_public_ip_on_launch is on")
    return ok("map_public_ip_on_launch is off")


@rule("EBS_SNAPSHOT_PUBLIC_RESTORABLE_CHECK", "ebs_snapshot", """As AWS (createVolumePermission group "all").""")
def ebs_snapshot_public_restorable_check(snapshot: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    return bad("anyone may create a volume from the snapshot") if snapshot.get("public") else ok("not public")


# --- RDS ------------------------------------------------------------------


@rule(
    "RDS_INSTANCE_PUBLIC_ACCESS_CHECK",
    "db_instance",
    """AWS reads the PubliclyAccessible flag only, as here (a publicly accessible instance in
    a private subnet is still NON_COMPLIANT).""",
)
def rds_instance_public_access_check(db: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    return bad("PubliclyAccessible is true") if _true(db.get("publicly_accessible")) else ok("not publicly accessible")


@rule("RDS_STORAGE_ENCRYPTED", "db_instance", """AWS's kmsKeyId parameter is not read.""")
def rds_storage_encrypted(db: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    return ok("storage encrypted") if _true(db.get("storage_encrypted")) else bad("StorageEncrypted is false")


@rule(
    "RDS_SNAPSHOTS_PUBLIC_PROHIBITED",
    "db_snapshot",
    """AWS reads manual DB and cluster snapshots; here DB snapshots (restore attribute
    "all"); cluster snapshots are not read.""",
)
def rds_snapshots_public_prohibited(snapshot: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    return bad('the snapshot\'s restore attribute includes "all"') if snapshot.get("public") else ok("not public")


# --- Account, IAM, CloudTrail -----------------------------------------------


@rule(
    "ROOT_ACCOUNT_MFA_ENABLED",
    "account",
    """As AWS (IAM's account summary, AccountMFAEnabled). Accounts whose root user
    credentials are centrally removed by Organizations are still NON_COMPLIANT, as on AWS.""",
)
def root_account_mfa_enabled(account: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    return ok("the root user has MFA") if account.get("root_mfa") else bad("the root user has no MFA device")


@rule("IAM_ROOT_ACCESS_KEY_CHECK", "account", """As AWS (IAM's account summary, AccountAccessKeysPresent).""")
def iam_root_access_key_check(account: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    return bad("the root user has an access key") if account.get("root_access_keys") else ok("the root user has no access key")


@rule(
    "CLOUD_TRAIL_ENABLED",
    "account",
    """AWS accepts any trail visible in the region, including the organization trail the
    management account owns; here a trail must also be logging (IsLogging), and the
    s3BucketName / snsTopicArn / cloudWatchLogsLogGroupArn parameters are not read.""",
)
def cloud_trail_enabled(account: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    trails = account.get("trails") or []
    logging = [t["name"] for t in trails if t.get("is_logging")]
    if logging:
        return ok(f"trail {logging[0]} is logging")
    return bad("no trail is logging" + (f" ({len(trails)} stopped)" if trails else ""))


@rule("CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED", "trail", """As AWS, per trail.""")
def cloud_trail_log_file_validation_enabled(trail: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    return ok("log file validation on") if _true(trail.get("log_file_validation")) else bad("log file validation is off")


@rule(
    "IAM_USER_MFA_ENABLED",
    "iam_user",
    """As AWS. In a plan every new aws_iam_user is NON_COMPLIANT: MFA devices are enabled by
    the user after creation, so a plan cannot show one.""",
)
def iam_user_mfa_enabled(user: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    return ok("the user has an MFA device") if user.get("mfa") else bad("the IAM user has no MFA device")


@rule(
    "MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS",
    "iam_user",
    """As AWS: users without a console password are NOT_APPLICABLE (AWS marks them COMPLIANT).""",
)
def mfa_enabled_for_iam_console_access(user: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    if not user.get("console"):
        return skip("the user has no console password")
    return ok("console user with MFA") if user.get("mfa") else bad("the console user has no MFA device")


# --- Security services, public exposure -------------------------------------


@rule(
    "GUARDDUTY_ENABLED_CENTRALIZED",
    "region",
    """AWS also checks, with the CentralMonitoringAccount parameter, that the detector reports
    to the administrator account; here an enabled detector in the region is enough.""",
)
def guardduty_enabled_centralized(region: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    return (
        ok("a GuardDuty detector is enabled") if region.get("guardduty") else bad("no enabled GuardDuty detector in the region")
    )


@rule("SECURITYHUB_ENABLED", "region", """As AWS (DescribeHub answers in the region).""")
def securityhub_enabled(region: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    return ok("Security Hub is enabled") if region.get("securityhub") else bad("Security Hub is not enabled in the region")


@rule(
    "LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED",
    "lambda_function",
    """AWS treats a statement limited by aws:SourceAccount / aws:SourceArn as not public, as
    here (any condition counts as a limit here, which is more lenient).""",
)
def lambda_function_public_access_prohibited(function: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    sid = function.get("public_statement") or ""
    return bad(f"the resource policy ({sid}) lets anyone invoke the function") if sid else ok("no public statement")


@rule(
    "NO_UNRESTRICTED_ROUTE_TO_IGW",
    "route_table",
    """AWS's routeTableIds parameter (route tables allowed such a route) is not read; every
    route to an internet gateway from 0.0.0.0/0 or ::/0 is NON_COMPLIANT here.""",
)
def no_unrestricted_route_to_igw(table: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    routes = table.get("open_igw_routes") or []
    return bad(f"routes {', '.join(routes)} to an internet gateway") if routes else ok("no open route to an internet gateway")


def _public_flag(what: str, key: str = "publicly_accessible"):
    def check(resource: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
        return bad(f"{what} is publicly accessible") if _true(resource.get(key)) else ok(f"{what} is not publicly accessible")

    return check


rule("REDSHIFT_CLUSTER_PUBLIC_ACCESS_CHECK", "redshift_cluster", """As AWS (PubliclyAccessible).""")(_public_flag("the cluster"))
rule("DMS_REPLICATION_NOT_PUBLIC", "dms_replication_instance", """As AWS (PubliclyAccessible).""")(
    _public_flag("the replication instance")
)
rule(
    "EKS_ENDPOINT_NO_PUBLIC_ACCESS",
    "eks_cluster",
    """As AWS: a public endpoint is NON_COMPLIANT even when publicAccessCidrs narrows it.""",
)(_public_flag("the cluster's API endpoint"))
rule(
    "AUTOSCALING_LAUNCH_CONFIG_PUBLIC_IP_DISABLED",
    "launch_configuration",
    """As AWS (AssociatePublicIpAddress); launch templates are not read, by AWS nor here.""",
)(_public_flag("an instance it launches"))
rule(
    "EMR_MASTER_NO_PUBLIC_IP",
    "emr_cluster",
    """AWS reads the master node's public IP of running clusters; here the MASTER instance
    group's instances (no plan resource: an EMR plan does not show addresses).""",
)(_public_flag("the master node"))
rule(
    "SAGEMAKER_NOTEBOOK_NO_DIRECT_INTERNET_ACCESS",
    "sagemaker_notebook",
    """As AWS (DirectInternetAccess = Enabled is NON_COMPLIANT; a planned notebook that leaves
    it unset gets the API's default, Enabled).""",
)(_public_flag("the notebook (direct internet access)"))
rule("SSM_DOCUMENT_NOT_PUBLIC", "ssm_document", """As AWS (the Share permission lists "all").""")(
    _public_flag("the document (shared with all)")
)


@rule(
    "ELASTICSEARCH_IN_VPC_ONLY",
    "es_domain",
    """As AWS (VPCOptions present); OpenSearch domains planned as aws_opensearch_domain are read
    the same way.""",
)
def elasticsearch_in_vpc_only(domain: Mapping[str, Any], params: Mapping[str, str]) -> Verdict:
    return ok("the domain is in a VPC") if domain.get("in_vpc") else bad("the domain has a public endpoint (no VPC options)")
