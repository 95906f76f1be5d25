"""`lz catalog`: what each account can launch, from the config alone (no cdktf)."""

from __future__ import annotations

from pathlib import Path

from landing_zone.cli.main import main
from landing_zone.environment import load_environment
from landing_zone.self_service.launch import launchable

FIXTURE = str(Path(__file__).parent / "fixtures" / "catalog.yaml")


def test_rows_follow_the_shares():
    loaded = load_environment(FIXTURE)
    rows = launchable(loaded.env, loaded.facts.tree)
    # app-prod sits in Workloads/Prod, below the shared OU Workloads; audit is shared directly; log-archive is not reached
    assert sorted({(r.account, r.via) for r in rows}) == [("app-prod", "OU Workloads"), ("audit", "account share")]
    ec2 = next(r for r in rows if r.account == "app-prod" and r.product == "ec2-instance")
    assert ec2.versions == ("v2", "v1") and ec2.default_version == "v2"
    assert ec2.launch_role == "lz-catalog-launch" and ec2.permission_sets == ("Developer",)


def test_deprecated_versions_are_not_offered():
    loaded = load_environment(FIXTURE)
    product = loaded.env.self_service.products[0]
    deprecated = product.model_copy(
        update={"versions": [product.versions[0].model_copy(update={"deprecated": True}), product.versions[1]]}
    )
    section = loaded.env.self_service.model_copy(update={"products": [deprecated, loaded.env.self_service.products[1]]})
    env = loaded.env.model_copy(update={"self_service": section})
    rows = launchable(env, account="audit")
    assert next(r for r in rows if r.product == "ec2-instance").versions == ("v2",)


def test_cli_for_one_account(capsys):
    assert main(["catalog", FIXTURE, "--account", "app-prod"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:3] == ["ACCOUNT", "PORTFOLIO", "PRODUCT"]
    assert [line.split()[:4] for line in out[1:]] == [
        ["app-prod", "blueprints", "ec2-instance", "cloudformation"],
        ["app-prod", "blueprints", "emr-cluster", "terraform"],
    ]


def test_cli_unknown_account_and_no_section(capsys):
    assert main(["catalog", FIXTURE, "--account", "app-prd"]) == 2
    assert "unknown account 'app-prd' (did you mean 'app-prod'?)" in capsys.readouterr().err
    minimal = str(Path(__file__).resolve().parents[2] / "environments" / "minimal.yaml")
    assert main(["catalog", minimal]) == 1
    assert "no self_service: section" in capsys.readouterr().err


def test_the_example_offers_the_blueprints_to_nonprod_and_sandbox_accounts(capsys):
    example = str(Path(__file__).resolve().parents[2] / "environments" / "example.yaml")
    assert main(["catalog", example]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()[1:]]
    assert sorted({(r[0], r[-1]) for r in rows}) == [
        ("payments-nonprod", "Workloads/NonProd"),
        ("sandbox-dev1", "Sandbox"),
        ("web-nonprod", "Workloads/NonProd"),
    ]
    assert {(r[2], r[3], r[6]) for r in rows} == {
        ("ec2-instance", "cloudformation", "DeveloperAccess"),
        ("emr-cluster", "terraform", "DeveloperAccess"),
    }
