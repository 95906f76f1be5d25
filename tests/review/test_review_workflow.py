"""The sample GitHub Actions workflow: renders from the stacks, is valid YAML and a valid workflow."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import plan_lab as L
import pytest
import yaml
from conftest import run_lz

from landing_zone.environment import load_environment
from landing_zone.review.workflow import render_workflow, wave_count

EXAMPLE_WORKFLOW = L.ROOT / "examples" / "ci" / "landing-zone.yml"
EXAMPLE_GITLAB = L.ROOT / "examples" / "ci" / "gitlab-ci.yml"


def jobs_of(text: str) -> dict:
    data = yaml.safe_load(text)
    assert data["name"] and data["jobs"]
    # YAML 1.1 reads the `on:` key as True
    triggers = set(data.get("on") or data.get(True))
    assert triggers - {"schedule"} == {"pull_request", "push", "workflow_dispatch"}
    # the scheduled run is lz drift's alone (not for HCP Terraform, whose remote runs save no plan)
    assert ("schedule" in triggers) == ("drift" in data["jobs"])
    return data["jobs"]


def needs(job: dict) -> list[str]:
    value = job.get("needs") or []
    return [value] if isinstance(value, str) else list(value)


def check_schema(path: Path, schema: str = "vendor.github-workflows") -> None:
    """GitHub's workflow schema, or GitLab's (SchemaStore, vendored by check-jsonschema: no network)."""
    tool = shutil.which("check-jsonschema") or str(Path(__import__("sys").executable).parent / "check-jsonschema")
    result = subprocess.run([tool, "--builtin-schema", schema, str(path)], capture_output=True, text=True)
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


def test_the_pipeline_runs_validate_synth_scan_affected_plan_review_apply_in_order(rendered):
    _, text = rendered
    jobs = jobs_of(text)
    assert needs(jobs["synth"]) == ["validate"] and needs(jobs["scan"]) == ["synth"]
    assert needs(jobs["affected"]) == ["synth"]
    waves = wave_count(load_environment(L.EXAMPLE).facts)
    assert waves == 6  # management, log-archive, network & co, VPC accounts, a peered account, detective-guardrails
    assert sorted(n for n in jobs if n.startswith("plan-")) == [f"plan-wave-{w}" for w in range(waves)]
    for w in range(waves):
        plan_job, apply_job = jobs[f"plan-wave-{w}"], jobs[f"apply-wave-{w}"]
        assert needs(plan_job) == ["scan", "affected"] + ([f"plan-wave-{w - 1}"] if w else [])
        assert needs(apply_job) == ["review", "affected"] + ([f"apply-wave-{w - 1}"] if w else [])
        for job in (plan_job, apply_job):
            assert job["strategy"]["matrix"]["include"] == f"${{{{ fromJSON(needs.affected.outputs.wave_{w}) }}}}"
            assert f"needs.affected.outputs.count_{w} != '0'" in job["if"]
            assert jobs["affected"]["outputs"][f"wave_{w}"] == f"${{{{ steps.affected.outputs.wave_{w} }}}}"
        assert apply_job["environment"] == "landing-zone-example"
        assert "github.event_name == 'push' && github.ref == 'refs/heads/main'" in apply_job["if"]
        assert 'cd "cdktf.out/stacks/$stack"' in apply_job["steps"][-1]["run"]
    affected_run = "\n".join(s.get("run", "") for s in jobs["affected"]["steps"])
    assert f'lz affected "$@" --waves {waves} --github-output "$GITHUB_OUTPUT"' in affected_run
    assert set(needs(jobs["review"])) == {"synth", "affected"} | {f"plan-wave-{w}" for w in range(waves)}
    upload = next(s for s in jobs["scan"]["steps"] if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"] == "checkov.sarif"
    review = "\n".join(s.get("run", "") for s in jobs["review"]["steps"])
    assert "lz plan-review plans --manifest cdktf.out/lz-manifest.json --format markdown" in review


def test_credentials_plan_role_on_pull_requests_apply_role_chained_into_the_deployment_role_on_main(rendered):
    """Issue 20: the plan role (and the member plan roles, TF_VAR_lz_credentials=plan) on pull requests; on main the
    apply role through OIDC, chained into the deployment role, for the plans that are applied and for the applies."""
    _, text = rendered
    jobs = jobs_of(text)

    def credentials(job: dict) -> list[tuple[str, str, bool]]:
        return [
            (s.get("if", ""), s["with"]["role-to-assume"], bool(s["with"].get("role-chaining")))
            for s in job["steps"]
            if s.get("uses", "").startswith("aws-actions/configure-aws-credentials")
        ]

    plan_role, apply_role, deployment_role = (
        "${{ vars.LZ_PLAN_ROLE_ARN }}",
        "${{ vars.LZ_APPLY_ROLE_ARN }}",
        "${{ vars.LZ_DEPLOYMENT_ROLE_ARN }}",
    )
    plan = jobs["plan-wave-0"]
    assert credentials(plan) == [
        ("github.event_name == 'pull_request'", plan_role, False),
        ("github.event_name != 'pull_request'", apply_role, False),
        ("github.event_name != 'pull_request'", deployment_role, True),
    ]
    step = next(s for s in plan["steps"] if s.get("name") == "terraform plan")
    assert step["env"]["TF_VAR_lz_credentials"] == "${{ github.event_name == 'pull_request' && 'plan' || 'deploy' }}"
    for job in (jobs["apply-wave-0"], jobs["drift"]):
        assert credentials(job) == [("", apply_role, False), ("", deployment_role, True)]


def test_a_scheduled_drift_job_opens_or_updates_an_issue_and_nothing_else_runs_on_the_schedule(rendered):
    _, text = rendered
    data = yaml.safe_load(text)
    assert (data.get("on") or data.get(True))["schedule"] == [{"cron": "23 5 * * *"}]
    jobs = data["jobs"]
    drift = jobs["drift"]
    assert drift["if"] == "github.event_name == 'schedule'"
    assert drift["permissions"] == {"contents": "read", "id-token": "write", "issues": "write"}
    run = "\n".join(s.get("run", "") for s in drift["steps"])
    assert 'lz drift "$LZ_ENV" --format markdown > drift.md || status=$?' in run
    script = next(s for s in drift["steps"] if s.get("uses", "").startswith("actions/github-script"))["with"]["script"]
    assert "const title = 'landing-zone example: drift';" in script
    assert "github.rest.issues.create" in script and "github.rest.issues.update" in script and "state: 'closed'" in script
    assert (
        next(s for s in drift["steps"] if s.get("name") == "fail on dangerous drift")["if"] == "steps.drift.outputs.status == '3'"
    )
    # the pipeline itself stays off the schedule: validate (everything needs it) and the plan waves say so
    assert jobs["validate"]["if"] == "github.event_name != 'schedule'"
    assert all("github.event_name != 'schedule'" in job["if"] for name, job in jobs.items() if name.startswith("plan-wave-"))


def test_a_ci_environment_is_the_one_the_apply_jobs_use(tmp_path):
    """The apply role trusts `ci.environment`'s subject: the apply jobs declare that environment."""
    path = L.write_env(tmp_path / "env", L.example_data(), tmp_path / "state")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["ci"] = {"provider": "github", "repository": "acme/landing-zone", "environment": "production"}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    jobs = jobs_of(render_workflow(load_environment(path)))
    assert jobs["apply-wave-0"]["environment"] == "production"


