"""`lz ci-workflow ENV_FILE [--provider github|gitlab]`: the sample CI pipeline for an environment.

validate -> synth -> scan -> affected stacks (`lz affected` against the base
commit) -> terraform plan of those stacks, one matrix per dependency wave ->
plan review -> apply on the main branch after approval. Rendered from the
environment's stacks; examples/ci/ has the example environment's.
"""

from __future__ import annotations

import sys

from ...run_lock import add_wait_argument, run_lock

NAME = "ci-workflow"
HELP = "Render the sample CI pipeline (GitHub Actions or GitLab): plan the affected stacks by dependency wave, review, apply after approval."
ORDER = 62


def add_arguments(parser) -> None:
    parser.add_argument("env_file", metavar="ENV_FILE", help="environment file, e.g. environments/example.yaml")
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="write the workflow to FILE (e.g. .github/workflows/landing-zone.yml)"
    )
    parser.add_argument(
        "--provider", choices=("github", "gitlab"), default="github", help="GitHub Actions (default) or GitLab CI"
    )
    parser.add_argument(
        "--environment",
        metavar="NAME",
        help="GitHub environment whose required reviewers approve applies (default landing-zone-<env>)",
    )
    add_wait_argument(parser)


def run(args) -> int:
    from ...environment import load_environment
    from ...output_paths import check_output_file, write_output
    from ...review.gitlab import render_gitlab_pipeline
    from ...review.workflow import render_workflow

    if args.output:
        check_output_file(args.output, make_parents=True, what="workflow")
    loaded = load_environment(args.env_file)  # ConfigError: problems printed by lz's main, exit 2
    if args.provider == "gitlab":
        text = render_gitlab_pipeline(loaded)
    else:
        text = render_workflow(loaded, environment=args.environment)
    if args.output:
        with run_lock(args.output, "ci-workflow", wait=args.wait):  # one writer at a time (exit 75 when busy)
            write_output(args.output, text, make_parents=True, what="workflow")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
