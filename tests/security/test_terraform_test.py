"""`terraform test` with a mocked AWS provider in the synthesized audit and management stacks.

Proves, offline, the planned values of what the local AWS API (moto) does not
serve (LOCAL_API_GAPS): GuardDuty's organization configuration, features and
administrator, Security Hub, Access Analyzer, the IMDSv2 default. The
.tftest.hcl files live in tests/security/tftest/; each stack folder is copied,
the test file and `override_data` blocks for its cross-stack reads are added,
then `terraform init` (provider mirror when LZ_TF_PROVIDER_MIRROR or the
machine has one) and `terraform test` run there.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from landing_zone.terraform import Terraform, find_terraform, terraform_env
from landing_zone.terraform.find_mirror import find_mirror

pytestmark = [pytest.mark.gate, pytest.mark.slow]

TFTEST = Path(__file__).parent / "tftest"
REMOTE = re.compile(r"data\.terraform_remote_state\.(?P<data>[A-Za-z0-9_-]+)\.outputs\.(?P<output>[A-Za-z0-9_-]+)")
ROOT_ID = "r-mock"  # the audit test expects this root id


def mock_value(output: str) -> str:
    """A value of the right shape for a cross-stack output, by what its name says it is."""
    digest = int(hashlib.sha256(output.encode()).hexdigest(), 16)
    account = f"{digest % 10**12:012d}"
    if output.endswith("roots0id"):
        return ROOT_ID
    if "organizationorganizationid" in output:
        return "o-mock123456"
    if output.endswith("arn") and "kms" in output:
        return f"arn:aws:kms:eu-west-1:{account}:key/00000000-0000-0000-0000-000000000000"
    if output.endswith("arn"):
        return f"arn:aws:iam::{account}:role/mock"
    if output.endswith("bucket"):
        return f"mock-bucket-{account}"
    return account  # account ids and the like


def overrides(stack_json: str) -> str:
    """`override_data` blocks that answer every cross-stack read of the stack."""
    reads: dict[str, set[str]] = {}
    for match in REMOTE.finditer(stack_json):
        reads.setdefault(match["data"], set()).add(match["output"])
    blocks = []
    for data, outputs in sorted(reads.items()):
        values = "\n".join(f'      "{o}" = "{mock_value(o)}"' for o in sorted(outputs))
        blocks.append(
            f"override_data {{\n  target = data.terraform_remote_state.{data}\n"
            f"  values = {{\n    outputs = {{\n{values}\n    }}\n  }}\n}}\n"
        )
    return "\n".join(blocks)


@pytest.fixture(scope="module")
def tf_env() -> dict:
    env = dict(os.environ)
    mirror = env.get("LZ_TF_PROVIDER_MIRROR") or find_mirror()
    if mirror:
        env["LZ_TF_PROVIDER_MIRROR"] = str(mirror)
    return env


def run_terraform_test(synth_out, stack: str, work: Path, env: dict) -> subprocess.CompletedProcess:
    folder = work / stack
    shutil.copytree(synth_out.stack_dir(stack), folder)
    text = (folder / "cdk.tf.json").read_text()
    (folder / f"{stack}.tftest.hcl").write_text((TFTEST / f"{stack}.tftest.hcl").read_text() + "\n" + overrides(text))
    Terraform(folder, env=env, progress=lambda message: None).init()
    return subprocess.run(
        [find_terraform(), "test", "-no-color"], cwd=folder, env=terraform_env(env), capture_output=True, text=True, timeout=900
    )


@pytest.mark.parametrize("stack", ["audit", "management"])
def test_terraform_test_proves_what_the_local_api_does_not_serve(synth_out, stack, tmp_path, tf_env):
    runs = len(re.findall(r'^run "', (TFTEST / f"{stack}.tftest.hcl").read_text(), re.M))
    result = run_terraform_test(synth_out, stack, tmp_path, tf_env)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert f"Success! {runs} passed, 0 failed." in result.stdout


def test_a_wrong_expectation_fails(synth_out, tmp_path, tf_env, monkeypatch):
    """The assertions bite: the audit test with another root id fails that run."""
    monkeypatch.setattr(f"{__name__}.ROOT_ID", "r-other")
    result = run_terraform_test(synth_out, "audit", tmp_path, tf_env)
    assert result.returncode != 0
    assert 'run "security_hub_is_configured_centrally_with_the_standards"... fail' in result.stdout
