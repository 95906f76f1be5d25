"""Valid files, `extends`, limits as data, and that every rule has a failing fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from landing_zone.config.models import limit_table
from landing_zone.environment import ConfigError, load_environment
from landing_zone.rules import RULES

ROOT = Path(__file__).resolve().parents[2]
GOOD = Path(__file__).parent / "fixtures" / "good"
BAD = Path(__file__).parent / "fixtures" / "bad"


def test_example_is_valid_without_warnings():
    loaded = load_environment(ROOT / "environments" / "example.yaml", strict=True)
    env = loaded.env
    assert 8 <= len(env.accounts) <= 12
    paths = {ou.path for ou in env.organizational_units}
    assert {"Security", "Infrastructure", "Sandbox", "Workloads/Prod", "Workloads/NonProd", "PolicyStaging", "Suspended"} <= paths
    assert loaded.warnings == ()


def test_extends_merges_mappings_and_named_lists():
    env = load_environment(GOOD / "extends.yaml").env
    assert env.organization.name == "acme"  # from the base
    assert env.organization.governed_regions == ["eu-west-1", "us-east-1"]  # list replaced
    assert env.organization.tags == {"managed-by": "landing-zone", "environment": "prod"}  # mapping merged
    assert [(o.path, o.description) for o in env.organizational_units] == [
        ("Security", "core"),
        ("Workloads", "business apps"),
        ("Workloads/Prod", ""),
    ]
    audit = next(a for a in env.accounts if a.name == "audit")
    assert audit.email == "aws+audit@acme-corp.io" and audit.tags == {"owner": "secops"}
    assert [a.name for a in env.accounts] == ["log-archive", "audit", "app-prod"]


def test_errors_in_a_base_file_point_at_the_base_file(tmp_path):
    (tmp_path / "base.yaml").write_text((GOOD / "base.yaml").read_text().replace("aws+audit@acme-corp.io", "audit@"))
    (tmp_path / "prod.yaml").write_text("extends: base.yaml\norganization:\n  name: acme-prod\n")
    with pytest.raises(ConfigError) as caught:
        load_environment(tmp_path / "prod.yaml")
    [problem] = caught.value.problems
    assert problem.location.file.endswith("base.yaml") and problem.location.line == 19
    assert problem.path == "accounts[name=audit].email"


def test_limits_default_from_package_data_and_can_be_overridden(tmp_path):
    table = limit_table()
    assert table["scps_per_target"]["value"] == 10 and table["scp_size"]["value"] == 10240
    assert all({"value", "description", "source", "as_of"} <= set(entry) for entry in table.values())
    env = load_environment(GOOD / "minimal.yaml").env
    assert env.limits.ou_depth == 5 and env.limits.email_max_length == 64 and env.limits.ou_name_length == 128
    text = (GOOD / "minimal.yaml").read_text() + "limits:\n  scps_per_target: 5\n  scp_size: 5120\n"
    (tmp_path / "old.yaml").write_text(text)
    env = load_environment(tmp_path / "old.yaml").env
    assert (env.limits.scps_per_target, env.limits.scp_size) == (5, 5120)


def test_quota_boundary_account_name_exactly_at_limit_is_accepted(tmp_path):
    name = "a" * 50
    text = (GOOD / "minimal.yaml").read_text() + f"  - name: {name}\n    email: aws+x@tiny-corp.io\n    ou: Security\n"
    (tmp_path / "edge.yaml").write_text(text)
    assert load_environment(tmp_path / "edge.yaml").env.accounts[-1].name == name
    (tmp_path / "over.yaml").write_text(text.replace(name, name + "a"))
    with pytest.raises(ConfigError):
        load_environment(tmp_path / "over.yaml")


def test_documentation_domain_is_a_warning_unless_strict():
    loaded = load_environment(BAD / "doc_domain_email.yaml")
    assert [p.severity for p in loaded.warnings] == ["warning"]
    with pytest.raises(ConfigError):
        load_environment(BAD / "doc_domain_email.yaml", strict=True)


def test_every_rule_has_a_fixture_that_breaks_it():
    broken = set()
    for path in BAD.glob("*.yaml"):
        try:
            load_environment(path, strict=True)
        except ConfigError as exc:
            broken |= {p.rule for p in exc.problems}
    untested = {rule.__name__ for rule in RULES} - broken
    # The count limits are proven in test_rules.py with generated files, the network ACL
    # quota in tests/network/test_rules.py (it needs more routed prefixes than a fixture shows).
    assert untested <= {"ou_count_limit", "tag_counts", "network_acl_quota"}, untested


def test_a_file_of_several_megabytes_validates(tmp_path):
    lines = [(GOOD / "minimal.yaml").read_text().rstrip("\n")]
    filler = "x" * 200
    for i in range(4000):
        lines.append(
            f"  - name: acct-{i}\n    email: aws+acct-{i}@tiny-corp.io\n    ou: Security\n"
            f"    tags: {{a: {filler}, b: {filler}, c: {filler}, d: {filler}}}"
        )
    path = tmp_path / "big.yaml"
    path.write_text("\n".join(lines) + "\n")
    assert path.stat().st_size > 3_000_000
    assert len(load_environment(path).env.accounts) == 4002
