"""The manifest `synthesize()` (and so `lz synth`) writes next to the stacks."""

from __future__ import annotations

import json

import plan_lab as L
import pytest

from landing_zone.environment import load_environment
from landing_zone.review.manifest import MANIFEST_FILE, build_manifest, read_manifest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture(scope="module")
def baseline(review_lab):
    out = review_lab.outs["baseline"]
    return out, read_manifest(out / MANIFEST_FILE)


def test_every_synthesized_resource_is_in_the_manifest_with_its_construct_path(baseline):
    out, manifest = baseline
    cdktf = json.loads((out / "manifest.json").read_text())
    assert set(manifest.stacks) == set(cdktf["stacks"])
    for stack, entry in cdktf["stacks"].items():
        doc = json.loads((out / entry["synthesizedStackPath"]).read_text())
        expected = {
            f"{t}.{n}": body["//"]["metadata"]["path"]
            for t, named in (doc.get("resource") or {}).items()
            for n, body in named.items()
        }
        assert {a: e.construct_path for a, e in manifest.resources[stack].items()} == expected, stack
        assert manifest.stacks[stack]["depends_on"] == entry["dependencies"]


def test_accounts_ous_and_stacks_come_from_the_config(baseline):
    _, manifest = baseline
    env = load_environment(L.EXAMPLE).env
    accounts = {
        e.attribution.account: e.attribution.ou
        for e in manifest.resources["management"].values()
        if e.type == "aws_organizations_account"
    }
    assert accounts == {a.name: a.ou for a in env.accounts}
    ous = {
        e.attribution.ou for e in manifest.resources["management"].values() if e.type == "aws_organizations_organizational_unit"
    }
    assert ous == {o.path for o in env.organizational_units}
    assert manifest.stacks["management"]["account"] == env.organization.management_account.name
    assert manifest.stacks["log-archive"]["account"] == env.core.log_archive_account
    for stack, _info in manifest.stacks.items():
        for entry in manifest.resources[stack].values():
            assert entry.attribution.account, (stack, entry.address)


def test_guardrail_attachments_name_their_target_and_controls(baseline):
    _, manifest = baseline
    attachments = [e for e in manifest.resources["management"].values() if e.type == "aws_organizations_policy_attachment"]
    targets = {e.attribution.target for e in attachments}
    assert {"root", f"OU {L.OVERLAY_OU}", "OU Workloads", "account log-archive"} <= targets
    staging = next(e for e in attachments if e.attribution.target == f"OU {L.OVERLAY_OU}")
    assert L.CUSTOM_SCP in staging.attribution.guardrails
    # the root also holds the AI services opt-out and tag policies, which carry no control
    roots = [e.attribution.guardrails for e in attachments if e.attribution.target == "root"]
    assert any("AWS-GR_CLOUDTRAIL_CHANGE_PROHIBITED" in guardrails for guardrails in roots)
    rules = [e for e in manifest.resources[L.DETECTIVE].values() if e.type == "aws_config_organization_managed_rule"]
    assert rules and all(len(e.attribution.guardrails) == 1 for e in rules)
    assert not [e for e in manifest.resources["management"].values() if e.type == "aws_config_organization_managed_rule"]


def test_assignments_name_group_permission_set_and_account(baseline):
    _, manifest = baseline
    group, permission_set = L.overlay_grant(L.example_data())
    found = [
        e.attribution
        for e in manifest.resources["management"].values()
        if e.type == "aws_ssoadmin_account_assignment" and e.attribution.account == L.OVERLAY_ACCOUNT
    ]
    assert (group, permission_set, f"account {L.OVERLAY_ACCOUNT}", "PolicyStaging") in {
        (a.group, a.permission_set, a.target, a.ou) for a in found
    }


def test_the_manifest_is_deterministic_and_matches_what_synthesize_wrote(baseline, review_lab):
    out, _ = baseline
    env = load_environment(review_lab.root / "baseline" / "example.yaml").facts
    first, second = build_manifest(out, env).to_json(), build_manifest(out, env).to_json()
    assert json.dumps(first) == json.dumps(second)
    written = json.loads((out / MANIFEST_FILE).read_text())
    assert written["resources"] == first["resources"] and written["environment"]["name"] == "example"
