"""Rules that need generated input (counts) and the rule functions on their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from landing_zone.environment import ConfigError, load_environment

GOOD = Path(__file__).parent / "fixtures" / "good"


def _with(tmp_path, extra: str) -> Path:
    path = tmp_path / "env.yaml"
    path.write_text((GOOD / "minimal.yaml").read_text() + extra)
    return path


def test_tag_count_over_quota(tmp_path):
    tags = "".join(f"      k{i}: v\n" for i in range(51))
    path = _with(tmp_path, "  - name: tagged\n    email: aws+t@tiny-corp.io\n    ou: Security\n    tags:\n" + tags)
    with pytest.raises(ConfigError) as caught:
        load_environment(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:20:7: accounts[name=tagged].tags: 51 tags; at most 50 are allowed (limits.tags_per_resource)"
    ]


def test_ou_count_over_quota(tmp_path):
    ous = "".join(f"  - path: OU{i}\n" for i in range(4))
    path = tmp_path / "env.yaml"
    text = (GOOD / "minimal.yaml").read_text().replace("  - path: Security\n", "  - path: Security\n" + ous)
    path.write_text(text + "limits:\n  ous_per_organization: 4\n")
    with pytest.raises(ConfigError) as caught:
        load_environment(path)
    assert [p.message for p in caught.value.problems] == ["5 OUs defined; at most 4 are allowed (limits.ous_per_organization)"]


def test_every_problem_of_a_file_is_reported_at_once_sorted_by_line(tmp_path):
    path = _with(
        tmp_path,
        "  - name: x\n    email: bad\n    ou: Nowhere\n  - name: audit\n    email: aws+a2@tiny-corp.io\n    ou: Security\n",
    )
    with pytest.raises(ConfigError) as caught:
        load_environment(path)
    lines = [p.location.line for p in caught.value.problems]
    assert lines == sorted(lines) and len(lines) == 3
    assert {p.rule for p in caught.value.problems} == {"account_emails", "account_ous", "account_names"}
