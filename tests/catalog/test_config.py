"""The self_service: section: a good file loads; each bad case is one file:line error naming the key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from landing_zone.environment import ConfigError, load_environment

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "catalog.yaml"


def test_good_catalog_loads():
    env = load_environment(GOOD).env
    assert [p.name for p in env.self_service.products] == ["ec2-instance", "emr-cluster"]
    assert env.self_service.portfolios[0].share_to_ous == ["Workloads"]


def _bad(tmp_path: Path, change) -> list[str]:
    data = yaml.safe_load(GOOD.read_text())
    change(data["self_service"])
    # Beside the good file's project (cdktf.json is found above tests/): blueprints resolve the same way.
    path = FIXTURES / f"_tmp_{tmp_path.name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    try:
        with pytest.raises(ConfigError) as err:
            load_environment(path)
        return [str(p) for p in err.value.problems]
    finally:
        path.unlink()


def _one(messages: list[str], rule_text: str) -> str:
    hits = [m for m in messages if rule_text in m]
    assert len(hits) == 1, messages
    assert re.match(r"^.+\.yaml:\d+:\d+: self_service\.", hits[0]), hits[0]
    return hits[0]


def test_unknown_blueprint(tmp_path):
    msgs = _bad(tmp_path, lambda s: s["products"][0]["versions"][1].update(blueprint="ec2-instanse"))
    msg = _one(msgs, "blueprint 'ec2-instanse'")
    assert "products[name=ec2-instance].versions[name=v2].blueprint" in msg
    assert "did you mean 'ec2-instance'?" in msg and "(defined: ec2-instance, emr-cluster)" in msg


def test_product_without_versions(tmp_path):
    msgs = _bad(tmp_path, lambda s: s["products"][1].update(versions=[]))
    assert "has no versions" in _one(msgs, "product 'emr-cluster' has no versions")


def test_two_defaults(tmp_path):
    msgs = _bad(tmp_path, lambda s: s["products"][0]["versions"][0].update(default=True, deprecated=False))
    msg = _one(msgs, "two default versions")
    assert "versions[name=v2].default" in msg and "'v1' at line" in msg


def test_no_default_among_several(tmp_path):
    msgs = _bad(tmp_path, lambda s: s["products"][0]["versions"][1].pop("default"))
    _one(msgs, "none is the default")


def test_share_to_unknown_ou(tmp_path):
    msgs = _bad(tmp_path, lambda s: s["portfolios"][0].update(share_to_ous=["Workload"]))
    msg = _one(msgs, "OU 'Workload' is not defined")
    assert "portfolios[name=blueprints].share_to_ous[0]" in msg and "did you mean 'Workloads'?" in msg


def test_unknown_permission_set(tmp_path):
    msgs = _bad(tmp_path, lambda s: s["portfolios"][0].update(permission_sets=["Developers"]))
    msg = _one(msgs, "permission set 'Developers' is not defined")
    assert "portfolios[name=blueprints].permission_sets[0]" in msg and "did you mean 'Developer'?" in msg


def test_unknown_product_and_account(tmp_path):
    def change(s):
        s["portfolios"][0].update(products=["ec2"], share_to_accounts=["app-dev"])

    msgs = _bad(tmp_path, change)
    _one(msgs, "product 'ec2' is not defined")
    _one(msgs, "cannot share to 'app-dev'")


def test_blueprint_without_the_products_type(tmp_path, monkeypatch):
    # A blueprints folder whose only blueprint comes as CloudFormation, for a Terraform product.
    root = tmp_path / "bp"
    (root / "ec2-instance" / "cloudformation").mkdir(parents=True)
    (root / "ec2-instance" / "cloudformation" / "template.yaml").write_text("Resources: {}\n")

    def change(s):
        s["blueprints_dir"] = str(root)
        s["products"] = [s["products"][0] | {"type": "terraform"}]
        s["portfolios"][0]["products"] = ["ec2-instance"]

    msgs = _bad(tmp_path, change)
    assert [m.split(": ")[1] for m in msgs if "has no terraform form" in m] == [
        "self_service.products[name=ec2-instance].versions[name=v1].blueprint",
        "self_service.products[name=ec2-instance].versions[name=v2].blueprint",
    ], msgs


def test_unknown_key_is_a_shape_error(tmp_path):
    msgs = _bad(tmp_path, lambda s: s["portfolios"][0].update(share_to_ou=["Workloads"]))
    assert any("share_to_ou" in m and "unknown key" in m for m in msgs), msgs


def test_first_version_cannot_be_deprecated(tmp_path):
    msgs = _bad(tmp_path, lambda s: s["products"][0]["versions"][0].update(deprecated=True))
    msg = _one(msgs, "product's first version")
    assert "products[name=ec2-instance].versions[name=v1].deprecated" in msg


def test_default_cannot_be_deprecated(tmp_path):
    msgs = _bad(tmp_path, lambda s: s["products"][0]["versions"][1].update(deprecated=True))
    _one(msgs, "is the default and cannot be deprecated")


def test_unknown_catalog_account(tmp_path):
    msgs = _bad(tmp_path, lambda s: s.update(catalog_account="audt"))
    msg = _one(msgs, "account 'audt' is not defined")
    assert "self_service.catalog_account" in msg and "did you mean 'audit'?" in msg


def test_no_share_to_the_catalog_account_itself(tmp_path):
    msgs = _bad(tmp_path, lambda s: s.update(catalog_account="audit"))
    msg = _one(msgs, "cannot share to 'audit'")
    assert "portfolios[name=blueprints].share_to_accounts[0]" in msg and "the catalog account already" in msg


def test_a_member_catalog_account_loads():
    data = yaml.safe_load(GOOD.read_text())
    data["self_service"]["catalog_account"] = "log-archive"
    path = FIXTURES / "_tmp_delegated.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    try:
        assert load_environment(path).env.self_service.catalog_account == "log-archive"
    finally:
        path.unlink()
