"""The sample GitHub Actions workflow: renders from the stacks, is valid YAML and a valid workflow."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import plan_lab as L
import pytest
import yaml
from conftest import run_lz

from landing_zone.derived.stack_layout import stack_plans
from landing_zone.environment import load_environment

EXAMPLE_WORKFLOW = L.ROOT / "examples" / "ci" / "landing-zone.yml"


def jobs_of(text: str) -> dict:
    data = yaml.safe_load(text)
    assert data["name"] and data["jobs"]
    # YAML 1.1 reads the `on:` key as True
    assert set(data.get("on") or data.get(True)) == {"pull_request", "push", "workflow_dispatch"}
    return data["jobs"]


def needs(job: dict) -> list[str]:
    value = job.get("needs") or []
    return [value] if isinstance(value, str) else list(value)


def check_schema(path: Path) -> None:
    """GitHub's workflow schema (SchemaStore, vendored by check-jsonschema: no network)."""
    tool = shutil.which("check-jsonschema") or str(Path(__import__("sys").executable).parent / "check-jsonschema")
    result = subprocess.run([tool, "--builtin-schema", "vendor.github-workflows", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[Path, str]:
    target = tmp_path_factory.mktemp("workflow") / "landing-zone.yml"
    code, _, err = run_lz("ci-workflow", str(L.EXAMPLE), "--output", str(target))
    assert code == 0, err
    return target, target.read_text(encoding="utf-8")


def test_the_workflow_renders_valid_yaml_and_a_valid_github_workflow(rendered):
    path, text = rendered
    jobs_of(text)
    check_schema(path)


def test_the_pipeline_runs_validate_synth_scan_plan_review_apply_in_order(rendered):
    _, text = rendered
    jobs = jobs_of(text)
    assert needs(jobs["synth"]) == ["validate"] and needs(jobs["scan"]) == ["synth"]
    plans = stack_plans(load_environment(L.EXAMPLE).env)
    for plan in plans:
        plan_job, apply_job = jobs[f"plan-{plan.name}"], jobs[f"apply-{plan.name}"]
        assert needs(plan_job) == ["scan"] + [f"plan-{d}" for d in plan.depends_on]
        assert needs(apply_job) == ["review"] + [f"apply-{d}" for d in plan.depends_on]
        assert apply_job["environment"] == "landing-zone-example"
        assert apply_job["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
        assert f"cdktf.out/stacks/{plan.name}" == apply_job["steps"][-1]["working-directory"]
    assert set(needs(jobs["review"])) == {"synth"} | {f"plan-{p.name}" for p in plans}
    upload = next(s for s in jobs["scan"]["steps"] if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"] == "checkov.sarif"
    review = "\n".join(s.get("run", "") for s in jobs["review"]["steps"])
    assert "lz plan-review plans --manifest cdktf.out/lz-manifest.json --format markdown" in review


def test_the_plan_order_is_a_topological_order_of_the_stacks(rendered):
    _, text = rendered
    order = [name for name in jobs_of(text) if name.startswith("plan-")]
    seen: set[str] = set()
    for job in order:
        for dependency in needs(jobs_of(text)[job]):
            assert dependency in seen or not dependency.startswith("plan-")
        seen.add(job)


def test_the_committed_example_workflow_is_valid():
    """examples/ci/landing-zone.yml: `make ci-workflow` renders it again when the stacks change."""
    text = EXAMPLE_WORKFLOW.read_text(encoding="utf-8")
    assert text.startswith("# GitHub Actions workflow for the landing zone environment environments/example.yaml.")
    jobs = jobs_of(text)
    assert {"validate", "synth", "scan", "review", "plan-management", "apply-management"} <= set(jobs)
    check_schema(EXAMPLE_WORKFLOW)