def test_the_workflow_has_the_same_jobs_at_1000_accounts(tmp_path):
    """Jobs per wave, not per stack: the matrices (at most 256 chunks, `lz affected`) carry the size."""
    from bench.generate import write_environment

    big = load_environment(write_environment(1000, tmp_path))
    small = load_environment(L.EXAMPLE)
    assert len(big.facts.stack_layout) > 1000
    assert jobs_of(render_workflow(big)).keys() == jobs_of(render_workflow(small)).keys()


def test_an_hcp_terraform_backend_plans_and_applies_remotely(tmp_path):
    path = L.write_env(tmp_path / "env", L.example_data(), tmp_path / "state")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["state"] = {"backend": "remote", "organization": "acme", "hostname": "tfe.example.com"}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    text = render_workflow(load_environment(path))
    target = tmp_path / "remote.yml"
    target.write_text(text, encoding="utf-8")
    check_schema(target)
    jobs = jobs_of(text)
    assert "review" not in jobs  # HCP runs are remote: no saved plan to review here
    assert jobs["plan-wave-0"]["env"] == {"TF_TOKEN_tfe_example_com": "${{ secrets.TF_API_TOKEN }}"}
    assert needs(jobs["apply-wave-1"])[-1] == "apply-wave-0" and "plan-wave-5" in needs(jobs["apply-wave-0"])
    assert "-out=" not in text and "terraform apply -input=false -auto-approve" in text


