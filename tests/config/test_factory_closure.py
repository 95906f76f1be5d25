"""An account is closed only from the Suspended OU, and only while a deny-all SCP reaches that OU (issue 7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from landing_zone.environment import ConfigError, load_environment
from landing_zone.facts import Facts
from landing_zone.rules.account_factory import deny_all_controls
from landing_zone.rules.context import RuleContext

ROOT = Path(__file__).parents[2]
FIXTURE = ROOT / "tests/config/fixtures/bad/factory_close_without_deny_all.yaml"


def _suspended_deny_all(env) -> list[str]:
    return deny_all_controls(RuleContext(Facts(env), None, "-"), env.account_factory.suspended_ou)


def test_the_examples_suspended_ou_carries_lz_deny_all():
    env = load_environment(ROOT / "environments/example.yaml").env
    assert env.account_factory.suspended_ou == "Suspended"
    assert _suspended_deny_all(env) == ["LZ-DENY-ALL"]


def _variant(tmp_path, guardrails: str) -> Path:
    text = FIXTURE.read_text().replace(
        "guardrails:\n  controls:\n    LZ-DENY-ALL: {ous: [Sandbox]}    # on, but not where closed accounts wait\n", guardrails
    )
    path = tmp_path / "env.yaml"
    path.write_text(text)
    return path


CUSTOM = """guardrails:
  custom_scps:
    deny-everything:
      title: Suspended accounts do nothing
      ous: [{ou}]
      statements:
        - {{Effect: Deny, Action: "*", Resource: "*"}}
"""


@pytest.mark.parametrize(
    "guardrails",
    [
        "guardrails:\n  controls:\n    LZ-DENY-ALL: {ous: [Suspended]}\n",
        CUSTOM.format(ou="Suspended"),
        # on the root around the core OU: pushed down onto Suspended (a deny-all on the whole root is refused, issue 23 A.6)
        CUSTOM.format(ou="root").replace("      ous: [root]\n", "      ous: [root]\n      exclude_ous: [Security]\n"),
    ],
    ids=["catalog-on-ou", "custom-on-ou", "custom-on-root-around-security"],
)
def test_a_deny_all_reaching_the_suspended_ou_allows_closing(tmp_path, guardrails):
    loaded = load_environment(_variant(tmp_path, guardrails), strict=True)
    assert _suspended_deny_all(loaded.env)


@pytest.mark.parametrize(
    "guardrails",
    [
        "",  # no guardrails at all
        CUSTOM.format(ou="Sandbox"),  # a sibling OU does not count
        CUSTOM.format(ou="Suspended").replace('Action: "*"', 'Action: "s3:*"'),  # not every action
        CUSTOM.format(ou="Suspended").replace(
            'Resource: "*"', 'Resource: "*", Condition: {StringLike: {"aws:PrincipalArn": "arn:aws:iam::*:root"}}'
        ),
    ],
    ids=["none", "custom-on-sibling", "custom-not-everything", "custom-root-user-only"],
)
def test_closing_without_a_deny_all_on_the_suspended_ou_is_an_error(tmp_path, guardrails):
    with pytest.raises(ConfigError) as caught:
        load_environment(_variant(tmp_path, guardrails), strict=True)
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 1 and "no deny-all SCP reaches the suspended OU 'Suspended'" in messages[0]
    assert "LZ-DENY-ALL: {ous: [Suspended]}" in messages[0]


def test_a_deny_all_on_the_whole_root_is_refused(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_environment(_variant(tmp_path, CUSTOM.format(ou="root")), strict=True)
    assert [p.rule for p in caught.value.problems] == ["deny_all_targets"]
    assert "denies every action and is attached to the root" in caught.value.problems[0].message
