"""The drill on the deployed example (issues 16, 17 and 18), in the shared deployment: plant violations in a
member account, `lz compliance --evaluate --record` lists them with the exact `lz respond` command, that
command runs the runbook on the local API, a second evaluation finds the resources compliant, `lz compliance
history` has both observations, and `lz dashboard --evaluate --history` draws the heatmap and the timeline.

Everything planted is made outside terraform and removed at the end, so the later plan and destroy of the
deployment see nothing of it. Narrowed to one account (`--account`): seconds, not minutes.
"""

from __future__ import annotations

import json
import shlex

from logging_checks import _account_ids, _session

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
