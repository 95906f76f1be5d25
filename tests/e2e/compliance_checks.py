"""The drill on the deployed example (issues 16, 17 and 18), in the shared deployment: plant violations in a
member account, `lz compliance --evaluate --record` lists them with the exact `lz respond` command, that
command runs the runbook on the local API, a second evaluation finds the resources compliant, `lz compliance
history` has both observations, and `lz dashboard --evaluate --history` draws the heatmap and the timeline.

Then the end user's drill (issue 16's Proof): the example's Identity Center user, through the role of its
DeveloperAccess permission set in a NonProd account, opens SSH to the world and starts an instance; a Config
compliance change put on that account's bus is forwarded to the audit account's central bus and a GuardDuty
finding arrives on the audit account's own bus (GuardDuty's administrator); the audit rules match and deliver
(to test queues added as extra targets, outside terraform); `lz respond` isolates the instance, with a
snapshot of its volume and its old groups in a tag.

Everything planted is made outside terraform and removed at the end, so the later plan and destroy of the
deployment see nothing of it. Narrowed to one account (`--account`): seconds, not minutes.
"""

from __future__ import annotations

import json
import shlex
import time

from conftest import EXAMPLE
from logging_checks import _account_ids, _session

from landing_zone.environment import load_environment
from landing_zone.respond.model import ResponseNames

REGION = "eu-west-1"  # the example's home region: the runbooks run there and the evaluator reads it

ENV = "environments/example.yaml"
ACCOUNT = "payments-prod"
BUCKET = "lz-drill-public-read"
SSH = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
READ = "AWS-GR_S3_BUCKET_PUBLIC_READ_PROHIBITED"
OPEN_SSH = "AWS-GR_RESTRICTED_SSH"


def _lz_json(deployment, *args: str) -> dict:
    result = deployment.lz(*args, "--format", "json")
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_the_drill_finds_fixes_and_remembers_a_violation(deployment, org, config):
    member = _session(deployment, config, _account_ids(org)[ACCOUNT])  # through the access role
    s3 = member("s3", REGION)
    ec2 = member("ec2", REGION)
    store = deployment.out.parent / "drill-compliance.sqlite"
    site = deployment.out.parent / "drill-dashboard"
    evaluate = ("compliance", ENV, "--evaluate", "--record", "--store", str(store), "--account", ACCOUNT)

    # plant: a public-read bucket and a security group open to SSH from anywhere
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    vpc = ec2.create_vpc(CidrBlock="10.250.0.0/24")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName="lz-drill-open-ssh", Description="drill", VpcId=vpc)["GroupId"]
    try:
        s3.put_bucket_acl(Bucket=BUCKET, ACL="public-read")
        ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[SSH])

        # 1. found, with the exact command that fixes each
        found = _lz_json(deployment, *evaluate)
        assert found["sources"] == ["local evaluator"]
        by_resource = {(f["control"], f["resource"]): f for f in found["non_compliant"]}
        commands = {
            OPEN_SSH: f"lz respond {ENV} --account {ACCOUNT} --runbook LZ-RevokeOpenAdminIngress --param GroupId={group} --param Port=22",
        }
        assert by_resource[(OPEN_SSH, group)]["command"] == commands[OPEN_SSH]
        assert found["status"][OPEN_SSH][ACCOUNT].startswith("non-compliant")
        # The public-read ACL is moot: the account baseline's S3 public access block overrides it, and the
        # evaluator judges it as AWS's rule does (account and bucket blocks combined), so it is not reported.
        assert (READ, BUCKET) not in by_resource

        # 2. the dashboard of the history so far: the heatmap is red where the drill planted
        shown = deployment.lz("dashboard", ENV, "--history", str(store), "--out", str(site))
        assert shown.returncode == 0, shown.stderr[-3000:]
        data = json.loads((site / "data.js").read_text()[len("window.LZ_DASHBOARD=") : -2])["compliance"]
        assert data["heatmap"][OPEN_SSH][ACCOUNT][0] >= 1
        assert {f["command"] for f in data["findings"]} >= set(commands.values())

        # 3. run each printed command: the runbook on the local API, as the responder
        for control, command in commands.items():
            ran = deployment.lz(*shlex.split(command)[1:])
            assert ran.returncode == 0 and "Success" in ran.stdout, (control, ran.stdout, ran.stderr[-3000:])
        rules = ec2.describe_security_groups(GroupIds=[group])["SecurityGroups"][0]["IpPermissions"]
        assert not [r for r in rules if r.get("FromPort") == 22 and {"CidrIp": "0.0.0.0/0"} in r.get("IpRanges", [])]

        # 4. evaluated again: compliant
        again = _lz_json(deployment, *evaluate)
        still = {(f["control"], f["resource"]) for f in again["non_compliant"]}
        assert (READ, BUCKET) not in still and (OPEN_SSH, group) not in still

        # 5. the history has both observations: the start and the fix
        history = _lz_json(deployment, "compliance", "history", ENV, "--store", str(store), "--account", ACCOUNT, "--offline")
        episodes = {(v["control"], v["resource"]): v for v in history["violations"]}
        for key in ((OPEN_SSH, group),):
            assert episodes[key]["fixed"] and episodes[key]["started"] <= episodes[key]["fixed"], episodes[key]
            assert episodes[key]["observations"] == 1

        # 6. the dashboard, the status now and the history: fixed, with each violation from start to fix
        shown = deployment.lz("dashboard", ENV, "--evaluate", "--account", ACCOUNT, "--history", str(store), "--out", str(site))
        assert shown.returncode == 0, shown.stderr[-3000:]
        data = json.loads((site / "data.js").read_text()[len("window.LZ_DASHBOARD=") : -2])["compliance"]
        assert data["source"].startswith("now from local evaluator; history")
        assert data["heatmap"][OPEN_SSH][ACCOUNT][0] == 0
        timeline = {(v[2], v[3]): v for v in data["timeline"][ACCOUNT]}
        assert timeline[(OPEN_SSH, group)][1]  # fixed
        assert group in (site / "data.js").read_text()
    finally:
        ec2.delete_security_group(GroupId=group)
        ec2.delete_vpc(VpcId=vpc)
        s3.delete_bucket(Bucket=BUCKET)


