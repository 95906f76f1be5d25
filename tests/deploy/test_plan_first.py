"""Issue 20.2: `lz plan` and the plan-first `lz deploy` (against AWS), with real terraform.

The stacks are hand-written cdktf output with no provider to install:
`terraform_data` resources and a cdktf cross-stack reference (a
`terraform_remote_state` of the producing stack's local state), so terraform
really plans, saves, shows and applies (about a second a command) while the
tests stay offline and need no AWS API. What is proven here is the flow:
saved plans and their JSON, deferral of a stack whose inputs wait for an
apply, the review printed, refusal without a terminal, confirmation, applying
exactly the saved plans (a stale one is refused by terraform), danger rules
stopping it, and a destroy that wants the organization's name typed.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from landing_zone.atomic_output import MARKER
from landing_zone.cli.main import main
from landing_zone.deploy.planning import DEFERRED, NO_CHANGES, PLANNED, PlanSet, changed_outputs, deferral, stack_inputs

ROOT = Path(__file__).resolve().parents[2]
TINY = str(ROOT / "tests" / "faults" / "tiny.yaml")  # organization name: tiny
REF = "data.terraform_remote_state.cross-stack-reference-input-producer.outputs.cross-stack-output-value"


@pytest.fixture(autouse=True)
def against_aws(monkeypatch):
    monkeypatch.delenv("LZ_AWS_ENDPOINT", raising=False)


def write_synth(out: Path, value: str = "one", extra_consumer: str = "") -> Path:
    """Two stacks: `producer` (outputs `value`) and `consumer` (reads it); local state in out/../state."""
    state = out.parent / "state"
    stacks = {
        "producer": {
            "terraform": {"backend": {"local": {"path": str(state / "producer.tfstate")}}},
            "resource": {"terraform_data": {"thing": {"input": value}}},
            "output": {"cross-stack-output-value": {"value": "${terraform_data.thing.output}", "sensitive": True}},
        },
        "consumer": {
            "terraform": {"backend": {"local": {"path": str(state / "consumer.tfstate")}}},
            "data": {
                "terraform_remote_state": {
                    "cross-stack-reference-input-producer": {
                        "backend": "local",
                        "config": {"path": str(state / "producer.tfstate")},
                    }
                }
            },
            "resource": {"terraform_data": {"copy": {"input": "${" + REF + "}" + extra_consumer}}},
        },
    }
    manifest = {"stacks": {}}
    for name, body in stacks.items():
        folder = out / "stacks" / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "cdk.tf.json").write_text(json.dumps(body, indent=1))
        deps = ["producer"] if name == "consumer" else []
        manifest["stacks"][name] = {"workingDirectory": f"stacks/{name}", "dependencies": deps}
    (out / "manifest.json").write_text(json.dumps(manifest))
    (out / MARKER).write_text("")
    return out


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def lz(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def state_value(tmp_path: Path, stack: str) -> str | None:
    path = tmp_path / "state" / f"{stack}.tfstate"
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    resources = [r for r in data.get("resources", []) if r["type"] == "terraform_data"]
    if not resources or not resources[0]["instances"]:
        return None
    output = resources[0]["instances"][0]["attributes"]["output"]
    return output["value"] if isinstance(output, dict) else output


def test_inputs_and_deferral_rules(tmp_path):
    out = write_synth(tmp_path / "out")
    assert stack_inputs(out / "stacks" / "consumer", ["producer", "consumer"]) == {"producer": {"cross-stack-output-value"}}
    assert stack_inputs(out / "stacks" / "producer", ["producer", "consumer"]) == {}
    plan = {
        "output_changes": {
            "a": {"actions": ["no-op"]},
            "b": {"actions": ["create"]},
            "c": {"actions": ["no-op"], "after_unknown": True},
        }
    }
    assert changed_outputs(plan) == ["b", "c"]
    from landing_zone.deploy.planning import StackPlanStatus

    done = {"p": StackPlanStatus("p", PLANNED, changed_outputs=["b"])}
    assert deferral({"p": {"a"}}, done) == ""  # reads an output the plan leaves alone: planned now
    assert deferral({"p": {"a", "b"}}, done) == "reads b of p, which its plan changes; plan again after applying"
    done["q"] = StackPlanStatus("q", DEFERRED, "x")
    assert deferral({"q": {"z"}}, done) == "q is deferred; plan again after applying"


def test_plan_defers_then_deploy_applies_exactly_the_saved_plans(tmp_path, capsys, monkeypatch):
    out, plans = write_synth(tmp_path / "out"), tmp_path / "plans"
    common = ["--no-synth", "--out", str(out), "--plans", str(plans)]

    # 1. lz plan: the producer creates its output, so the consumer is deferred (never planned with stale inputs)
    status, stdout, err = lz(capsys, "plan", TINY, *common[:3], "-o", str(plans))
    assert status == 0, err
    plan_set = PlanSet.read(plans)
    assert [(s.stack, s.status) for s in plan_set.stacks] == [("producer", PLANNED), ("consumer", DEFERRED)]
    assert (
        plan_set.stacks[1].reason
        == "reads cross-stack-output-value of producer, which its plan changes; plan again after applying"
    )
    assert (plans / "producer" / "tfplan").is_file() and not (plans / "consumer").exists()
    saved = json.loads((plans / "producer" / "producer.json").read_text())
    assert [c["change"]["actions"] for c in saved["resource_changes"]] == [["create"]]
    assert (plans.stat().st_mode & 0o777) == 0o700  # the plans hold secrets
    assert "producer  changes" in stdout and "consumer  deferred" in stdout
    assert "1 stack(s) deferred" in stdout and "1 to create" in stdout  # the plan review follows the table
    assert f"lz deploy {TINY} --from-plans {plans}" in err
    assert state_value(tmp_path, "producer") is None  # nothing applied

    # 2. without a terminal and without --yes, nothing applies
    status, _, err = lz(capsys, "deploy", TINY, "--from-plans", str(plans))
    assert status == 1
    assert "no terminal to confirm on, and no --yes: nothing applied" in err
    assert state_value(tmp_path, "producer") is None

    # 3. a terminal that does not answer yes: nothing applies
    monkeypatch.setattr("sys.stdin", Terminal("no\n"))
    status, _, err = lz(capsys, "deploy", TINY, "--from-plans", str(plans))
    assert status == 1 and "Type 'yes' to apply" in err and "not confirmed (expected 'yes'): nothing applied" in err
    assert state_value(tmp_path, "producer") is None

    # 4. confirmed at the terminal: exactly the saved plan applies; the deferred stack does not
    monkeypatch.setattr("sys.stdin", Terminal("yes\n"))
    status, _, err = lz(capsys, "deploy", TINY, "--from-plans", str(plans))
    assert status == 0, err
    assert state_value(tmp_path, "producer") == "one" and state_value(tmp_path, "consumer") is None
    assert "1 stack(s) deferred, not applied: consumer" in err

    # 5. the same saved plan again: terraform refuses it as stale (the state moved past it)
    status, _, err = lz(capsys, "deploy", TINY, "--from-plans", str(plans), "--yes")
    assert status == 1 and "Saved plan is stale" in err

    # 6. lz deploy (plan first): the producer has no changes, so the consumer is planned now and, with --yes, applied
    status, stdout, err = lz(capsys, "deploy", TINY, *common, "--yes")
    assert status == 0, err
    plan_set = PlanSet.read(plans)
    assert [(s.stack, s.status) for s in plan_set.stacks] == [("producer", NO_CHANGES), ("consumer", PLANNED)]
    assert state_value(tmp_path, "consumer") == "one"
    assert "applied the reviewed plans of 1 stack(s): consumer" in err

    # 7. a change of the producer's output defers its reader again
    write_synth(out, value="two")
    status, _, err = lz(capsys, "plan", TINY, *common)
    assert status == 0, err
    assert [s.status for s in PlanSet.read(plans).stacks] == [PLANNED, DEFERRED]

    # 8. destroy: both stacks get destroy plans (reverse order); a terminal must type the organization's name
    write_synth(out, value="one")
    monkeypatch.setattr("sys.stdin", Terminal("yes\n"))
    status, _, err = lz(capsys, "deploy", TINY, *common, "--destroy")
    assert status == 1 and "type the organization's name to confirm" in err and "expected 'tiny'" in err
    assert state_value(tmp_path, "consumer") == "one"
    destroy_set = PlanSet.read(plans)
    assert destroy_set.destroy and [s.stack for s in destroy_set.stacks] == ["consumer", "producer"]
    status, _, err = lz(capsys, "deploy", TINY, "--from-plans", str(plans))
    assert status == 1 and "holds destroy plans: add --destroy" in err
    monkeypatch.setattr("sys.stdin", Terminal("tiny\n"))
    status, _, err = lz(capsys, "deploy", TINY, "--from-plans", str(plans), "--destroy")
    assert status == 0, err
    assert state_value(tmp_path, "consumer") is None and state_value(tmp_path, "producer") is None


def test_a_danger_rule_stops_the_deploy_before_the_question(tmp_path, capsys, monkeypatch):
    """A plan that deletes an account is blocked (exit 3) even with --yes, unless the rule is allowed."""
    from landing_zone.deploy import plan_first
    from landing_zone.deploy.planning import PlanSet, StackPlanStatus

    plans = tmp_path / "plans"
    (plans / "management").mkdir(parents=True)
    (plans / "management" / "tfplan").write_text("")
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "resource_changes": [
            {
                "address": "aws_organizations_account.account_audit",
                "mode": "managed",
                "type": "aws_organizations_account",
                "name": "account_audit",
                "change": {"actions": ["delete"], "before": {"name": "audit", "id": "111111111111"}, "after": None},
            }
        ],
        "prior_state": {"values": {"root_module": {"resources": []}}},
    }
    (plans / "management" / "management.json").write_text(json.dumps(plan))
    plan_set = PlanSet(plans, [StackPlanStatus("management", PLANNED)])
    (plans / "lz-plan.json").write_text(json.dumps(plan_set.to_json()))
    synth = write_synth(tmp_path / "out")
    applied: list = []
    monkeypatch.setattr(plan_first, "apply_reviewed", lambda *a, **k: applied.append(a) or [])
    status, stdout, err = lz(capsys, "deploy", TINY, "--from-plans", str(plans), "--out", str(synth), "--yes")
    assert status == 3 and not applied
    assert "account-delete" in stdout
    assert "a danger rule blocks these plans: nothing applied (after review, allow with --allow account-delete)" in err
    status, _, err = lz(capsys, "deploy", TINY, "--from-plans", str(plans), "--out", str(synth), "--yes", "--allow", "nope")
    assert status == 1 and "unknown rule(s) for --allow: nope" in err
    status, _, err = lz(
        capsys, "deploy", TINY, "--from-plans", str(plans), "--out", str(synth), "--yes", "--allow", "account-delete"
    )
    assert status == 0 and len(applied) == 1, err


def test_flags_that_do_not_fit_are_refused(tmp_path, capsys):
    status, _, err = lz(capsys, "deploy", TINY, "--local", "--yes")
    assert (status, err) == (1, "lz deploy: --yes confirms applying reviewed plans; --local runs ask only with --plan-first\n")
    # saved plans made against a local API apply only to that server, reused: never to a new, empty one
    write_synth(tmp_path / "out")
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "lz-plan.json").write_text(json.dumps(PlanSet(plans, [], False, str(tmp_path / "out")).to_json()))
    status, _, err = lz(capsys, "deploy", TINY, "--local", "--from-plans", str(plans), "--yes")
    assert (status, err) == (
        1,
        "lz deploy: --from-plans with --local applies plans made against a running local API: reuse that server "
        "(LZ_AWS_ENDPOINT, or the one an earlier --keep left running for this output folder)\n",
    )
    status, _, err = lz(capsys, "deploy", TINY, "--from-plans", str(tmp_path / "none"))
    assert status == 1 and f"{tmp_path / 'none' / 'lz-plan.json'}: not found; write the plans with `lz plan ENV -o" in err
