"""Which changes of aws_organizations_account force replacement, asked of the real AWS provider 5.100.0.

One offline `terraform plan -refresh=false` over a hand-written state of six
accounts, each with one argument changed, from the provider mirror (no AWS,
no network). landing_zone.config.lifecycle rejects exactly what this shows.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from landing_zone.terraform import MIRROR_VAR, terraform_env
from landing_zone.terraform.find_mirror import find_mirror

CHANGES = {  # resource -> (argument, old value, new value)
    "email": ("email", "aws+acct@corp.io", "aws+other@corp.io"),
    "email_case": ("email", "aws+acct@corp.io", "AWS+acct@corp.io"),
    "name": ("name", "acct", "acct-renamed"),
    "parent": ("parent_id", "ou-aaaa-11111111", "ou-aaaa-22222222"),
    "role": ("role_name", "OrganizationAccountAccessRole", "Other"),
    "billing": ("iam_user_access_to_billing", "ALLOW", "DENY"),
    "close": ("close_on_deletion", False, True),
}
BASE = {
    "name": "acct",
    "email": "aws+acct@corp.io",
    "parent_id": "ou-aaaa-11111111",
    "role_name": "OrganizationAccountAccessRole",
    "iam_user_access_to_billing": "ALLOW",
    "close_on_deletion": False,
}


def _state_instance(index: int, attrs: dict) -> dict:
    account_id = f"{200000000000 + index}"
    return {
        "schema_version": 0,
        "sensitive_attributes": [],
        "attributes": {
            **attrs,
            "id": account_id,
            "arn": f"arn:aws:organizations::111111111111:account/o-abc/{account_id}",
            "create_govcloud": False,
            "govcloud_id": "",
            "joined_method": "CREATED",
            "joined_timestamp": "2024-01-01T00:00:00Z",
            "status": "ACTIVE",
            "tags": {},
            "tags_all": {},
            "timeouts": None,
        },
    }


@pytest.fixture(scope="module")
def planned(tmp_path_factory) -> dict:
    env = dict(os.environ)
    mirror = env.get(MIRROR_VAR) or find_mirror()
    assert mirror, "the AWS provider mirror is needed (LZ_TF_PROVIDER_MIRROR)"
    env[MIRROR_VAR] = str(mirror)
    env = terraform_env(env)
    folder = tmp_path_factory.mktemp("force_new")
    provider = {
        "region": "eu-west-1",
        "access_key": "x",
        "secret_key": "x",
        "skip_credentials_validation": True,
        "skip_requesting_account_id": True,
        "skip_metadata_api_check": True,
    }
    resources, instances = {}, []
    for i, (key, (arg, old, new)) in enumerate(CHANGES.items()):
        resources[key] = {**BASE, arg: new}
        instances.append(
            {
                "mode": "managed",
                "type": "aws_organizations_account",
                "name": key,
                "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
                "instances": [_state_instance(i, {**BASE, arg: old})],
            }
        )
    config = {
        "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": "5.100.0"}}},
        "provider": {"aws": [provider]},
        "resource": {"aws_organizations_account": resources},
    }
    (folder / "main.tf.json").write_text(json.dumps(config), encoding="utf-8")
    (folder / "terraform.tfstate").write_text(
        json.dumps(
            {"version": 4, "terraform_version": "1.11.0", "serial": 1, "lineage": "x", "outputs": {}, "resources": instances}
        ),
        encoding="utf-8",
    )
    run = lambda *args: (
        subprocess.run(["terraform", *args], cwd=folder, env=env, capture_output=True, text=True, check=True).stdout
    )
    run("init", "-input=false", "-no-color")
    run("plan", "-refresh=false", "-input=false", "-no-color", "-out=plan.bin")
    plan = json.loads(run("show", "-json", "plan.bin"))
    return {c["name"]: c["change"]["actions"] for c in plan["resource_changes"]}


def test_email_role_and_billing_force_replacement(planned):
    replaced = {name for name, actions in planned.items() if actions == ["delete", "create"] or actions == ["create", "delete"]}
    assert replaced == {"email", "email_case", "role", "billing"}


def test_name_ou_and_close_on_deletion_change_in_place(planned):
    assert {name for name, actions in planned.items() if actions == ["update"]} == {"name", "parent", "close"}


def test_the_account_construct_ignores_the_creation_only_arguments():
    """role_name and iam_user_access_to_billing never reach a plan; email does, so validation rejects its change."""
    import ast
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "landing_zone" / "constructs" / "account.py").read_text()
    ignored = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.keyword) and node.arg == "ignore_changes"]
    assert len(ignored) == 1 and ast.literal_eval(ignored[0].value) == ["iam_user_access_to_billing", "role_name"]