END_USER = "dana.dev"
END_USER_ACCOUNT = "payments-nonprod"  # Workloads/NonProd: the developers group has DeveloperAccess there
SSO_ROLE = "aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_DeveloperAccess_0123456789abcdef"
ISOLATE = "LZ-IsolateEC2Instance"


def _end_user_may_work_in(deployment, config, account_id: str) -> None:
    """Identity Center has the user, in the developers group, which holds DeveloperAccess in the account."""
    management = _session(deployment, config, None)
    sso, store = management("sso-admin"), management("identitystore")
    [instance] = sso.list_instances()["Instances"]
    store_id = instance["IdentityStoreId"]
    (user,) = [u for u in store.list_users(IdentityStoreId=store_id)["Users"] if u["UserName"] == END_USER]
    groups = {g["GroupId"]: g["DisplayName"] for g in store.list_groups(IdentityStoreId=store_id)["Groups"]}
    member_of = {
        groups[m["GroupId"]]
        for m in store.list_group_memberships_for_member(IdentityStoreId=store_id, MemberId={"UserId": user["UserId"]})[
            "GroupMemberships"
        ]
    }
    assert "developers" in member_of
    sets = {
        sso.describe_permission_set(InstanceArn=instance["InstanceArn"], PermissionSetArn=ps)["PermissionSet"]["Name"]: ps
        for ps in sso.list_permission_sets(InstanceArn=instance["InstanceArn"], MaxResults=100)["PermissionSets"]
    }
    assigned = sso.list_account_assignments(
        InstanceArn=instance["InstanceArn"], AccountId=account_id, PermissionSetArn=sets["DeveloperAccess"]
    )["AccountAssignments"]
    assert {groups[a["PrincipalId"]] for a in assigned} >= {"developers"}


