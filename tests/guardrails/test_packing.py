"""SCP packing: property-based (hypothesis) and at the exact quota boundaries."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from landing_zone.environment import ConfigError, load_environment
from landing_zone.guardrails.catalog import catalog
from landing_zone.guardrails.enabled import enabled_controls
from landing_zone.guardrails.packing import SourceStatement, overhead, pack, policy_size

from .conftest import EXAMPLE

ACTIONS = [
    "s3:PutBucketPolicy",
    "s3:DeleteBucket",
    "iam:CreateRole",
    "iam:DeleteRole",
    "ec2:RunInstances",
    "config:StopConfigurationRecorder",
    "cloudtrail:StopLogging",
    "sns:DeleteTopic",
    "*",
]
RESOURCES = ["*", "arn:aws:s3:::acme-log-archive-*", "arn:aws:iam::*:role/acme-lz-*"]
CONDITIONS = [
    None,
    {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/LandingZoneDeployment"}},
    {"StringLike": {"aws:PrincipalArn": ["arn:aws:iam::*:root"]}},
    {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}},
]


def _as_tuple(value) -> tuple:
    return tuple(sorted({str(v) for v in (value if isinstance(value, list) else [value])}))


def _canon(value) -> tuple:
    if isinstance(value, dict):
        return tuple(sorted((k, _canon(v)) for k, v in value.items()))
    return _as_tuple(value)


def atoms(statements) -> set:
    """What the statements deny, one atom per (action, resource, condition), independent of packing."""
    out = set()
    for s in statements:
        where = ("Resource", _canon(s["Resource"])) if "Resource" in s else ("NotResource", _canon(s["NotResource"]))
        cond = _canon(s.get("Condition") or {})
        if "Action" in s:
            out.update((s["Effect"], "Action", a.lower(), where, cond) for a in _as_tuple(s["Action"]))
        else:
            out.add((s["Effect"], "NotAction", _canon(s["NotAction"]), where, cond))
    return out


@st.composite
def statements(draw):
    n = draw(st.integers(1, 25))
    out = []
    for i in range(n):
        body = {"Sid": f"S{i}", "Effect": "Deny"}
        if draw(st.booleans()) or i == 0:
            body["Action"] = draw(st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=4))
        else:
            body["NotAction"] = draw(st.lists(st.sampled_from(ACTIONS[:-1]), min_size=1, max_size=4))
        resource = draw(st.sampled_from(RESOURCES))
        pad = draw(st.integers(0, 400))  # vary sizes: long, distinct resource patterns
        body["Resource"] = resource if not pad else f"arn:aws:s3:::bucket-{i}-{'x' * pad}"
        cond = draw(st.sampled_from(CONDITIONS))
        if cond:
            body["Condition"] = cond
        out.append(SourceStatement(draw(st.sampled_from([f"C{k}" for k in range(8)])), body))
    return out


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(statements(), st.integers(1, 9), st.integers(150, 3000))
def test_packing_either_fits_the_quotas_keeping_every_statement_or_says_it_cannot(sources, slots, capacity):
    result = pack(sources, slots, capacity)
    if result.fits:
        assert len(result.policies) <= slots
        packed = []
        for policy in result.policies:
            assert policy.size <= capacity
            document = json.loads(policy.content)
            assert all(s["Effect"] == "Deny" for s in document["Statement"])
            packed.extend(document["Statement"])
        assert atoms(packed) == atoms(s.statement for s in sources)
        sids = [s["Sid"] for s in packed]
        assert len(sids) == len(set(sids)) == len(result.statements)
    else:
        too_big = [s for s in result.statements if policy_size([s.size]) > capacity]
        assert too_big if result.needed == 0 else result.needed > slots
    again = pack(sources, slots, capacity)
    assert [p.content for p in again.policies] == [p.content for p in result.policies]


@settings(max_examples=100, deadline=None)
@given(statements(), st.integers(150, 3000))
def test_packing_uses_no_more_policies_than_needed_by_size_plus_one(sources, capacity):
    """Near-optimal: never more than one policy over the characters' lower bound when statements are small."""
    result = pack(sources, 100, capacity)
    if result.fits and all(s.size * 4 <= capacity for s in result.statements):
        total = sum(s.size + 1 for s in result.statements)
        lower = -(-total // (capacity - overhead()))
        assert len(result.policies) <= lower + 1


# Every optional control on the root, except the deny-all: on the root it is refused (issue 23 A.6).
ENABLEABLE = sorted(cid for cid, c in catalog().items() if c.tier != "mandatory" and cid != "LZ-DENY-ALL")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    st.sets(st.sampled_from(ENABLEABLE), max_size=len(ENABLEABLE)), st.integers(2, 4), st.sampled_from([1200, 2500, 4000, 10240])
)
def test_any_set_of_enabled_controls_fits_or_fails_validation_naming_the_target(extend_example, enabled, per_target, size):
    lines = "".join(f"    {cid}: {{ous: [root]}}\n" for cid in sorted(enabled))
    section = "guardrails:\n  controls:\n" + lines if lines else ""
    path = extend_example(f"limits:\n  scps_per_target: {per_target}\n  scp_size: {size}\n" + section, name="prop.yaml")
    try:
        env = load_environment(path).env
    except ConfigError as exc:
        budget = [p for p in exc.problems if p.rule == "scp_budget"]
        assert budget and all(p.rule in ("scp_budget",) for p in exc.problems), [str(p) for p in exc.problems]
        assert all("root" in p.message or "OU " in p.message or "account " in p.message for p in budget)
        return
    from landing_zone.guardrails.plan import build_plan

    plan = build_plan(env)
    assert not plan.failures
    for _target, budget in plan.budgets.items():
        assert len(budget.result.policies) <= per_target - 1
        assert all(p.size <= size for p in budget.result.policies)
        inputs = [s for c in budget.controls for s in c.statements]
        outputs = [s for p in budget.result.policies for s in json.loads(p.content)["Statement"]]
        assert atoms(outputs) == atoms(inputs)
    on_root = {c.id for c in enabled_controls(env) if any(t.kind == "root" for t in c.targets) and c.control.preventive}
    assert {cid for cid in enabled if catalog()[cid].preventive} <= on_root


