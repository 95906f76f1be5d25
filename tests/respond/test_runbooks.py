"""Each runbook of the package, run by the local Automation executor against in-process moto."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from landing_zone.local_aws.automation import Execution, parse_document, resolve_parameters, run_automation, select
from landing_zone.respond.runbooks import STEP_ACTIONS, load_runbooks

REGION = "eu-west-1"
ROLE = "arn:aws:iam::123456789012:role/acme-lz-remediation"


@pytest.fixture
def aws(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield lambda service: boto3.client(service, region_name=REGION)


def run(aws, name: str, **params) -> Execution:
    runbook = load_runbooks()[name]
    document = parse_document(runbook.content)
    given = {"AutomationAssumeRole": [ROLE], **{k: v if isinstance(v, list) else [str(v)] for k, v in params.items()}}
    execution = Execution("exec-1", name, resolve_parameters(document, given))
    return run_automation(execution, document, aws, account_id="123456789012", region=REGION)


def test_every_runbook_uses_only_the_four_step_types_and_sets_the_assume_role():
    runbooks = load_runbooks()
    assert sorted(runbooks) == [
        "LZ-BlockS3PublicAccess",
        "LZ-EnableCloudTrailLogging",
        "LZ-EnableEbsEncryptionByDefault",
        "LZ-IsolateEC2Instance",
        "LZ-MakeRdsSnapshotPrivate",
        "LZ-QuarantineIAMPrincipal",
        "LZ-ReleaseEC2Instance",
        "LZ-RequireImdsv2",
        "LZ-RevokeOpenAdminIngress",
        "LZ-WAF-BlockIp",
    ]
    for runbook in runbooks.values():
        assert {s["action"] for s in runbook.steps} <= set(STEP_ACTIONS)
        # a script only where a list must be merged (UpdateIPSet replaces the whole list)
        assert ("aws:executeScript" in {s["action"] for s in runbook.steps}) == (runbook.name == "LZ-WAF-BlockIp")
        assert runbook.document["assumeRole"] == "{{ AutomationAssumeRole }}"
    # IAM's names for the S3 public access block calls differ from the API's (caught by CKV_LZ_27 on the roles)
    assert runbooks["LZ-BlockS3PublicAccess"].permissions == (
        "s3:GetBucketPublicAccessBlock",
        "s3:PutBucketAcl",
        "s3:PutBucketPublicAccessBlock",
    )


def _instance(aws):
    ec2 = aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    web = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    ssh = ec2.create_security_group(GroupName="ssh", Description="ssh", VpcId=vpc)["GroupId"]
    instance = ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, SubnetId=subnet, SecurityGroupIds=[web, ssh])[
        "Instances"
    ][0]["InstanceId"]
    return ec2, vpc, instance, [web, ssh]


def test_isolate_then_release_an_instance(aws):
    ec2, vpc, instance, groups = _instance(aws)
    execution = run(aws, "LZ-IsolateEC2Instance", InstanceId=instance, Reason="finding 42")
    assert execution.status == "Success", execution.failure
    assert [s.name for s in execution.steps] == [
        "describeInstance",
        "createIsolationGroup",
        "removeDefaultEgress",
        "recordPreviousGroups",
        "snapshotVolumes",
        "swapGroups",
        "tagInstance",
        "assertIsolated",
    ]
    described = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
    isolation = execution.steps[1].outputs["GroupId"]
    assert [g["GroupId"] for g in described["SecurityGroups"]] == [isolation]
    group = ec2.describe_security_groups(GroupIds=[isolation])["SecurityGroups"][0]
    assert group["IpPermissions"] == [] and group["IpPermissionsEgress"] == []
    tags = {t["Key"]: t["Value"] for t in described["Tags"]}
    assert tags["lz:isolated-previous-groups"] == f"[{','.join(groups)}]"
    assert tags["lz:isolated"] == "true" and tags["lz:isolation-reason"] == "finding 42"
    volumes = [m["Ebs"]["VolumeId"] for m in described["BlockDeviceMappings"]]
    snapshots = ec2.describe_snapshots(Filters=[{"Name": "volume-id", "Values": volumes}])["Snapshots"]
    assert volumes and sorted(s["VolumeId"] for s in snapshots) == sorted(volumes)
    assert tags["lz:isolation-snapshots"] == f"[{','.join(execution.steps[4].outputs['SnapshotIds'])}]"

    released = run(
        aws,
        "LZ-ReleaseEC2Instance",
        InstanceId=instance,
        SecurityGroupIds=tags["lz:isolated-previous-groups"].strip("[]").split(","),
    )
    assert released.status == "Success", released.failure
    described = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
    assert sorted(g["GroupId"] for g in described["SecurityGroups"]) == sorted(groups)
    assert "lz:isolated" not in {t["Key"] for t in described.get("Tags", [])}
    assert not ec2.describe_security_groups(Filters=[{"Name": "group-id", "Values": [isolation]}])["SecurityGroups"]


def test_release_refuses_an_instance_that_is_not_isolated(aws):
    ec2, vpc, instance, groups = _instance(aws)
    execution = run(aws, "LZ-ReleaseEC2Instance", InstanceId=instance, SecurityGroupIds=groups)
    assert execution.status == "Failed"
    assert [(s.name, s.status) for s in execution.steps] == [("assertIsolated", "Failed")]
    assert "not one of ['true']" in execution.failure


def test_block_public_access_makes_a_public_bucket_private(aws):
    s3 = aws("s3")
    s3.create_bucket(Bucket="team-data", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_acl(Bucket="team-data", ACL="public-read")
    execution = run(aws, "LZ-BlockS3PublicAccess", BucketName="team-data")
    assert execution.status == "Success", execution.failure
    assert all(s3.get_public_access_block(Bucket="team-data")["PublicAccessBlockConfiguration"].values())
    grantees = [g["Grantee"].get("URI") for g in s3.get_bucket_acl(Bucket="team-data")["Grants"]]
    assert "http://acs.amazonaws.com/groups/global/AllUsers" not in grantees


@pytest.mark.parametrize("port,cidr", [(22, "0.0.0.0/0"), (3389, "::/0")])
def test_revoke_open_admin_ingress_removes_exactly_that_rule(aws, port, cidr):
    ec2 = aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName="admin", Description="admin", VpcId=vpc)["GroupId"]
    ranges = {"Ipv6Ranges": [{"CidrIpv6": cidr}]} if ":" in cidr else {"IpRanges": [{"CidrIp": cidr}]}
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, **ranges},
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        ],
    )
    execution = run(aws, "LZ-RevokeOpenAdminIngress", GroupId=group, Port=port, Cidr=cidr)
    assert execution.status == "Success", execution.failure
    assert [s.name for s in execution.steps] == ["chooseFamily", "revokeIpv6" if ":" in cidr else "revokeIpv4"]
    left = ec2.describe_security_groups(GroupIds=[group])["SecurityGroups"][0]["IpPermissions"]
    assert [p["FromPort"] for p in left] == [443]


def test_revoke_refuses_a_port_it_does_not_cover(aws):
    from landing_zone.local_aws.automation import AutomationError

    with pytest.raises(AutomationError, match=r"parameter Port: 80 is not one of \[22, 3389\]"):
        run(aws, "LZ-RevokeOpenAdminIngress", GroupId="sg-12345678", Port=80)


def test_quarantine_a_user_denies_everything_and_deactivates_both_keys(aws):
    iam = aws("iam")
    iam.create_user(UserName="mallory")
    keys = [iam.create_access_key(UserName="mallory")["AccessKey"]["AccessKeyId"] for _ in range(2)]
    execution = run(aws, "LZ-QuarantineIAMPrincipal", PrincipalType="user", PrincipalName="mallory", Reason="GuardDuty 7f3")
    assert execution.status == "Success", execution.failure
    policy = iam.get_user_policy(UserName="mallory", PolicyName="lz-quarantine-deny-all")["PolicyDocument"]
    assert policy["Statement"] == [{"Sid": "Quarantine", "Effect": "Deny", "Action": "*", "Resource": "*"}]
    assert {k["AccessKeyId"]: k["Status"] for k in iam.list_access_keys(UserName="mallory")["AccessKeyMetadata"]} == {
        k: "Inactive" for k in keys
    }
    assert {"Key": "lz:quarantine-reason", "Value": "GuardDuty 7f3"} in iam.list_user_tags(UserName="mallory")["Tags"]


def test_quarantine_a_user_without_keys_and_a_role(aws):
    iam = aws("iam")
    iam.create_user(UserName="eve")
    execution = run(aws, "LZ-QuarantineIAMPrincipal", PrincipalType="user", PrincipalName="eve")
    assert execution.status == "Success", execution.failure
    assert [s.name for s in execution.steps][-2:] == ["hasFirstKey", "done"]
    iam.create_role(RoleName="app", AssumeRolePolicyDocument="{}")
    execution = run(aws, "LZ-QuarantineIAMPrincipal", PrincipalType="role", PrincipalName="app")
    assert execution.status == "Success", execution.failure
    assert [s.name for s in execution.steps] == ["chooseKind", "denyRole", "tagRole"]
    assert (
        iam.get_role_policy(RoleName="app", PolicyName="lz-quarantine-deny-all")["PolicyDocument"]["Statement"][0]["Effect"]
        == "Deny"
    )


def test_a_call_botocore_refuses_fails_the_step_with_its_message(aws):
    document = {
        "schemaVersion": "0.3",
        "parameters": {},
        "mainSteps": [
            {
                "name": "bad",
                "action": "aws:executeAwsApi",
                "inputs": {"Service": "ec2", "Api": "DescribeInstances", "InstanceIdz": ["i-1"]},
            }
        ],
    }
    execution = run_automation(Execution("e", "doc", {}), document, aws, account_id="123456789012", region=REGION)
    assert execution.status == "Failed" and 'Unknown parameter in input: "InstanceIdz"' in execution.failure


def test_selectors():
    data = {"A": [{"B": {"C": 1}}, {"B": {"C": 2}}], "D": "x"}
    assert select(data, "$.A..C") == [1, 2]
    assert select(data, "$.A[1].B.C") == [2]
    assert select(data, "$.D") == ["x"] and select(data, "$.A[5].B") == []
