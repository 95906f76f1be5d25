"""Stable cross-stack outputs (issue 21.1): each producer declares a fixed set of outputs derived from the facts,
so its JSON does not depend on what its consumers read.

Expected sets are built from the synthesized resources and counted against the environment's config, so the
tests follow the example and fail when a producer stops publishing (or a consumer reads something new).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from landing_zone.stacks.published_outputs import CROSS_STACK_OUTPUT

pytestmark = pytest.mark.synth

ROOT = Path(__file__).resolve().parents[2]

_REMOTE_READ = re.compile(
    r"data\.terraform_remote_state\.cross-stack-reference-input-([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)"
)


def output_name(address: str) -> str:
    """cdktf's name of the cross-stack output of `address` (e.g. `aws_vpc.x.id` -> cross-stack-output-aws_vpcxid)."""
    return CROSS_STACK_OUTPUT + re.sub(r"[.\[\]]", "", address)


def published(doc: dict) -> dict[str, str]:
    return {name: body["value"] for name, body in (doc.get("output") or {}).items() if name.startswith(CROSS_STACK_OUTPUT)}


def expected(doc: dict, attributes: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Output name -> `${address}` for every resource of the given types in `doc`, each with its attributes."""
    out = {}
    for rtype, attrs in attributes.items():
        for name in (doc.get("resource") or {}).get(rtype, {}):
            for attr in attrs:
                address = f"{rtype}.{name}.{attr}"
                out[output_name(address)] = f"${{{address}}}"
    return out


def test_management_publishes_every_account_ou_and_the_organization(synth_out):
    doc = synth_out.stacks["management"]
    env = synth_out.loaded.env
    resources = doc["resource"]
    assert len(resources["aws_organizations_account"]) == len(env.accounts)
    assert len(resources["aws_organizations_organizational_unit"]) == len(env.organizational_units)
    want = expected(
        doc,
        {
            "aws_organizations_account": ("id",),
            "aws_organizations_organizational_unit": ("id", "arn"),
            "aws_organizations_organization": ("id", "arn", "roots[0].id", "master_account_id"),
        },
    )
    assert published(doc) == want
    assert all(doc["output"][name]["sensitive"] for name in want)


def test_log_archive_and_network_publish_what_their_facts_give(synth_out):
    log_archive = synth_out.stacks["log-archive"]
    assert set(published(log_archive)) == {
        output_name("aws_s3_bucket.log_bucket.bucket"),
        output_name("aws_kms_key.log_archive_key.arn"),
        output_name("aws_s3_bucket.waf_log_bucket.arn"),  # the example logs web-prod's web ACL there
    }
    network = synth_out.stacks["network"]
    plan = synth_out.loaded.facts.network_plan
    tables = sum(len(tgw.route_tables) for tgw in plan.tgws.values())
    want = expected(network, {"aws_ec2_transit_gateway": ("id",), "aws_ec2_transit_gateway_route_table": ("id",)})
    assert len(want) == len(plan.tgws) + tables
    assert published(network) == want


def test_a_peered_vpc_publishes_its_id_and_every_route_table(synth_out):
    plan = synth_out.loaded.facts.network_plan
    peered = {
        plan.vpcs[side].stack
        for peering in plan.peerings.values()
        for side in (peering.requester, peering.accepter)
        if plan.vpcs[side].stack != peering.stack
    }
    assert peered, "the example peers a VPC across stacks"
    for stack in peered:
        doc = synth_out.stacks[stack]
        assert published(doc) == expected(doc, {"aws_vpc": ("id",), "aws_route_table": ("id",)})
    for name, doc in synth_out.stacks.items():
        if name not in peered | {"management", "log-archive", "network"}:
            assert published(doc) == {}, name


def test_every_read_is_a_published_output_of_its_producer(synth_out):
    reads = 0
    for name, doc in synth_out.stacks.items():
        for producer, output in _REMOTE_READ.findall(str(doc.get("resource")) + str(doc.get("provider")) + str(doc.get("data"))):
            assert output in published(synth_out.stacks[producer]), f"{name} reads {producer}.{output}"
            reads += 1
    assert reads > 100  # the account stacks read their ids, the log archive and the hub


def test_synth_fails_when_a_consumer_reads_an_unpublished_value(synth_env, tmp_path, monkeypatch):
    import landing_zone.app.build as app
    from landing_zone.stacks.published_outputs import UnpublishedOutputError

    monkeypatch.setattr(app, "publish_log_archive", lambda stack: None)
    out = tmp_path / "out"
    with pytest.raises(UnpublishedOutputError, match=r"log-archive: cross-stack-output-aws_kms_keylog_archive_keyarn"):
        synth_env(ROOT / "environments" / "minimal.yaml", out)
    assert not out.exists()  # written whole or not at all