def _queue_on(audit, rule: str, bus: str) -> str:
    """A test queue of the audit account added to an audit rule as one more target (outside terraform)."""
    sqs = audit("sqs", REGION)
    url = sqs.create_queue(QueueName=f"lz-drill-{rule}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    audit("events", REGION).put_targets(Rule=rule, EventBusName=bus, Targets=[{"Id": "lz-drill", "Arn": arn}])
    return url


def _received(audit, url: str) -> list[dict]:
    messages = audit("sqs", REGION).receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def test_the_end_user_drill_routes_a_violation_and_a_finding_and_isolates_the_instance(deployment, org, config):
    started = time.monotonic()
    ids = _account_ids(org)
    account = ids[END_USER_ACCOUNT]
    _end_user_may_work_in(deployment, config, account)
    # moto's Identity Center creates no SSO roles in member accounts: the role it would create (reserved path,
    # permission set name) is made through the access role, and the drill works through it as the end user.
    member = _session(deployment, config, account)
    member("iam").create_role(
        RoleName=SSO_ROLE.rsplit("/", 1)[1],
        Path="/" + SSO_ROLE.rsplit("/", 1)[0] + "/",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )
    user = _session(deployment, config, account, SSO_ROLE)
    assert (
        user("sts").get_caller_identity()["Arn"].startswith(f"arn:aws:sts::{account}:assumed-role/{SSO_ROLE.rsplit('/', 1)[1]}/")
    )
    audit = _session(deployment, config, ids[config.core.audit_account])
    facts = load_environment(str(EXAMPLE)).facts
    names = facts.names
    bus = ResponseNames(names).event_bus
    rule_name = {c.id: c.config_rule.name for c in facts.guardrail_plan.detective if c.config_rule is not None}[OPEN_SSH]
    routes = {  # audit rule -> the bus it is on
        names.event_rule("config-violations"): bus,
        names.event_rule("responder-open-admin-ports"): bus,
        names.event_rule("responder-ssh-brute-force"): "default",
    }
    ec2 = user("ec2", REGION)
    vpc = ec2.create_vpc(CidrBlock="10.251.0.0/24")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.251.0.0/25")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="lz-drill-end-user-ssh", Description="drill", VpcId=vpc)["GroupId"]
    queues: dict[str, str] = {}
    instance = None
    try:
        # 1. the end user opens SSH to the world and starts an instance behind it
        ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[SSH])
        instance = ec2.run_instances(
            ImageId="ami-12c6146b", MinCount=1, MaxCount=1, SubnetId=subnet, SecurityGroupIds=[group], InstanceType="t3.micro"
        )["Instances"][0]["InstanceId"]
        (volume,) = [
            m["Ebs"]["VolumeId"]
            for m in ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]["BlockDeviceMappings"]
        ]

        # 2. the audit rules get a test queue each; Config's compliance change goes on the account's own bus (its
        # forwarding rule puts it on the central bus), GuardDuty's finding on the administrator's default bus
        queues = {rule: _queue_on(audit, rule, on) for rule, on in routes.items()}
        compliance = {
            "Source": "aws.config",
            "DetailType": "Config Rules Compliance Change",
            "Detail": json.dumps(
                {
                    "configRuleName": rule_name,
                    "resourceType": "AWS::EC2::SecurityGroup",
                    "resourceId": group,
                    "awsAccountId": account,
                    "newEvaluationResult": {"complianceType": "NON_COMPLIANT"},
                }
            ),
        }
        assert user("events", REGION).put_events(Entries=[compliance])["FailedEntryCount"] == 0

        def finding(severity: float) -> dict:
            detail = {
                "accountId": account,
                "type": "UnauthorizedAccess:EC2/SSHBruteForce",
                "severity": severity,
                "resource": {"resourceType": "Instance", "instanceDetails": {"instanceId": instance}},
            }
            return {"Source": "aws.guardduty", "DetailType": "GuardDuty Finding", "Detail": json.dumps(detail)}

        # a MEDIUM finding matches the responder; a LOW one does not
        assert audit("events", REGION).put_events(Entries=[finding(5.0), finding(2.0)])["FailedEntryCount"] == 0

        # 3. the audit rules matched and delivered
        delivered = {rule: _received(audit, url) for rule, url in queues.items()}
        for rule in (names.event_rule("config-violations"), names.event_rule("responder-open-admin-ports")):
            (event,) = delivered[rule]
            assert event["detail-type"] == "Config Rules Compliance Change" and event["detail"]["resourceId"] == group, rule
            assert event["detail"]["awsAccountId"] == account
        (event,) = delivered[names.event_rule("responder-ssh-brute-force")]
        assert event["source"] == "aws.guardduty" and event["detail"]["severity"] == 5.0
        assert event["detail"]["resource"]["instanceDetails"]["instanceId"] == instance

        # 4. the responder isolates the instance through `lz respond` (the audit account's responder role)
        ran = deployment.lz(
            "respond",
            ENV,
            "--account",
            END_USER_ACCOUNT,
            "--runbook",
            ISOLATE,
            "--param",
            f"InstanceId={instance}",
            "--param",
            "Reason=drill GuardDuty finding",
        )
        assert ran.returncode == 0 and ran.stdout.strip() == f"{ISOLATE} in {END_USER_ACCOUNT}: Success", ran.stderr[-3000:]

        # 5. isolated: only the isolation group (no rule at all), the old groups and the snapshot in tags
        described = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
        tags = {t["Key"]: t["Value"] for t in described["Tags"]}
        isolation = tags["lz:isolation-group"]
        assert [g["GroupId"] for g in described["SecurityGroups"]] == [isolation]
        (isolating,) = ec2.describe_security_groups(GroupIds=[isolation])["SecurityGroups"]
        assert isolating["IpPermissions"] == [] and isolating["IpPermissionsEgress"] == []
        assert tags["lz:isolated"] == "true" and tags["lz:isolated-previous-groups"] == f"[{group}]"
        assert tags["lz:isolation-reason"] == "drill GuardDuty finding"
        snapshots = ec2.describe_snapshots(Filters=[{"Name": "volume-id", "Values": [volume]}], OwnerIds=["self"])["Snapshots"]
        assert [s["SnapshotId"] for s in snapshots] == tags["lz:isolation-snapshots"].strip("[]").split(",")
        assert time.monotonic() - started < 120  # seconds, not minutes
    finally:
        events = audit("events", REGION)
        for rule, url in queues.items():
            events.remove_targets(Rule=rule, EventBusName=routes[rule], Ids=["lz-drill"])
            audit("sqs", REGION).delete_queue(QueueUrl=url)
        if instance is not None:
            for snapshot in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"]:
                if instance in snapshot.get("Description", ""):
                    ec2.delete_snapshot(SnapshotId=snapshot["SnapshotId"])
            ec2.terminate_instances(InstanceIds=[instance])
        for leftover in ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["SecurityGroups"]:
            if leftover["GroupName"] != "default":
                ec2.delete_security_group(GroupId=leftover["GroupId"])
        ec2.delete_subnet(SubnetId=subnet)
        ec2.delete_vpc(VpcId=vpc)
        member("iam").delete_role(RoleName=SSO_ROLE.rsplit("/", 1)[1])
