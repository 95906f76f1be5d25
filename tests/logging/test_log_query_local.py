"""Athena over the log archive on the local API: the audit stack's Athena, Glue, bucket, key and role resources,
exactly as synthesized with `logging.athena` on, applied to a moto server of this module's own (with the landing
zone's additions); a second plan changes nothing; destroy leaves nothing.

The stack's cross-stack references (the log bucket and key of the log-archive stack, the audit account and
the organization of the management stack) become literal values: the other stacks are not applied here. The
provider is the stack's own, without the role it would assume into the audit account (moto's default account
stands for it). moto 5.2 has no DeleteNamedQuery: local_aws/additions/athena.py adds it.
"""

from __future__ import annotations

import json
import re

import pytest
from local_api import apply_config, client, terraform

from landing_zone.compliance import athena
from landing_zone.local_aws.server import LocalAws
from tests.conftest import EXAMPLE

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.synth]
REGION = "eu-west-1"
ACCOUNT = "123456789012"  # moto's default account, standing for the audit account
REF = re.compile(r"\$\{((?:data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)")
REMOTE = re.compile(r"\$\{data\.terraform_remote_state\.cross-stack-reference-input-[^.]+\.outputs\.cross-stack-output-([^}]+)\}")
LITERALS = {
    "aws_kms_keylog_archive_keyarn": f"arn:aws:kms:{REGION}:210987654321:key/00000000-0000-0000-0000-000000000000",
    "aws_s3_bucketlog_bucketbucket": "acme-log-archive-210987654321",
    "aws_organizations_accountaccount_auditid": ACCOUNT,
    "aws_organizations_organizationorganizationid": "o-abc1234567",
}


def _closure(stack: dict) -> dict:
    """The Athena and Glue resources and the query role's policy, with everything they reference."""
    resources = stack["resource"]
    todo = [f"{t}.{n}" for t, items in resources.items() if t.startswith(("aws_athena_", "aws_glue_")) for n in items]
    todo.append("aws_iam_role_policy.log_query_role_policy")
    seen: set[str] = set()
    while todo:
        address = todo.pop()
        if address in seen:
            continue
        seen.add(address)
        rtype, name = address.split(".", 1)
        item = resources[rtype][name]
        todo += REF.findall(json.dumps(item)) + list(item.get("depends_on", []))
    out: dict = {}
    for address in sorted(seen):
        rtype, name = address.split(".", 1)
        out.setdefault(rtype, {})[name] = resources[rtype][name]
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with LocalAws(log_file=tmp_path_factory.mktemp("moto") / "moto.log") as api:
        yield api


@pytest.fixture(scope="module")
def applied(server, synth_env, tmp_path_factory):
    work = tmp_path_factory.mktemp("log_query_local")
    env_file = work / "athena.yaml"
    env_file.write_text(f"extends: {EXAMPLE}\nlogging:\n  athena:\n    enabled: true\n")
    stack = synth_env(env_file, work / "out", local_endpoint=server.url, allow_destroy=True).stacks["audit"]
    (provider,) = [dict(p) for p in stack["provider"]["aws"] if "alias" not in p]
    provider.pop("assume_role", None)
    provider.pop("allowed_account_ids", None)
    text = json.dumps(_closure(stack))
    text = REMOTE.sub(lambda m: LITERALS[m.group(1)], text)
    assert "terraform_remote_state" not in text
    config = {
        "terraform": {
            "required_providers": stack["terraform"]["required_providers"],
            "backend": {"local": {"path": "q.tfstate"}},
        },
        "provider": {"aws": [provider]},
        "resource": json.loads(text),
    }
    folder = work / "tf"
    folder.mkdir()
    env = apply_config(folder, config, server.url)
    plan = terraform(folder, env, "plan", "-detailed-exitcode")
    return config, folder, env, plan


def test_athena_applies_and_a_second_plan_changes_nothing(applied):
    config, _, _, plan = applied
    assert {"aws_athena_workgroup", "aws_athena_named_query", "aws_glue_catalog_database", "aws_glue_catalog_table", "aws_glue_data_catalog_encryption_settings"} <= set(config["resource"])  # fmt: skip
    assert plan.returncode == 0, plan.stdout[-4000:] + plan.stderr[-4000:]  # 0: no changes (2 would be a diff)


def test_the_local_api_holds_the_workgroup_tables_and_saved_queries(applied, server):
    athena_client, glue = client(server, "athena", REGION), client(server, "glue", REGION)
    workgroup = athena_client.get_work_group(WorkGroup="acme-lz-logs")["WorkGroup"]
    assert workgroup["Configuration"]["EnforceWorkGroupConfiguration"] is True
    assert workgroup["Configuration"]["ResultConfiguration"]["EncryptionConfiguration"]["EncryptionOption"] == "SSE_KMS"
    ids = athena_client.list_named_queries(WorkGroup="acme-lz-logs")["NamedQueryIds"]
    names = sorted(athena_client.get_named_query(NamedQueryId=i)["NamedQuery"]["Name"] for i in ids)
    assert names == sorted(q.name for q in athena.SAVED_QUERIES)
    tables = glue.get_tables(DatabaseName="acme_lz_logs")["TableList"]
    assert sorted(t["Name"] for t in tables) == sorted([athena.OBSERVATIONS, athena.CONFIG_HISTORY, athena.CONFIG_SNAPSHOT, athena.CLOUDTRAIL])  # fmt: skip
    (observations,) = [t for t in tables if t["Name"] == athena.OBSERVATIONS]
    # terraform's `$${` arrives as Athena's own placeholder
    assert (
        observations["Parameters"]["storage.location.template"]
        == "s3://acme-log-archive-210987654321/compliance/env=${env}/dt=${dt}/"
    )
    assert glue.get_data_catalog_encryption_settings()["DataCatalogEncryptionSettings"]["EncryptionAtRest"]["CatalogEncryptionMode"] == "SSE-KMS"  # fmt: skip


def test_destroy_leaves_nothing(applied, server):
    _, folder, env, _ = applied
    result = terraform(folder, env, "destroy", "-auto-approve")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    athena_client, glue = client(server, "athena", REGION), client(server, "glue", REGION)
    assert athena_client.list_named_queries(WorkGroup="acme-lz-logs")["NamedQueryIds"] == []
    assert [w["Name"] for w in athena_client.list_work_groups()["WorkGroups"]] == ["primary"]
    assert glue.get_databases()["DatabaseList"] == []
    assert client(server, "s3", REGION).list_buckets()["Buckets"] == []
