"""A moto server's clients and plain terraform runs against it, for the tests that apply synthesized
resources to a local API of their own (catalog, WAF, Athena, runbooks)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import boto3

from landing_zone.local_aws.server import client_env
from landing_zone.terraform import terraform_env
from landing_zone.terraform.find_mirror import find_mirror

TESTING = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def client(server, service: str, region: str, **credentials):
    """A boto3 client of the server (the management account unless credentials are given)."""
    return boto3.client(service, endpoint_url=server.url, region_name=region, **(credentials or TESTING))


def as_account(server, account_id: str, service: str, region: str):
    """A client acting in `account_id` through its OrganizationAccountAccessRole."""
    creds = client(server, "sts", region).assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole", RoleSessionName="test"
    )["Credentials"]
    return client(
        server,
        service,
        region,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )


def terraform(folder: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["terraform", *args, "-input=false", "-no-color"], cwd=folder, env=env, capture_output=True, text=True)


def apply_config(folder: Path, config: dict, url: str) -> dict:
    """Write `config` as folder/main.tf.json, init and apply it against the local API at `url` (the provider
    mirror when there is one); the environment terraform ran with."""
    (folder / "main.tf.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
    env = client_env(url)
    mirror = os.environ.get("LZ_TF_PROVIDER_MIRROR") or find_mirror()
    if mirror:
        env["LZ_TF_PROVIDER_MIRROR"] = str(mirror)
    env = terraform_env(env)
    for args in (["init"], ["apply", "-auto-approve"]):
        result = terraform(folder, env, *args)
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return env