def _statement_of_size(size: int) -> SourceStatement:
    """A statement whose one-statement policy is exactly `size` characters."""
    base = {"Sid": "X", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "arn:aws:s3:::b"}
    filler = size - policy_size([len(json.dumps(base, separators=(",", ":")))])
    base["Resource"] = "arn:aws:s3:::b" + "x" * filler
    return SourceStatement("C", base)


@pytest.mark.parametrize("limit", [5120, 10240])
def test_a_policy_exactly_at_the_size_limit_fits_and_one_character_more_does_not(limit):
    exact = _statement_of_size(limit)
    fits = pack([exact], 1, limit)
    assert fits.fits and [p.size for p in fits.policies] == [limit]
    over = _statement_of_size(limit + 1)
    refused = pack([over], 9, limit)
    assert not refused.fits and refused.needed == 0


def test_exactly_as_many_policies_as_free_slots_fits_and_one_more_does_not():
    big = [
        SourceStatement(
            f"C{i}", {**_statement_of_size(700).statement, "Sid": f"S{i}", "Resource": f"arn:aws:s3:::{i}" + "x" * 600}
        )
        for i in range(4)
    ]
    assert pack(big, 4, 1000).fits and len(pack(big, 4, 1000).policies) == 4
    refused = pack(big, 3, 1000)
    assert not refused.fits and refused.needed == 4


def test_identical_statements_merge_and_statements_of_different_controls_do_not(example_plan):
    root = example_plan.budgets[next(t for t in example_plan.budgets if t.kind == "root")]
    cloudtrail = [s for s in root.result.statements if "AWS-GR_CLOUDTRAIL_ENABLED" in s.controls]
    assert len(cloudtrail) == 1 and set(cloudtrail[0].controls) == {
        "AWS-GR_CLOUDTRAIL_CHANGE_PROHIBITED",
        "AWS-GR_CLOUDTRAIL_CLOUDWATCH_LOGS_ENABLED",
        "AWS-GR_CLOUDTRAIL_ENABLED",
        "AWS-GR_CLOUDTRAIL_VALIDATION_ENABLED",
    }
    security = example_plan.budgets[next(t for t in example_plan.budgets if t.key == "ou:Security")]
    # Five controls with the same resource and condition: five statements, each under its own control's Sid.
    assert {s.sid: s.controls for s in security.result.statements} == {
        "AWSGRCTAUDITBUCKETENCRYPTIONCHANGESPROHIBITED": ("AWS-GR_CT_AUDIT_BUCKET_ENCRYPTION_CHANGES_PROHIBITED",),
        "AWSGRCTAUDITBUCKETLOGGINGCONFIGURATIONCHANGESPROHIBITED": (
            "AWS-GR_CT_AUDIT_BUCKET_LOGGING_CONFIGURATION_CHANGES_PROHIBITED",
        ),
        "AWSGRCTAUDITBUCKETPOLICYCHANGESPROHIBITED": ("AWS-GR_CT_AUDIT_BUCKET_POLICY_CHANGES_PROHIBITED",),
        "AWSGRCTAUDITBUCKETLIFECYCLECONFIGURATIONCHANGESPROHIBITED": (
            "AWS-GR_CT_AUDIT_BUCKET_LIFECYCLE_CONFIGURATION_CHANGES_PROHIBITED",
        ),
        "AWSGRAUDITBUCKETDELETIONPROHIBITED": ("AWS-GR_AUDIT_BUCKET_DELETION_PROHIBITED",),
    }


