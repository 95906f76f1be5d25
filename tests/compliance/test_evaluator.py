"""The local evaluator: each managed rule's check on resources read from moto (in-process), compliant and not."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

from landing_zone.compliance.evaluator import RULES, RuleRun, evaluate_account
from landing_zone.compliance.evaluator.rules import COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE
from landing_zone.guardrails.catalog import catalog

REGION = "eu-west-1"
ACCOUNT = "123456789012"


def c(service: str):
    return boto3.client(service, region_name=REGION)


def _bucket(name: str) -> str:
    c("s3").create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return name


def _policy(name: str, action: str) -> str:
    _bucket(name)
    doc = {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": action, "Resource": f"arn:aws:s3:::{name}/*"}
        ],
    }
    c("s3").put_bucket_policy(Bucket=name, Policy=json.dumps(doc))
    return name


def _blocked_policy(name: str) -> str:
    _policy(name, "s3:GetObject")
    c("s3").put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration={
            k: True for k in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
        },
    )
    return name


def _acl(name: str, acl: str) -> str:
    _bucket(name)
    c("s3").put_bucket_acl(Bucket=name, ACL=acl)
    return name


def _write_grant(name: str) -> str:
    # moto's canned public-read-write ACL grants READ only, so the WRITE grant is given explicitly.
    _bucket(name)
    c("s3").put_bucket_acl(Bucket=name, GrantWrite='uri="http://acs.amazonaws.com/groups/global/AllUsers"')
    return name


def _versioned(name: str) -> str:
    _bucket(name)
    c("s3").put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    return name


def _group(port: int | None, cidr: str = "0.0.0.0/0", protocol: str = "tcp") -> str:
    ec2 = c("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName=f"g{port}{protocol}", Description="t", VpcId=vpc)["GroupId"]
    if port is not None:
        perm = {"IpProtocol": protocol, "FromPort": port, "ToPort": port}
        perm["Ipv6Ranges" if ":" in cidr else "IpRanges"] = [{"CidrIpv6": cidr} if ":" in cidr else {"CidrIp": cidr}]
        ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[perm])
    return group


def _instance(tokens: str = "optional", **kwargs) -> str:
    ec2 = c("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    return ec2.run_instances(
        ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro", MetadataOptions={"HttpTokens": tokens}, **kwargs
    )["Instances"][0]["InstanceId"]


def _private_instance() -> str:
    subnet = c("ec2").describe_subnets()["Subnets"][0]["SubnetId"]
    return _instance(NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": subnet, "AssociatePublicIpAddress": False}])


def _volume(encrypted: bool, attach: bool) -> str:
    ec2 = c("ec2")
    volume = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=8, Encrypted=encrypted)["VolumeId"]
    if attach:
        ec2.attach_volume(VolumeId=volume, InstanceId=_instance(), Device="/dev/sdf")
    return volume


def _db(public: bool, encrypted: bool = True) -> str:
    c("rds").create_db_instance(
        DBInstanceIdentifier="db1",
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        MasterUsername="admin1",
        MasterUserPassword="password-123",
        AllocatedStorage=20,
        PubliclyAccessible=public,
        StorageEncrypted=encrypted,
    )
    return "db1"


def _db_snapshot(public: bool) -> str:
    _db(False)
    rds = c("rds")
    rds.create_db_snapshot(DBInstanceIdentifier="db1", DBSnapshotIdentifier="snap1")
    if public:
        rds.modify_db_snapshot_attribute(DBSnapshotIdentifier="snap1", AttributeName="restore", ValuesToAdd=["all"])
    return "snap1"


def _ebs_snapshot(public: bool) -> str:
    ec2 = c("ec2")
    volume = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=8)["VolumeId"]
    snap = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
    if public:
        ec2.modify_snapshot_attribute(
            SnapshotId=snap, Attribute="createVolumePermission", OperationType="add", GroupNames=["all"]
        )
    return snap


def _root_mfa(on: bool) -> str:
    if on:
        from moto.iam.models import iam_backends

        iam_backends[ACCOUNT]["global"].account_summary._account_mfa_enabled = 1
    return ACCOUNT


def _root_key(present: bool) -> str:
    if present:
        from moto.iam.models import iam_backends

        iam_backends[ACCOUNT]["global"].account_summary._account_access_keys_present = 1
    return ACCOUNT


def _trail(logging: bool, validation: bool = False) -> str:
    _bucket("trail-logs")
    ct = c("cloudtrail")
    ct.create_trail(Name="main", S3BucketName="trail-logs", EnableLogFileValidation=validation)
    if logging:
        ct.start_logging(Name="main")
    return "main"


def _account_with_trail(logging: bool) -> str:
    _trail(logging)
    return ACCOUNT


def _user(mfa: bool, console: bool = True) -> str:
    iam = c("iam")
    iam.create_user(UserName="alice")
    if console:
        iam.create_login_profile(UserName="alice", Password="Passw0rd!x")
    if mfa:
        serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]["SerialNumber"]
        iam.enable_mfa_device(UserName="alice", SerialNumber=serial, AuthenticationCode1="123456", AuthenticationCode2="654321")
    return "alice"


def _account_block(on: bool) -> str:
    if on:
        c("s3control").put_public_access_block(
            AccountId=ACCOUNT,
            PublicAccessBlockConfiguration={
                k: True for k in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
            },
        )
    return ACCOUNT


def _subnet(public: bool) -> str:
    ec2 = c("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.8.1.0/24")["Subnet"]["SubnetId"]
    if public:
        ec2.modify_subnet_attribute(SubnetId=subnet, MapPublicIpOnLaunch={"Value": True})
    return subnet


def _guardduty(on: bool) -> str:
    if on:
        c("guardduty").create_detector(Enable=True)
    return ACCOUNT


def _hub(on: bool) -> str:
    if on:
        c("securityhub").enable_security_hub()
    return ACCOUNT


def _lambda(public: bool) -> str:
    import io
    import zipfile

    role = c("iam").create_role(RoleName="fn", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as z:
        z.writestr("index.py", "def handler(e, c): return 1")
    c("lambda").create_function(
        FunctionName="fn1", Runtime="python3.11", Role=role, Handler="index.handler", Code={"ZipFile": code.getvalue()}
    )
    principal = "*" if public else "events.amazonaws.com"
    c("lambda").add_permission(FunctionName="fn1", StatementId="s1", Action="lambda:InvokeFunction", Principal=principal)
    return "fn1"


def _route_table(open_route: bool) -> str:
    ec2 = c("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.6.0.0/16")["Vpc"]["VpcId"]
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0" if open_route else "192.0.2.0/24", GatewayId=igw)
    return table


def _redshift(public: bool) -> str:
    c("redshift").create_cluster(
        ClusterIdentifier="rs1",
        NodeType="dc2.large",
        MasterUsername="admin1",
        MasterUserPassword="Password123",
        PubliclyAccessible=public,
    )
    return "rs1"


def _dms(public: bool) -> str:
    c("dms").create_replication_instance(
        ReplicationInstanceIdentifier="dms1", ReplicationInstanceClass="dms.t3.micro", PubliclyAccessible=public
    )
    return "dms1"


def _eks(public: bool) -> str:
    role = c("iam").create_role(RoleName="eks", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    c("eks").create_cluster(
        name="k1",
        roleArn=role,
        resourcesVpcConfig={"subnetIds": [], "endpointPublicAccess": public, "endpointPrivateAccess": True},
    )
    return "k1"


def _launch_config(public: bool) -> str:
    c("autoscaling").create_launch_configuration(
        LaunchConfigurationName="lc1", ImageId="ami-12c6146b", InstanceType="t3.micro", AssociatePublicIpAddress=public
    )
    return "lc1"


def _sagemaker(direct: str) -> str:
    role = c("iam").create_role(RoleName="sm", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    c("sagemaker").create_notebook_instance(
        NotebookInstanceName="nb1", InstanceType="ml.t3.medium", RoleArn=role, DirectInternetAccess=direct
    )
    return "nb1"


def _ssm_document(public: bool) -> str:
    content = json.dumps(
        {"schemaVersion": "0.3", "mainSteps": [{"name": "s", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}}]}
    )
    c("ssm").create_document(Name="doc1", Content=content, DocumentType="Automation", DocumentFormat="JSON")
    c("ssm").modify_document_permission(
        Name="doc1", PermissionType="Share", AccountIdsToAdd=["all" if public else "210987654321"]
    )
    return "doc1"


def _es(in_vpc: bool) -> str:
    options = {"VPCOptions": {"SubnetIds": ["subnet-12345678"], "SecurityGroupIds": ["sg-12345678"]}} if in_vpc else {}
    c("es").create_elasticsearch_domain(DomainName="es1", **options)
    return "es1"


def _emr(public: bool) -> str:
    emr = c("emr")
    master = [{"InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1, "Market": "ON_DEMAND"}]
    cluster = emr.run_job_flow(
        Name="emr1",
        ReleaseLabel="emr-6.10.0",
        Instances={"InstanceGroups": master, "KeepJobFlowAliveWhenNoSteps": True},
        JobFlowRole="EMR_EC2_DefaultRole",
        ServiceRole="EMR_DefaultRole",
    )["JobFlowId"]
    if not public:  # moto gives every EMR instance a public address: take it away, as a private subnet would
        from moto.ec2.models import ec2_backends

        for instance in emr.list_instances(ClusterId=cluster)["Instances"]:
            ec2_backends[ACCOUNT][REGION].get_instance(instance["Ec2InstanceId"]).nics[0].public_ip = None
    return cluster


# (rule, parameters, setup, expected status, words in the reason)
CASES = [
    ("S3_BUCKET_PUBLIC_READ_PROHIBITED", {}, lambda: _bucket("private"), COMPLIANT, "no ACL"),
    ("S3_BUCKET_PUBLIC_READ_PROHIBITED", {}, lambda: _acl("acl-read", "public-read"), NON_COMPLIANT, "READ to AllUsers"),
    ("S3_BUCKET_PUBLIC_READ_PROHIBITED", {}, lambda: _policy("pol-read", "s3:GetObject"), NON_COMPLIANT, "policy (Open)"),
    ("S3_BUCKET_PUBLIC_READ_PROHIBITED", {}, lambda: _blocked_policy("blocked"), COMPLIANT, "no ACL"),
    ("S3_BUCKET_PUBLIC_WRITE_PROHIBITED", {}, lambda: _acl("acl-ro", "public-read"), COMPLIANT, "public write"),
    ("S3_BUCKET_PUBLIC_WRITE_PROHIBITED", {}, lambda: _write_grant("acl-rw"), NON_COMPLIANT, "WRITE to AllUsers"),
    ("S3_BUCKET_PUBLIC_WRITE_PROHIBITED", {}, lambda: _policy("pol-write", "s3:PutObject"), NON_COMPLIANT, "public write"),
    ("S3_BUCKET_VERSIONING_ENABLED", {}, lambda: _versioned("ver"), COMPLIANT, "Enabled"),
    ("S3_BUCKET_VERSIONING_ENABLED", {}, lambda: _bucket("nover"), NON_COMPLIANT, "never enabled"),
    ("S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC", {}, lambda: _account_block(True), COMPLIANT, "all four"),
    ("S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC", {}, lambda: _account_block(False), NON_COMPLIANT, "BlockPublicAcls"),
    ("INCOMING_SSH_DISABLED", {}, lambda: _group(22, "10.0.0.0/8"), COMPLIANT, "port 22"),
    ("INCOMING_SSH_DISABLED", {}, lambda: _group(22), NON_COMPLIANT, "port 22 from 0.0.0.0/0"),
    ("INCOMING_SSH_DISABLED", {}, lambda: _group(0, "::/0", "-1"), NON_COMPLIANT, "from ::/0"),
    ("RESTRICTED_INCOMING_TRAFFIC", {"blockedPort1": "3389", "blockedPort2": "3306"}, lambda: _group(443), COMPLIANT, "3389"),
    (
        "RESTRICTED_INCOMING_TRAFFIC",
        {"blockedPort1": "3389", "blockedPort2": "3306"},
        lambda: _group(3389),
        NON_COMPLIANT,
        "port 3389",
    ),
    ("RESTRICTED_INCOMING_TRAFFIC", {}, lambda: _group(21), NON_COMPLIANT, "port 21"),
    ("ENCRYPTED_VOLUMES", {}, lambda: _volume(True, True), COMPLIANT, "encrypted"),
    ("ENCRYPTED_VOLUMES", {}, lambda: _volume(False, True), NON_COMPLIANT, "not encrypted"),
    ("ENCRYPTED_VOLUMES", {}, lambda: _volume(False, False), NOT_APPLICABLE, "not attached"),
    ("EC2_VOLUME_INUSE_CHECK", {}, lambda: _volume(True, True), COMPLIANT, "attached"),
    ("EC2_VOLUME_INUSE_CHECK", {}, lambda: _volume(True, False), NON_COMPLIANT, "not attached"),
    ("EC2_IMDSV2_CHECK", {}, lambda: _instance("required"), COMPLIANT, "required"),
    ("EC2_IMDSV2_CHECK", {}, lambda: _instance("optional"), NON_COMPLIANT, "http_tokens is optional"),
    ("EBS_OPTIMIZED_INSTANCE", {}, lambda: _instance(EbsOptimized=True), COMPLIANT, "EBS-optimized"),
    ("EBS_OPTIMIZED_INSTANCE", {}, lambda: _instance(EbsOptimized=False), NON_COMPLIANT, "off"),
    ("EC2_INSTANCE_NO_PUBLIC_IP", {}, _private_instance, COMPLIANT, "no public"),
    ("EC2_INSTANCE_NO_PUBLIC_IP", {}, _instance, NON_COMPLIANT, "public IPv4"),
    ("SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED", {}, lambda: _subnet(False), COMPLIANT, "off"),
    ("SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED", {}, lambda: _subnet(True), NON_COMPLIANT, "is on"),
    ("EBS_SNAPSHOT_PUBLIC_RESTORABLE_CHECK", {}, lambda: _ebs_snapshot(False), COMPLIANT, "not public"),
    ("EBS_SNAPSHOT_PUBLIC_RESTORABLE_CHECK", {}, lambda: _ebs_snapshot(True), NON_COMPLIANT, "anyone"),
    ("RDS_INSTANCE_PUBLIC_ACCESS_CHECK", {}, lambda: _db(False), COMPLIANT, "not publicly"),
    ("RDS_INSTANCE_PUBLIC_ACCESS_CHECK", {}, lambda: _db(True), NON_COMPLIANT, "PubliclyAccessible"),
    ("RDS_STORAGE_ENCRYPTED", {}, lambda: _db(False, True), COMPLIANT, "encrypted"),
    ("RDS_STORAGE_ENCRYPTED", {}, lambda: _db(False, False), NON_COMPLIANT, "StorageEncrypted"),
    ("RDS_SNAPSHOTS_PUBLIC_PROHIBITED", {}, lambda: _db_snapshot(False), COMPLIANT, "not public"),
    ("RDS_SNAPSHOTS_PUBLIC_PROHIBITED", {}, lambda: _db_snapshot(True), NON_COMPLIANT, '"all"'),
    ("ROOT_ACCOUNT_MFA_ENABLED", {}, lambda: _root_mfa(True), COMPLIANT, "has MFA"),
    ("ROOT_ACCOUNT_MFA_ENABLED", {}, lambda: _root_mfa(False), NON_COMPLIANT, "no MFA"),
    ("IAM_ROOT_ACCESS_KEY_CHECK", {}, lambda: _root_key(False), COMPLIANT, "no access key"),
    ("IAM_ROOT_ACCESS_KEY_CHECK", {}, lambda: _root_key(True), NON_COMPLIANT, "has an access key"),
    ("CLOUD_TRAIL_ENABLED", {}, lambda: _account_with_trail(True), COMPLIANT, "trail main is logging"),
    ("CLOUD_TRAIL_ENABLED", {}, lambda: _account_with_trail(False), NON_COMPLIANT, "1 stopped"),
    ("CLOUD_TRAIL_ENABLED", {}, lambda: ACCOUNT, NON_COMPLIANT, "no trail"),
    ("CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED", {}, lambda: _trail(True, True), COMPLIANT, "on"),
    ("CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED", {}, lambda: _trail(True, False), NON_COMPLIANT, "off"),
    ("IAM_USER_MFA_ENABLED", {}, lambda: _user(True), COMPLIANT, "MFA device"),
    ("IAM_USER_MFA_ENABLED", {}, lambda: _user(False), NON_COMPLIANT, "no MFA"),
    ("MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS", {}, lambda: _user(True), COMPLIANT, "with MFA"),
    ("MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS", {}, lambda: _user(False), NON_COMPLIANT, "no MFA"),
    ("MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS", {}, lambda: _user(False, console=False), NOT_APPLICABLE, "no console"),
    ("GUARDDUTY_ENABLED_CENTRALIZED", {}, lambda: _guardduty(True), COMPLIANT, "enabled"),
    ("GUARDDUTY_ENABLED_CENTRALIZED", {}, lambda: _guardduty(False), NON_COMPLIANT, "no enabled"),
    ("SECURITYHUB_ENABLED", {}, lambda: _hub(True), COMPLIANT, "is enabled"),
    ("SECURITYHUB_ENABLED", {}, lambda: _hub(False), NON_COMPLIANT, "not enabled"),
    ("LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED", {}, lambda: _lambda(False), COMPLIANT, "no public"),
    ("LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED", {}, lambda: _lambda(True), NON_COMPLIANT, "anyone"),
    ("NO_UNRESTRICTED_ROUTE_TO_IGW", {}, lambda: _route_table(False), COMPLIANT, "no open route"),
    ("NO_UNRESTRICTED_ROUTE_TO_IGW", {}, lambda: _route_table(True), NON_COMPLIANT, "0.0.0.0/0"),
    ("REDSHIFT_CLUSTER_PUBLIC_ACCESS_CHECK", {}, lambda: _redshift(False), COMPLIANT, "not publicly"),
    ("REDSHIFT_CLUSTER_PUBLIC_ACCESS_CHECK", {}, lambda: _redshift(True), NON_COMPLIANT, "is publicly"),
    ("DMS_REPLICATION_NOT_PUBLIC", {}, lambda: _dms(False), COMPLIANT, "not publicly"),
    ("DMS_REPLICATION_NOT_PUBLIC", {}, lambda: _dms(True), NON_COMPLIANT, "is publicly"),
    ("EKS_ENDPOINT_NO_PUBLIC_ACCESS", {}, lambda: _eks(False), COMPLIANT, "not publicly"),
    ("EKS_ENDPOINT_NO_PUBLIC_ACCESS", {}, lambda: _eks(True), NON_COMPLIANT, "is publicly"),
    ("AUTOSCALING_LAUNCH_CONFIG_PUBLIC_IP_DISABLED", {}, lambda: _launch_config(False), COMPLIANT, "not publicly"),
    ("AUTOSCALING_LAUNCH_CONFIG_PUBLIC_IP_DISABLED", {}, lambda: _launch_config(True), NON_COMPLIANT, "is publicly"),
    ("SAGEMAKER_NOTEBOOK_NO_DIRECT_INTERNET_ACCESS", {}, lambda: _sagemaker("Disabled"), COMPLIANT, "not publicly"),
    ("SAGEMAKER_NOTEBOOK_NO_DIRECT_INTERNET_ACCESS", {}, lambda: _sagemaker("Enabled"), NON_COMPLIANT, "is publicly"),
    ("SSM_DOCUMENT_NOT_PUBLIC", {}, lambda: _ssm_document(False), COMPLIANT, "not publicly"),
    ("SSM_DOCUMENT_NOT_PUBLIC", {}, lambda: _ssm_document(True), NON_COMPLIANT, "is publicly"),
    ("ELASTICSEARCH_IN_VPC_ONLY", {}, lambda: _es(True), COMPLIANT, "in a VPC"),
    ("ELASTICSEARCH_IN_VPC_ONLY", {}, lambda: _es(False), NON_COMPLIANT, "public endpoint"),
    ("EMR_MASTER_NO_PUBLIC_IP", {}, lambda: _emr(False), COMPLIANT, "not publicly"),
    ("EMR_MASTER_NO_PUBLIC_IP", {}, lambda: _emr(True), NON_COMPLIANT, "is publicly"),
]


@pytest.fixture
def aws(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        yield


def _client(service: str, region: str):
    return boto3.client(service, region_name=region)


@pytest.mark.parametrize(
    ("identifier", "params", "setup", "expected", "words"),
    CASES,
    ids=[f"{c[0]}-{c[3]}-{i}" for i, c in enumerate(CASES)],
)
def test_rule_on_resources_read_through_the_api(aws, identifier, params, setup, expected, words):
    resource = setup()
    found = evaluate_account(_client, ACCOUNT, [REGION], [RuleRun("CTRL", identifier, params)], REGION)
    mine = [e for e in found if e.resource == resource]
    assert len(mine) == 1, found
    assert (mine[0].status, mine[0].control_id, mine[0].account, mine[0].region) == (expected, "CTRL", ACCOUNT, REGION)
    assert words in mine[0].reason


def test_every_required_rule_and_both_outcomes_are_covered():
    required = {
        "ROOT_ACCOUNT_MFA_ENABLED", "S3_BUCKET_PUBLIC_READ_PROHIBITED", "S3_BUCKET_PUBLIC_WRITE_PROHIBITED",
        "RDS_INSTANCE_PUBLIC_ACCESS_CHECK", "RDS_SNAPSHOTS_PUBLIC_PROHIBITED", "INCOMING_SSH_DISABLED",
        "RESTRICTED_INCOMING_TRAFFIC", "ENCRYPTED_VOLUMES", "EC2_VOLUME_INUSE_CHECK", "CLOUD_TRAIL_ENABLED",
        "IAM_USER_MFA_ENABLED", "EC2_IMDSV2_CHECK",
    }  # fmt: skip
    assert required <= set(RULES)
    for identifier in RULES:
        outcomes = {status for rule, _, _, status, _ in CASES if rule == identifier}
        assert {COMPLIANT, NON_COMPLIANT} <= outcomes, identifier
        assert RULES[identifier].note, f"{identifier} has no note on how AWS's rule differs"


# Managed rules of the catalog with no local check yet: evaluated by AWS Config only. Shrink this list; never grow it.
NOT_YET_LOCAL: set[str] = set()


def test_the_catalog_rules_without_a_local_check_are_exactly_the_known_ones():
    identifiers = {c.config_rule.source_identifier for c in catalog().values() if c.config_rule}
    assert identifiers - set(RULES) == NOT_YET_LOCAL
    assert set(RULES) <= identifiers
