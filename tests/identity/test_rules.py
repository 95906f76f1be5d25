"""Identity rules beyond the bad-input fixtures: what is allowed, and the per-account quota."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from landing_zone.environment import ConfigError, load_environment

EXAMPLE = Path(__file__).resolve().parents[2] / "environments" / "example.yaml"


def _write(tmp_path, text: str) -> Path:
    path = tmp_path / "variant.yaml"
    path.write_text(f"extends: {EXAMPLE}\n" + text)
    requests = EXAMPLE.parent / EXAMPLE.stem / "accounts"  # one-file-per-account requests live beside the file
    if requests.is_dir() and not (tmp_path / "variant" / "accounts").exists():
        shutil.copytree(requests, tmp_path / "variant" / "accounts")
    return path


def test_admin_inline_policy_is_allowed_with_a_reason(tmp_path):
    path = _write(
        tmp_path,
        """
identity:
  permission_sets:
    - name: BreakGlass
      allow_admin_reason: emergency access, used only with the incident process
      inline_policy: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*:*", "Resource": "*"}]}'
""",
    )
    loaded = load_environment(path, strict=True)
    assert [p.name for p in loaded.env.identity.permission_sets][-1] == "BreakGlass"


def test_an_account_cannot_hold_more_permission_sets_than_the_quota(tmp_path):
    path = _write(tmp_path, "limits:\n  permission_sets_per_account: 5\n")
    with pytest.raises(ConfigError) as caught:
        load_environment(path)
    messages = [p.message for p in caught.value.problems]
    # network, payments-nonprod, web-nonprod: 4 preset (support included) + 2 custom-assigned; the rest hold 5 or fewer
    assert messages == [
        f"account {name!r} would hold 6 permission sets; at most 5 are allowed (limits.permission_sets_per_account)"
        for name in ("network", "payments-nonprod", "web-nonprod")
    ]


def test_external_groups_and_session_durations_in_minutes(tmp_path):
    from .without_users import example_without_users

    path = tmp_path / "variant.yaml"
    path.write_text(
        f"extends: {example_without_users(tmp_path).name}\n"
        + """
identity:
  source: external
  permission_sets:
    - name: DeveloperAccess
      session_duration: PT1H30M
"""
    )
    loaded = load_environment(path, strict=True)
    assert loaded.env.identity.source == "external"
    assert next(p for p in loaded.env.identity.permission_sets if p.name == "DeveloperAccess").session_duration == "PT1H30M"


@pytest.mark.parametrize("duration", ["PT0H", "PT59M", "PT12H1M", "P1D", "PT", "1H"])
def test_session_durations_outside_one_to_twelve_hours_are_refused(tmp_path, duration):
    path = _write(tmp_path, f"identity:\n  permission_sets:\n    - name: DeveloperAccess\n      session_duration: {duration}\n")
    with pytest.raises(ConfigError) as caught:
        load_environment(path)
    assert [p.rule for p in caught.value.problems] == ["identity_session_durations"]


def test_broad_access_in_the_management_account_warns_and_an_unknown_support_group_is_refused(tmp_path):
    from landing_zone.rules.identity import broad_permission_set

    path = _write(
        tmp_path,
        """
identity:
  support_group: support-team
  assignments:
    - name: auditors-power-in-management
      group: AWSSecurityAuditors
      permission_set: AWSPowerUserAccess
      accounts: [management]
""",
    )
    with pytest.raises(ConfigError) as caught:
        load_environment(path, strict=True)  # warnings too
    by_rule = {p.rule: p for p in caught.value.problems}
    assert by_rule["identity_support_group"].message.startswith("group 'support-team' is not defined")
    warning = by_rule["management_broad_access"]
    assert warning.severity == "warning"
    assert "gives group 'AWSSecurityAuditors' PowerUserAccess (AWSPowerUserAccess) in the management account" in warning.message
    assert (
        broad_permission_set(type("P", (), {"managed_policies": ["job-function/ViewOnlyAccess"], "inline_policy": None})())
        is None
    )
