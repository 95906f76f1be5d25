"""SCP packing (issue 23 A.7): statements that fit on their own are never merged into one that does not;
a statement that really is too big is reported at the control or custom SCP that owns it; a merged
statement only ever carries a Sid of its own control."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from landing_zone.config.problems import ConfigError
from landing_zone.environment import load_environment
from landing_zone.guardrails.enabled import sid_for
from landing_zone.guardrails.packing import SourceStatement, merge, pack, policy_size
from landing_zone.policy_reference.database import database

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = (ROOT / "tests" / "config" / "fixtures" / "good" / "minimal.yaml").read_text()
BASE = MINIMAL.replace("  - path: Security\n", "  - path: Security\n  - path: Work\n")
EC2 = sorted(f"ec2:{a}" for a in database().actions("ec2"))  # real actions: the validator knows them
CAPACITY = 10240


def _scp(name: str, *actions: list[str]) -> str:
    statements = "".join(f"        - {{Effect: Deny, Action: {json.dumps(a)}, Resource: '*'}}\n" for a in actions)
    return f"    {name}:\n      title: t\n      ous: [Work]\n      statements:\n{statements}"


def _load(tmp_path, text: str):
    path = tmp_path / "env.yaml"
    path.write_text(text)
    return load_environment(path, strict=True)


def _size(actions: list[str]) -> int:
    return policy_size([len(json.dumps({"Sid": "x", "Effect": "Deny", "Action": actions, "Resource": "*"}))])


def test_the_halves_fit_alone_and_their_union_would_not():
    assert _size(EC2[:230]) < CAPACITY and _size(EC2[230:460]) < CAPACITY < _size(EC2[:460])


def test_one_controls_statements_that_fit_alone_stay_apart_when_their_union_would_not_fit(tmp_path):
    loaded = _load(tmp_path, BASE + "guardrails:\n  custom_scps:\n" + _scp("one", EC2[:230], EC2[230:460]))
    budget = next(b for t, b in loaded.facts.guardrail_plan.budgets.items() if t.name == "Work")
    sids = sorted(s.sid for s in budget.result.statements)
    assert sids == ["one1", "one2"] and budget.result.fits and len(budget.result.policies) == 2


def test_small_statements_of_one_control_still_merge():
    sources = [
        SourceStatement("c", {"Sid": f"c{i}", "Effect": "Deny", "Action": a, "Resource": "*"}) for i, a in enumerate(EC2[:3])
    ]
    (merged,) = merge(sources, CAPACITY)
    assert merged.sid == "c0" and merged.body["Action"] == EC2[:3] and merged.controls == ("c",)


def test_custom_scps_and_catalog_controls_that_fit_apart_are_packed_apart(tmp_path):
    text = (
        BASE
        + "guardrails:\n  controls:\n    AWS-GR_RESTRICT_S3_CROSS_REGION_REPLICATION: {ous: [Work]}\n  custom_scps:\n"
        + _scp("one", EC2[:230])
        + _scp("two", EC2[230:460])
        + _scp("three", EC2[460:690])
    )
    budget = next(b for t, b in _load(tmp_path, text).facts.guardrail_plan.budgets.items() if t.name == "Work")
    assert budget.result.fits and len(budget.result.policies) == 3
    assert all(p.size <= CAPACITY for p in budget.result.policies)


@pytest.mark.parametrize("first", ["catalog", "custom"], ids=["after-a-catalog-control", "after-a-custom-scp"])
def test_a_statement_too_big_alone_is_reported_at_its_own_control(tmp_path, first):
    before = (
        "  controls:\n    AWS-GR_RESTRICT_S3_CROSS_REGION_REPLICATION: {ous: [Work]}\n  custom_scps:\n"
        if first == "catalog"
        else "  custom_scps:\n" + _scp("small", EC2[:5])
    )
    text = BASE + "guardrails:\n" + before + _scp("big", EC2[:5], EC2[5:520])
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, text)
    (problem,) = caught.value.problems
    line = next(
        i for i, l in enumerate(text.splitlines(), 1) if l.startswith('        - {Effect: Deny, Action: ["ec2:' + EC2[5][4:])
    )
    assert problem.path == "guardrails.custom_scps.big.statements[1]" and problem.location.line == line
    assert (
        problem.message.startswith("statement 2 of big is ") and "more than one SCP of 10,240 characters holds" in problem.message
    )
    assert "small" not in problem.message and "AWS-GR" not in problem.message


def test_a_merged_statement_carries_a_sid_of_its_own_control():
    """Across the example: every packed Sid is one of its own controls'."""
    loaded = load_environment(ROOT / "environments" / "example.yaml")
    for budget in loaded.facts.guardrail_plan.budgets.values():
        for statement in budget.result.statements:
            owners = {re.sub(r"[^A-Za-z0-9]", "", c) for c in statement.controls}
            sid = statement.sid
            assert any(sid == o or (sid.startswith(o) and sid[len(o) :].isdigit()) for o in owners), (sid, statement.controls)
            if len({json.dumps(s.statement.get("Action")) for s in statement.sources}) > 1:
                assert len(statement.controls) == 1  # an Action union only ever joins one control's statements


def test_pack_reports_the_oversized_statement_without_merging_it_into_others():
    small = SourceStatement("a", {"Sid": sid_for("a", 0, 1), "Effect": "Deny", "Action": EC2[:3], "Resource": "*"})
    big = SourceStatement("b", {"Sid": sid_for("b", 0, 1), "Effect": "Deny", "Action": EC2[:600], "Resource": "*"})
    result = pack([small, big], 5, CAPACITY)
    assert not result.fits and result.needed == 0
    oversized = [s for s in result.statements if policy_size([s.size]) > CAPACITY]
    assert [s.controls for s in oversized] == [("b",)] and oversized[0].sid == "b"
