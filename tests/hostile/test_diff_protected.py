"""`lz diff` blocks (exit 3) every config change that replaces or deletes a protected thing (issue 23 A.3),
under the danger rule `lz plan-review` would fire on the plan, so `--allow RULE` accepts it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from landing_zone.cli.main import main
from landing_zone.environment import load_environment
from landing_zone.review.env_diff import diff_environments

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "environments" / "example.yaml"


def _org_name(d):
    d["organization"]["name"] = "acme2"


def _home_region(d):
    d["organization"]["home_region"] = "eu-central-1"


def _drop_region(d):
    d["organization"]["governed_regions"].remove("eu-central-1")
    # what lives in the dropped region goes with it (the peering rule fires for that too)
    gone = {v["name"] for v in d["network"]["vpcs"] if v.get("region") == "eu-central-1"}
    d["network"]["vpcs"] = [v for v in d["network"]["vpcs"] if v["name"] not in gone]
    d["network"]["peerings"] = [p for p in d["network"]["peerings"] if not {p["requester"], p["accepter"]} & gone]


def _swap_core(d):
    d["core"]["log_archive_account"], d["core"]["audit_account"] = d["core"]["audit_account"], d["core"]["log_archive_account"]


def _object_lock_off(d):
    d["logging"]["log_bucket"]["object_lock"] = None  # null turns it off; an absent key means the default lock


def _asn(d):
    d["network"]["transit_gateways"][0]["asn"] = 64513


def _vpc_cidr(d):
    vpc = next(v for v in d["network"]["vpcs"] if v["name"] == "web-prod")
    vpc["cidr"] = "10.12.0.0/16"


def _vended_vpc_cidr(d):
    request = next(r for r in d["account_factory"]["requests"] if r["name"] == "web-nonprod")
    request["network"]["cidr"] = "10.22.0.0/16"


def _peering_removed(d):
    d["network"]["peerings"] = []


CHANGES = {
    "organization-name": (_org_name, {"log-archive-bucket-delete", "organization-trail-delete"}),
    "home-region": (_home_region, {"log-archive-bucket-delete", "organization-trail-delete"}),
    "governed-region-dropped": (_drop_region, {"config-recorder-delete"}),
    "log-archive-and-audit-swapped": (_swap_core, {"log-archive-bucket-delete", "security-admin-delete"}),
    "object-lock-off": (_object_lock_off, {"log-archive-bucket-delete"}),
    "transit-gateway-asn": (_asn, {"transit-gateway-delete"}),
    "peering-removed": (_peering_removed, {"peering-delete"}),
    "vpc-cidr": (_vpc_cidr, {"vpc-delete"}),
    "vended-vpc-cidr": (_vended_vpc_cidr, {"vpc-delete"}),
}


def _pair(tmp_path: Path, mutate):
    paths = []
    for side in ("base", "head"):
        folder = tmp_path / side
        shutil.copytree(EXAMPLE.parent / "example", folder / "example")  # the request files
        data = yaml.safe_load(EXAMPLE.read_text())
        if side == "head":
            mutate(data)
        (folder / "example.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
        paths.append(folder / "example.yaml")
    return paths


@pytest.mark.parametrize("case", sorted(CHANGES))
def test_a_config_change_that_replaces_protected_things_blocks(tmp_path, capsys, case):
    mutate, rules = CHANGES[case]
    base_file, head_file = _pair(tmp_path, mutate)
    try:
        base, head = load_environment(base_file), load_environment(head_file)
    except Exception as exc:  # the change itself must be valid for the case to mean anything
        pytest.fail(f"the {case} change is not a valid environment: {exc}")
    found = {d.rule for d in diff_environments(base, head).dangers if d.stack == "config"} - {"mandatory-guardrail-detach"}
    assert rules <= found
    assert main(["diff", str(base_file), str(head_file), "--format", "text"]) == 3
    allow = [a for rule in sorted(found | {"mandatory-guardrail-detach"}) for a in ("--allow", rule)]
    assert main(["diff", str(base_file), str(head_file), "--format", "text", *allow]) == 0
    capsys.readouterr()


def test_an_unchanged_example_does_not_block(tmp_path):
    base_file, head_file = _pair(tmp_path, lambda d: None)
    assert not diff_environments(load_environment(base_file), load_environment(head_file)).blocked


def test_the_vpc_cidr_danger_names_the_vpc_and_both_blocks(tmp_path):
    base_file, head_file = _pair(tmp_path, _vpc_cidr)
    dangers = diff_environments(load_environment(base_file), load_environment(head_file)).dangers
    (vpc,) = [d for d in dangers if d.rule == "vpc-delete"]
    assert vpc.address == "web-prod" and "CIDR changes from 10.11.0.0/16 to 10.12.0.0/16: AWS replaces the VPC" in vpc.message


def _no_guardrails(d):
    """Every optional preventive control off, and a detective rule on the root off too."""
    from landing_zone.guardrails.catalog import catalog

    controls = d["guardrails"]["controls"]
    for cid in [c for c in controls if catalog().get(c) is not None and catalog()[c].preventive]:
        del controls[cid]
    d["guardrails"]["custom_scps"] = {}
    d["guardrails"].pop("custom_config_rules", None)


def test_the_management_account_never_loses_scp_controls_it_never_had(tmp_path):
    """Issue 23 B.6: SCPs never apply to the management account, so lz diff lists none there."""
    base_file, head_file = _pair(tmp_path, _no_guardrails)
    rows = diff_environments(load_environment(base_file), load_environment(head_file)).guardrails
    management = yaml.safe_load(EXAMPLE.read_text())["organization"]["management_account"]["name"]
    assert any(r.account != management and r.behaviour == "preventive" for r in rows)  # members do lose SCPs
    mine = [r for r in rows if r.account == management]
    assert mine and all(r.behaviour != "preventive" for r in mine)  # detective rules on the root did reach it
