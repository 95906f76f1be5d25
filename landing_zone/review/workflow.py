"""The sample GitHub Actions workflow, rendered from an environment's stacks.

`lz ci-workflow ENV` writes it; examples/ci/ holds the one for the example
environment. A pull request plans only the stacks `lz affected` finds
changed (plus their dependents): one matrix job per dependency wave, its
chunks from `lz affected --github-output`, so no matrix passes GitHub's 256
jobs at any size, and waves run in dependency order. The number of waves is
the depth of the environment's stack graph, fixed when the workflow is
rendered (`lz affected` refuses a change that needs more: render again). Pure Python (jinja2 with [[ ]] / [% %] delimiters, so
GitHub's own ${{ }} expressions pass through untouched).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..facts import Facts

DEFAULT_PATHS = ("environments/**", "landing_zone/**", "pyproject.toml", ".checkov.yaml")


@dataclass(frozen=True)
class WaveJobs:
    """The plan and apply matrix jobs of one dependency wave."""

    index: int
    plan_job: str
    apply_job: str
    plan_needs: str
    apply_needs: str


def job_id(prefix: str, stack: str) -> str:
    """A GitHub job id (letters, digits, - and _; starting with a letter)."""
    return f"{prefix}-{re.sub(r'[^A-Za-z0-9_-]', '_', stack)}"


def _flow(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def stack_depths(facts: Facts) -> dict[str, int]:
    """Each stack's level in the dependency graph (0: depends on nothing)."""
    depth: dict[str, int] = {}
    for plan in facts.stack_layout:  # deploy order: dependencies first
        depth[plan.name] = 1 + max((depth[d] for d in plan.depends_on), default=-1)
    return depth


def wave_count(facts: Facts) -> int:
    """Waves a change can need at most: the depth of the stack graph (when every stack is affected)."""
    return 1 + max(stack_depths(facts).values(), default=0)


def wave_jobs(facts: Facts, *, remote: bool = False) -> list[WaveJobs]:
    count = wave_count(facts)
    plans = [job_id("plan", f"wave-{w}") for w in range(count)]
    out = []
    for w in range(count):
        before = [plans[w - 1]] if w else []
        gate = list(plans) if remote else ["review"]  # HCP runs remote: no saved plan to review
        applied = [job_id("apply", f"wave-{w - 1}")] if w else []
        out.append(
            WaveJobs(
                w,
                plans[w],
                job_id("apply", f"wave-{w}"),
                _flow(["scan", "affected"] + before),
                _flow(gate + ["affected"] + applied),
            )
        )
    return out


def token_variable(hostname: str) -> str:
    """The variable terraform reads an HCP Terraform token from (TF_TOKEN_<host>, dots as underscores)."""
    return "TF_TOKEN_" + re.sub(r"[^A-Za-z0-9]", "_", hostname)


def render_workflow(
    loaded,
    *,
    environment: str | None = None,
    python_version: str = "3.11",
    node_version: str = "20",
    terraform_version: str = "1.11.4",
    paths: tuple[str, ...] = DEFAULT_PATHS,
    drift_cron: str = "23 5 * * *",
) -> str:
    """The workflow YAML for one LoadedEnvironment."""
    import jinja2

    from ..config.models import LocalState
    from ..config.models.state import RemoteState

    env = loaded.env
    jinja = jinja2.Environment(
        loader=jinja2.PackageLoader("landing_zone.review", "templates"),
        variable_start_string="[[",
        variable_end_string="]]",
        block_start_string="[%",
        block_end_string="%]",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    remote = isinstance(env.state, RemoteState)
    if environment is None and env.ci is not None and env.ci.environment:
        environment = env.ci.environment  # the environment the apply role trusts
    waves = wave_jobs(loaded.facts, remote=remote)
    env_file = PurePosixPath(str(loaded.file).replace("\\", "/")).as_posix()
    return jinja.get_template("ci-workflow.yml.j2").render(
        env_file=env_file,
        env_name=loaded.name,
        environment=environment or f"landing-zone-{loaded.name}",
        region=env.organization.home_region,
        python_version=python_version,
        node_version=node_version,
        terraform_version=terraform_version,
        paths=_flow([f'"{p}"' for p in paths]),
        waves=waves,
        plan_jobs=[w.plan_job for w in waves],
        local_state=isinstance(env.state, LocalState),
        remote=remote,
        token_variable=token_variable(env.state.hostname) if remote else "",
        drift_cron=drift_cron,
        deploy_credentials=deploy_credentials,
    )


DEPLOY_CREDENTIALS = """\
      - name: credentials of the main branch (the apply role, through OIDC)
{condition}        uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: ${{{{ vars.LZ_APPLY_ROLE_ARN }}}}
          aws-region: ${{{{ env.AWS_REGION }}}}
      - name: chained into the deployment role (it alone may assume the member accounts' access roles)
{condition}        uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: ${{{{ vars.LZ_DEPLOYMENT_ROLE_ARN }}}}
          role-chaining: true
          aws-region: ${{{{ env.AWS_REGION }}}}"""


def deploy_credentials(condition: str) -> str:
    """The steps that take the apply role through OIDC and chain into the deployment role (`if: condition`)."""
    return DEPLOY_CREDENTIALS.format(condition=f"        if: {condition}\n" if condition else "")
