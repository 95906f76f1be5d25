"""`lz ci-workflow ENV_FILE`: the sample GitHub Actions workflow for an environment.

validate -> synth -> scan (SARIF) -> terraform plan per stack in dependency
order -> plan-review comment -> apply on main after approval. Rendered from
the environment's stacks; examples/ci/ has the example environment's.
"""

from __future__ import annotations

import sys

NAME = "ci-workflow"
HELP = "Render the sample GitHub Actions workflow (plan per stack, plan review, apply after approval) for an environment."
ORDER = 62


def add_arguments(parser) -> None:
    parser.add_argument("env_file", metavar="ENV_FILE", help="environment file, e.g. environments/example.yaml")
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="write the workflow to FILE (e.g. .github/workflows/landing-zone.yml)"
    )
    parser.add_argument(
        "--environment",
        metavar="NAME",
        help="GitHub environment whose required reviewers approve applies (default landing-zone-<env>)",
    )


def run(args) -> int:
    from ...environment import load_environment
    from ...output_paths import check_output_file, write_output
    from ...review.workflow import render_workflow

    if args.output:
        check_output_file(args.output, make_parents=True, what="workflow")
    loaded = load_environment(args.env_file)  # ConfigError: problems printed by lz's main, exit 2
    text = render_workflow(loaded, environment=args.environment)
    if args.output:
        write_output(args.output, text, make_parents=True, what="workflow")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
