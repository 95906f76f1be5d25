"""The sample GitLab CI pipeline: the same flow as the GitHub workflow, fanned out by dependency wave.

The parent pipeline (`lz ci-workflow ENV --provider gitlab`) validates,
synthesizes, scans and runs `lz affected`, which writes a child pipeline
(`lz affected ... --gitlab-pipeline FILE`): one `parallel:matrix` job per
dependency wave that has affected stacks, each wave cut into at most 200
chunks (GitLab's limit per parallel job), then the plan review, then, on the
default branch only and after a manual approval, one apply job per wave.
Generating the child from the change keeps the job count to what the change
touches: at 1,000 accounts a one-account change runs a handful of jobs.

Both documents are built as data and dumped with yaml.safe_dump, so they are
valid YAML by construction (the tests hold them against GitLab's schema).
"""

from __future__ import annotations

from pathlib import PurePosixPath

import yaml

from .affected import Affected

MAX_PARALLEL = 200
"""GitLab's limit of jobs per `parallel` / `parallel:matrix`."""

IMAGE = "python:3.11-bookworm"
TERRAFORM_IMAGE = "hashicorp/terraform:1.11"


class _PlainDumper(yaml.SafeDumper):
    """No &anchors / *aliases for repeated values: the pipeline reads as written."""

    def ignore_aliases(self, data) -> bool:
        return True


def _dump(document: dict, header: str) -> str:
    body = yaml.dump(document, Dumper=_PlainDumper, sort_keys=False, width=200, default_flow_style=False)
    return "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines()) + body