def test_the_gitlab_pipeline_and_its_child_are_valid_gitlab_ci(tmp_path, synth_out):
    from landing_zone.review.affected import affected_stacks
    from landing_zone.review.gitlab import child_pipeline, render_gitlab_pipeline

    parent = tmp_path / "parent.yml"
    parent.write_text(render_gitlab_pipeline(load_environment(L.EXAMPLE)), encoding="utf-8")
    check_schema(parent, "vendor.gitlab-ci")
    trigger = yaml.safe_load(parent.read_text(encoding="utf-8"))["plan-and-apply"]["trigger"]
    assert trigger["include"] == [{"artifact": "child-pipeline.yml", "job": "affected"}]
    head = tmp_path / "head"
    shutil.copytree(synth_out.dir, head)
    stack = head / "stacks" / "account-web-prod" / "cdk.tf.json"
    doc = json.loads(stack.read_text(encoding="utf-8"))
    doc.setdefault("locals", {})["edit"] = 1
    stack.write_text(json.dumps(doc), encoding="utf-8")
    child = tmp_path / "child.yml"
    child.write_text(child_pipeline(affected_stacks(synth_out.dir, head, max_jobs=200), "example"), encoding="utf-8")
    check_schema(child, "vendor.gitlab-ci")
    jobs = yaml.safe_load(child.read_text(encoding="utf-8"))
    assert jobs["plan-wave-0"]["parallel"]["matrix"] == [{"STACKS": ["account-web-prod"]}]
    assert jobs["plan-wave-1"]["parallel"]["matrix"] == [{"STACKS": ["detective-guardrails"]}]
    assert {"job": "plan-wave-0", "artifacts": False} in jobs["plan-wave-1"]["needs"]
    assert jobs["apply-wave-0"]["rules"][0] == {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", "when": "manual"}
    unchanged = tmp_path / "none.yml"
    unchanged.write_text(child_pipeline(affected_stacks(synth_out.dir, synth_out.dir), "example"), encoding="utf-8")
    check_schema(unchanged, "vendor.gitlab-ci")


def test_the_committed_example_workflow_is_valid():
    """examples/ci/landing-zone.yml: `make ci-workflow` renders it again when the stacks change."""
    text = EXAMPLE_WORKFLOW.read_text(encoding="utf-8")
    assert text.startswith("# GitHub Actions workflow for the landing zone environment environments/example.yaml.")
    jobs = jobs_of(text)
    assert {"validate", "synth", "scan", "affected", "review", "plan-wave-0", "apply-wave-0"} <= set(jobs)
    assert text == render_workflow(load_environment(L.EXAMPLE)), "render it again: make ci-workflow"
    check_schema(EXAMPLE_WORKFLOW)


def test_the_committed_example_gitlab_pipeline_is_current_and_valid():
    from landing_zone.review.gitlab import render_gitlab_pipeline

    assert EXAMPLE_GITLAB.read_text(encoding="utf-8") == render_gitlab_pipeline(load_environment(L.EXAMPLE))
    check_schema(EXAMPLE_GITLAB, "vendor.gitlab-ci")
