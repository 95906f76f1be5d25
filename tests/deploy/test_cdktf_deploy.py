"""Issue 23 B.5: `cdktf deploy`, the platform engineer's path, against the local AWS API, offline.

The documented path (README "Deploying with the cdktf CLI"), run as written in
a shell: `eval "$(lz cdktf-env --endpoint URL)"`, then the pinned cdktf CLI
deploys the management stack (`--skip-provider-lock`: `terraform providers
lock` would ask the registry) and then one member stack on its own
(`--ignore-missing-stack-dependencies`: its dependency, management, is not
in the command) into a moto server of its own on 127.0.0.1. The environment
is environments/minimal.yaml; the member stack is log-archive, the only one
that needs nothing but management's outputs (its account id, through a
cross-stack reference). The run is timed and printed (one synth, two applies).
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "environments" / "minimal.yaml"
MEMBER = "log-archive"


def cdktf_cli() -> Path:
    """node_modules/.bin/cdktf (`make setup` installs it; `npm ci` here when a fresh clone lacks it)."""
    binary = ROOT / "node_modules" / ".bin" / "cdktf"
    if not binary.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=ROOT, check=True)
    return binary


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    from landing_zone.local_aws.server import LocalAws

    with LocalAws(log_file=tmp_path_factory.mktemp("moto") / "moto.log") as server:
        yield server


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A cdktf project folder of its own (its cdktf.json runs this checkout's main.py): the synth
    output and the local state of each stack land here, not in the checkout."""
    folder = tmp_path_factory.mktemp("cdktf-project")
    config = json.loads((ROOT / "cdktf.json").read_text(encoding="utf-8"))
    config["app"] = f"{shlex.quote(sys.executable)} {shlex.quote(str(ROOT / 'main.py'))}"
    (folder / "cdktf.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    return folder


def run_in_shell(project: Path, url: str, command: str) -> tuple[subprocess.CompletedProcess, float]:
    """`command` in bash after the README's eval of `lz cdktf-env --endpoint URL`; LZ_ENV names the environment."""
    lz = Path(sys.executable).parent / "lz"
    script = f'set -e\neval "$({shlex.quote(str(lz))} cdktf-env --endpoint {shlex.quote(url)})"\n{command}\n'
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LZ_AWS_", "TF_CLI_", "CDKTF_", "AWS_"))}
    env.update(LZ_ENV=str(MINIMAL), CI="1", DISABLE_VERSION_CHECK="true", CHECKPOINT_DISABLE="1")
    start = time.perf_counter()
    proc = subprocess.run(["bash", "-c", script], cwd=project, env=env, capture_output=True, text=True, timeout=900)
    return proc, time.perf_counter() - start


def outputs(proc: subprocess.CompletedProcess) -> str:
    return f"--- stdout (tail)\n{proc.stdout[-4000:]}\n--- stderr (tail)\n{proc.stderr[-4000:]}"


@pytest.mark.e2e
@pytest.mark.slow
def test_cdktf_deploy_management_then_a_member_stack_offline(api, project):
    import boto3

    cli = cdktf_cli()
    flags = "--auto-approve --skip-provider-lock"
    management, first = run_in_shell(project, api.url, f"{shlex.quote(str(cli))} deploy management {flags}")
    assert management.returncode == 0, outputs(management)
    member, second = run_in_shell(
        project,
        api.url,
        f"{shlex.quote(str(cli))} deploy {MEMBER} {flags} --skip-synth --ignore-missing-stack-dependencies",
    )
    assert member.returncode == 0, outputs(member)
    print(f"cdktf deploy: management (synth included) {first:.1f} s, {MEMBER} {second:.1f} s")

    # Both stacks' local state is in the project folder (minimal.yaml has no `state:`: the default local
    # backend, <project>/terraform-state/<env>/<stack>.tfstate), written by the cdktf CLI's terraform runs.
    for stack in ("management", MEMBER):
        state = project / "terraform-state" / "minimal" / f"{stack}.tfstate"
        assert json.loads(state.read_text(encoding="utf-8"))["resources"], stack

    # What they made is in the local API: the organization with minimal.yaml's accounts, and the member
    # stack's resources in the audit account (its provider assumed the role there, from management's outputs).
    session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="eu-west-1")
    org = session.client("organizations", endpoint_url=api.url)
    accounts = {a["Name"]: a["Id"] for a in org.list_accounts()["Accounts"]}
    assert {"log-archive", MEMBER} <= set(accounts), accounts
    sts = session.client("sts", endpoint_url=api.url)
    creds = sts.assume_role(
        RoleArn=f"arn:aws:iam::{accounts[MEMBER]}:role/OrganizationAccountAccessRole", RoleSessionName="check"
    )["Credentials"]
    member_session = boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name="eu-west-1",
    )
    buckets = [b["Name"] for b in member_session.client("s3", endpoint_url=api.url).list_buckets()["Buckets"]]
    assert any("log" in name for name in buckets), f"no log bucket in the {MEMBER} account: {buckets}"
