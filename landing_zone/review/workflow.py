"""The sample GitHub Actions workflow, rendered from an environment's stacks.

`lz ci-workflow ENV` writes it; examples/ci/ holds the one for the example
environment. One plan job and one apply job per stack, each needing the jobs
of the stacks it depends on (stacks.layout), so plans and applies run in
dependency order. Pure Python (jinja2 with [[ ]] / [% %] delimiters, so
GitHub's own ${{ }} expressions pass through untouched).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..facts import Facts

DEFAULT_PATHS = ("environments/**", "landing_zone/**", "pyproject.toml", ".checkov.yaml")


@dataclass(frozen=True)
class StackJobs:
    name: str
    directory: str
    plan_job: str
    apply_job: str
    plan_needs: str
    apply_needs: str


def job_id(prefix: str, stack: str) -> str:
    """A GitHub job id (letters, digits, - and _; starting with a letter)."""
    return f"{prefix}-{re.sub(r'[^A-Za-z0-9_-]', '_', stack)}"


def _flow(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def stack_jobs(facts: Facts) -> list[StackJobs]:
    out = []
    for plan in facts.stack_layout:
        plan_needs = ["scan"] + [job_id("plan", d) for d in plan.depends_on]
        apply_needs = ["review"] + [job_id("apply", d) for d in plan.depends_on]
        out.append(
            StackJobs(
                plan.name,
                f"stacks/{plan.name}",
                job_id("plan", plan.name),
                job_id("apply", plan.name),
                _flow(plan_needs),
                _flow(apply_needs),
            )
        )
    return out


def render_workflow(
    loaded,
    *,
    environment: str | None = None,
    python_version: str = "3.11",
    node_version: str = "20",
    terraform_version: str = "1.11.4",
    paths: tuple[str, ...] = DEFAULT_PATHS,
) -> str:
    """The workflow YAML for one LoadedEnvironment."""
    import jinja2

    from ..config.models import LocalState

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
    stacks = stack_jobs(loaded.facts)
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
        stacks=stacks,
        plan_jobs=[s.plan_job for s in stacks],
        local_state=isinstance(env.state, LocalState),
    )
