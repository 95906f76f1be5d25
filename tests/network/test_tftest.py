"""`terraform test` with mock providers in copies of the synthesized network stacks (offline).

What the local AWS API cannot show as AWS behaves (a RAM share reaching
member accounts without an invitation, Direct Connect, the owner's
acceptance of a shared attachment) is asserted on the real synthesized
configuration by terraform itself: tests/network/tftest/*.tftest.hcl. This
module prepends a mock provider per provider alias of the stack and
overrides its cross-stack `terraform_remote_state` reads with fixed values.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from landing_zone.terraform import Terraform
from landing_zone.terraform.cli_config import terraform_env
from landing_zone.terraform.find_mirror import find_mirror

pytestmark = pytest.mark.gate

HERE = Path(__file__).parent / "tftest"
CASES = {"network": "network.tftest.hcl", "account-payments-prod": "account.tftest.hcl"}
_REMOTE = re.compile(r"data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)")
# Provider argument formats the AWS provider validates even when mocked.
MOCK_DEFAULTS = {
    "aws_ram_resource_share": {"arn": "arn:aws:ram:eu-west-1:111111111111:resource-share/00000000-0000-0000-0000-000000000001"},
    "aws_ec2_transit_gateway": {
        "id": "tgw-0123456789abcdef0",
        "arn": "arn:aws:ec2:eu-west-1:111111111111:transit-gateway/tgw-0123456789abcdef0",
    },
    # The account baseline's Config recorder validates its role's ARN.
    "aws_iam_role": {"arn": "arn:aws:iam::111111111111:role/mock-role"},
    # The deploy role's permissions boundary (issue 24.3) validates the policy's ARN.
    "aws_iam_policy": {"arn": "arn:aws:iam::111111111111:policy/mock-policy"},
    "aws_iam_service_linked_role": {
        "arn": "arn:aws:iam::111111111111:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
    },
}


def mock_value(key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()
    if "organizations_account" in key:
        return str(int(digest, 16))[:12]
    if key.endswith("arn"):
        return f"arn:aws:organizations::999999999999:ou/o-abcdefghij/ou-{digest[:4]}-{digest[4:12]}"
    return f"mock-{digest[:12]}"


def harness(doc: dict, text: str) -> str:
    """Mock providers for every alias of the stack and fixed outputs for every remote state it reads."""
    blocks = []
    aliases = [p.get("alias") for p in doc["provider"]["aws"]]
    defaults = (
        "".join(
            f'  mock_resource "{kind}" {{\n    defaults = {json.dumps(values)}\n  }}\n' for kind, values in MOCK_DEFAULTS.items()
        )
        .replace('": "', '" = "')
        .replace('{"', '{ "')
    )
    for alias in aliases:
        body = f'  alias = "{alias}"\n' if alias else ""
        blocks.append(f'mock_provider "aws" {{\n{body}{defaults}}}\n')
    reads: dict[str, set[str]] = {}
    for name, key in _REMOTE.findall(text):
        reads.setdefault(name, set()).add(key)
    for name, keys in sorted(reads.items()):
        outputs = "\n".join(f'      "{k}" = "{mock_value(k)}"' for k in sorted(keys))
        blocks.append(
            f"override_data {{\n  target = data.terraform_remote_state.{name}\n"
            f"  values = {{\n    outputs = {{\n{outputs}\n    }}\n  }}\n}}\n"
        )
    return "\n".join(blocks)


@pytest.fixture(scope="module")
def tf_env():
    env = dict(os.environ)
    if not env.get("LZ_TF_PROVIDER_MIRROR") and (mirror := find_mirror()):
        env["LZ_TF_PROVIDER_MIRROR"] = str(mirror)
    return env


@pytest.mark.parametrize("stack", sorted(CASES))
def test_terraform_test_passes_on_the_synthesized_stack(stack, synth_out, tmp_path, tf_env):
    folder = Path(shutil.copytree(synth_out.stack_dir(stack), tmp_path / stack, ignore=shutil.ignore_patterns(".terraform*")))
    text = (folder / "cdk.tf.json").read_text()
    # The access and break-glass roles refuse destruction (issue 24.1), and `terraform test` destroys what its
    # apply runs created: let the copy's teardown through.
    doc = json.loads(text)
    for role in doc.get("resource", {}).get("aws_iam_role", {}).values():
        if role.get("lifecycle", {}).get("prevent_destroy"):
            role["lifecycle"]["prevent_destroy"] = False
    # The default-VPC step (issue 28.4) is a local-exec that calls AWS itself, which no mocked provider
    # serves; it is proven on moto in tests/outside_audit and in the e2e deployment.
    for step in doc.get("resource", {}).get("terraform_data", {}).values():
        step.pop("provisioner", None)
    text = json.dumps(doc, indent=2)
    (folder / "cdk.tf.json").write_text(text)
    tests = folder / "tests"
    tests.mkdir()
    # Imported resources (imports.tf: the access role, issue 24.1): a mocked provider cannot import them.
    imports = (folder / "imports.tf").read_text() if (folder / "imports.tf").exists() else ""
    adopted = "".join(f"override_resource {{\n  target = {t}\n}}\n" for t in re.findall(r"^  to = (\S+)$", imports, re.M))
    (tests / CASES[stack]).write_text(harness(json.loads(text), text) + "\n" + adopted + (HERE / CASES[stack]).read_text())
    Terraform(folder, env=tf_env, progress=lambda m: None).init()
    run = subprocess.run(
        ["terraform", "test", "-no-color"], cwd=folder, env=terraform_env(tf_env), capture_output=True, text=True, timeout=900
    )
    runs = (HERE / CASES[stack]).read_text().count("\nrun ")
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert f"Success! {runs} passed, 0 failed." in run.stdout