def test_one_controls_statements_that_differ_only_in_action_merge():
    condition = {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/D"}}
    sources = [
        SourceStatement(
            "A", {"Sid": "A1", "Effect": "Deny", "Action": "s3:PutBucketPolicy", "Resource": "*", "Condition": condition}
        ),
        SourceStatement(
            "A", {"Sid": "A2", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*", "Condition": condition}
        ),
        SourceStatement(
            "B", {"Sid": "B", "Effect": "Deny", "Action": "s3:PutBucketAcl", "Resource": "*", "Condition": condition}
        ),
        SourceStatement(
            "C", {"Sid": "C", "Effect": "Deny", "Action": "s3:PutBucketAcl", "Resource": "*", "Condition": condition}
        ),
    ]
    merged = pack(sources, 1, 10240).statements
    assert [(s.sid, s.body["Action"], s.controls) for s in merged] == [
        ("A1", ["s3:DeleteBucket", "s3:PutBucketPolicy"], ("A",)),
        ("B", "s3:PutBucketAcl", ("B", "C")),
    ]


def _root_size(example_plan) -> int:
    root = next(b for t, b in example_plan.budgets.items() if t.kind == "root")
    assert len(root.result.policies) == 1
    return root.result.policies[0].size


def test_validation_accepts_scp_size_exactly_at_the_largest_policy(extend_example, example_plan):
    size = _root_size(example_plan)
    load_environment(extend_example(f"limits:\n  scps_per_target: 2\n  scp_size: {size}\n"))


def test_validation_rejects_scp_size_one_under_the_largest_policy_naming_target_sizes_and_controls(extend_example, example_plan):
    size = _root_size(example_plan) - 1
    path = extend_example(f"limits:\n  scps_per_target: 2\n  scp_size: {size}\n")
    with pytest.raises(ConfigError) as caught:
        load_environment(path)
    [problem] = caught.value.problems
    lines = EXAMPLE.read_text().splitlines()
    first_control = lines.index("  controls:", lines.index("guardrails:")) + 3  # 1-based, under its comment line
    assert (problem.rule, problem.path, problem.location.line) == ("scp_budget", "guardrails.controls", first_control)
    assert problem.message.startswith(
        f"root needs 2 SCPs for 20 statements ({size + 1:,} characters) but has 1 free slot(s) "
        f"of {size:,} characters (limits.scps_per_target 2 minus FullAWSAccess, "
        f"limits.scp_size {size:,}); the root has no parent: drop these controls, "
        "or attach them to the OUs that need them instead: AWS-GR_REGION_DENY ("
    )


def test_validation_rejects_a_target_with_no_free_slot(extend_example):
    with pytest.raises(ConfigError) as caught:
        load_environment(extend_example("limits:\n  scps_per_target: 1\n"))
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 7  # root, five OUs and the log archive account carry guardrails
    assert all("has 0 free slot(s)" in m for m in messages)


def test_policy_descriptions_stay_within_the_limit(extend_example):
    plan_env = load_environment(extend_example("limits:\n  policy_description_length: 80\n")).env
    from landing_zone.guardrails.plan import build_plan

    scps = build_plan(plan_env).scps
    assert scps and all(len(s.description) <= 80 for s in scps)
    assert any(s.description.endswith("more") for s in scps)
