"""Hard AWS limits in `limits:` may be lowered, never raised; only adjustable quotas may be raised (issue 23 A.5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from landing_zone.config.models.limits import ADJUSTABLE_MAX, limit_table
from landing_zone.config.problems import ConfigError
from landing_zone.environment import load_environment

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = (ROOT / "tests" / "config" / "fixtures" / "good" / "minimal.yaml").read_text()
HARD = sorted(n for n, e in limit_table().items() if not e.get("adjustable"))
ADJUSTABLE = sorted(n for n, e in limit_table().items() if e.get("adjustable"))


def _load(tmp_path, name, value):
    path = tmp_path / "e.yaml"
    path.write_text(MINIMAL + f"limits:\n  {name}: {value}\n")
    return load_environment(path)


def test_the_table_marks_the_adjustable_quotas():
    assert {"ou_depth", "account_name_length", "scp_size", "scps_per_target"} <= set(HARD)
    assert {"accounts_per_organization", "permission_sets_per_account"} <= set(ADJUSTABLE)


@pytest.mark.parametrize("name", HARD)
def test_a_hard_limit_cannot_be_raised(tmp_path, name):
    value = limit_table()[name]["value"]
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, name, value + 1)
    (problem,) = caught.value.problems
    assert problem.path == f"limits.{name}" and problem.location.line == 17
    assert f"{value + 1} is above AWS's hard limit of {value}" in problem.message and "only lowered" in problem.message


@pytest.mark.parametrize("name", ADJUSTABLE)
def test_an_adjustable_quota_can_be_raised_within_reason(tmp_path, name):
    entry = limit_table()[name]
    value, top = entry["value"], entry.get("adjustable_max", ADJUSTABLE_MAX)
    assert getattr(_load(tmp_path, name, min(value * 2, top)).env.limits, name) == min(value * 2, top)
    # past the most AWS grants: that quota's own ceiling (network ACL rules: 40), else a sanity bound
    with pytest.raises(ConfigError, match=f"is above {top:,}"):
        _load(tmp_path, name, 10**4000)


def test_a_quota_with_its_own_ceiling_is_refused_just_above_it(tmp_path):
    assert _load(tmp_path, "network_acl_rules", 40).env.limits.network_acl_rules == 40
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, "network_acl_rules", 41)
    (problem,) = caught.value.problems
    assert "41 is above 40, the most AWS grants" in problem.message