def render_gitlab_pipeline(loaded, *, python_image: str = IMAGE) -> str:
    """The parent `.gitlab-ci.yml` for one LoadedEnvironment."""
    env_file = PurePosixPath(str(loaded.file).replace("\\", "/")).as_posix()
    install = ["pip install --quiet -e ."]
    document: dict = {
        "stages": ["validate", "synth", "scan", "affected", "deploy"],
        "variables": {"LZ_ENV": env_file, "AWS_REGION": loaded.env.organization.home_region, "TF_IN_AUTOMATION": "1"},
        "default": {"image": python_image, "interruptible": False},
        "workflow": {
            "rules": [
                {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'},
                {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"},
                {"if": '$CI_PIPELINE_SOURCE == "web"'},
            ]
        },
        "validate": {"stage": "validate", "script": install + ['lz validate "$LZ_ENV" --strict']},
        "synth": {
            "stage": "synth",
            "before_script": ["apt-get update -qq && apt-get install -y -qq nodejs >/dev/null"],
            "script": install + ['lz synth "$LZ_ENV" --out cdktf.out'],
            "artifacts": {"paths": ["cdktf.out/"], "expire_in": "5 days"},
        },
        "scan": {
            "stage": "scan",
            "needs": ["synth"],
            "script": install + ['lz scan cdktf.out --env "$LZ_ENV"'],
        },
        "affected": {
            "stage": "affected",
            "needs": ["synth"],
            "variables": {"GIT_DEPTH": "0"},
            "before_script": ["apt-get update -qq && apt-get install -y -qq nodejs >/dev/null"],
            "script": install
            + [
                # the base commit synthesized with its own code; without one, every stack is affected
                'BASE="${CI_MERGE_REQUEST_DIFF_BASE_SHA:-$CI_COMMIT_BEFORE_SHA}"',
                'if [ -n "$BASE" ] && [ "$BASE" != 0000000000000000000000000000000000000000 ] && [ "$CI_PIPELINE_SOURCE" != web ]'
                ' && git worktree add /tmp/base "$BASE" && python -m venv /tmp/base-venv'
                " && /tmp/base-venv/bin/pip install --quiet /tmp/base"
                ' && (cd /tmp/base && /tmp/base-venv/bin/lz synth "$LZ_ENV" --out cdktf.out);'
                " then set -- /tmp/base/cdktf.out cdktf.out; else set -- --all cdktf.out; fi",
                'lz affected "$@" --max-jobs 200 --gitlab-pipeline child-pipeline.yml',
            ],
            "artifacts": {"paths": ["child-pipeline.yml"], "expire_in": "5 days"},
        },
        "plan-and-apply": {
            "stage": "deploy",
            "needs": ["affected", "scan"],
            "trigger": {"include": [{"artifact": "child-pipeline.yml", "job": "affected"}], "strategy": "depend"},
            "variables": {"PARENT_PIPELINE_ID": "$CI_PIPELINE_ID", "LZ_ENV": env_file},
        },
    }
    header = (
        f"GitLab CI pipeline for the landing zone environment {env_file}.\n"
        f"Rendered by `lz ci-workflow {env_file} --provider gitlab`; do not edit by hand.\n"
        "\n"
        "validate -> synth -> scan -> affected (`lz affected` writes the child pipeline)\n"
        "  -> child: plan per dependency wave (parallel:matrix, at most 200 jobs each), plan review,\n"
        "     then on the default branch after a manual approval: apply the reviewed plans wave by wave.\n"
        "\n"
        "Set up once: CI/CD variables LZ_PLAN_ROLE_ARN, LZ_APPLY_ROLE_ARN and LZ_DEPLOYMENT_ROLE_ARN\n"
        "(`lz bootstrap` prints them), and an ID token (id_tokens: AWS_ID_TOKEN, aud sts.amazonaws.com)\n"
        "trusted by those roles; a protected environment named landing-zone-<env> for the apply jobs.\n"
        "Merge requests plan with the read-only plan role (member stacks: each account's plan role);\n"
        "the default branch plans and applies with the apply role chained into the deployment role.\n"
    )
    return _dump(document, header)


DEFAULT_BRANCH = '[ "${CI_COMMIT_BRANCH:-}" = "$CI_DEFAULT_BRANCH" ]'
"""True in a pipeline of the default branch (a merge request's pipeline has no CI_COMMIT_BRANCH)."""


def _plan_credentials() -> list[str]:
    """Shell lines for a plan job: a merge request plans with the read-only plan role, and member stacks assume
    each account's read-only plan role; the default branch plans with the apply credentials, because a saved
    plan is applied with the provider settings it was planned with."""
    return [
        'printf "%s" "$AWS_ID_TOKEN" > /tmp/web-identity-token',
        f"if {DEFAULT_BRANCH}; then {_deploy_profile()} export TF_VAR_lz_credentials=deploy;"
        ' else export AWS_WEB_IDENTITY_TOKEN_FILE=/tmp/web-identity-token AWS_ROLE_ARN="$LZ_PLAN_ROLE_ARN"'
        " TF_VAR_lz_credentials=plan; fi",
    ]


def _apply_credentials() -> list[str]:
    return ['printf "%s" "$AWS_ID_TOKEN" > /tmp/web-identity-token', _deploy_profile() + " export TF_VAR_lz_credentials=deploy"]


def _deploy_profile() -> str:
    """The apply role through the job's OIDC token, chained into the deployment role, which alone may assume the
    member accounts' access roles (and which the mandatory SCPs exempt): an AWS config profile terraform's SDK
    follows (source_profile), since the terraform image has no AWS CLI to chain with."""
    return (
        "printf '[profile lz-apply]\\nrole_arn = %s\\nweb_identity_token_file = /tmp/web-identity-token\\n"
        "[profile lz-deploy]\\nrole_arn = %s\\nsource_profile = lz-apply\\n'"
        ' "$LZ_APPLY_ROLE_ARN" "$LZ_DEPLOYMENT_ROLE_ARN" > /tmp/aws-config;'
        " export AWS_CONFIG_FILE=/tmp/aws-config AWS_PROFILE=lz-deploy;"
    )


def _stack_loop(command: str) -> str:
    return f'for stack in $STACKS; do (cd "cdktf.out/stacks/$stack" && terraform init -input=false && {command}) || exit 1; done'


def child_pipeline(affected: Affected, env_name: str) -> str:
    """The child pipeline of one change: plan, review and apply jobs for its affected stacks only."""
    waves = affected.waves
    synth: dict[str, object] = {"pipeline": "$PARENT_PIPELINE_ID", "job": "synth"}
    id_tokens = {"AWS_ID_TOKEN": {"aud": "sts.amazonaws.com"}}
    document: dict = {"stages": ["plan", "review", "apply"]}
    if not waves:
        document["nothing-to-plan"] = {
            "stage": "plan",
            "image": IMAGE,
            "script": [f'echo "lz affected: no stack of {env_name} changed"'],
        }
        return _dump(document, "Child pipeline written by `lz affected`: nothing changed.")
    plan_jobs: list[str] = []
    for w, chunks in enumerate(waves):
        job = f"plan-wave-{w}"
        document[job] = {
            "stage": "plan",
            "image": {"name": TERRAFORM_IMAGE, "entrypoint": [""]},
            "needs": [synth] + ([{"job": plan_jobs[-1], "artifacts": False}] if plan_jobs else []),
            "id_tokens": id_tokens,
            "parallel": {"matrix": [{"STACKS": [" ".join(chunk) for chunk in chunks]}]},
            "script": _plan_credentials()
            + [
                _stack_loop(
                    'terraform plan -input=false -lock-timeout=120s -out=tfplan && mkdir -p "$CI_PROJECT_DIR/plans/$stack"'
                    ' && terraform show -json tfplan > "$CI_PROJECT_DIR/plans/$stack/$stack.json"'
                    ' && cp tfplan "$CI_PROJECT_DIR/plans/$stack/tfplan"'
                )
            ],
            "artifacts": {"paths": ["plans/"], "expire_in": "1 day"},
        }
        plan_jobs.append(job)
    document["review"] = {
        "stage": "review",
        "image": IMAGE,
        "needs": [synth] + [{"job": job} for job in plan_jobs],
        "script": [
            "pip install --quiet -e .",
            "lz plan-review plans --manifest cdktf.out/lz-manifest.json --format markdown -o review.md",
        ],
        "artifacts": {"paths": ["review.md"], "expire_in": "5 days", "when": "always"},
    }
    apply_jobs: list[str] = []
    for w, chunks in enumerate(waves):
        job = f"apply-wave-{w}"
        document[job] = {
            "stage": "apply",
            "image": {"name": TERRAFORM_IMAGE, "entrypoint": [""]},
            "needs": [synth, {"job": "review", "artifacts": False}, {"job": plan_jobs[w]}]
            + ([{"job": apply_jobs[-1], "artifacts": False}] if apply_jobs else []),
            "id_tokens": id_tokens,
            "environment": {"name": f"landing-zone-{env_name}"},
            "rules": [
                {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", "when": "manual" if w == 0 else "on_success"},
                {"when": "never"},
            ],
            "allow_failure": False,
            "parallel": {"matrix": [{"STACKS": [" ".join(chunk) for chunk in chunks]}]},
            "script": _apply_credentials()
            + [_stack_loop('terraform apply -input=false -lock-timeout=120s "$CI_PROJECT_DIR/plans/$stack/tfplan"')],
        }
        apply_jobs.append(job)
    header = (
        f"Child pipeline written by `lz affected` for {env_name}: {len(affected.stacks)} affected stack(s)"
        f" in {len(waves)} wave(s); {len(affected.unchanged)} unchanged stack(s) are not planned."
    )
    return _dump(document, header)
