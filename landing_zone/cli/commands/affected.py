"""`lz affected BASE HEAD`: the stacks a change touches, in dependency waves, for a CI matrix.

BASE and HEAD are two synth folders (fast: file comparison), or two
environment files, which are synthesized first (slow: the cdktf import and
two synths). `--all HEAD` lists every stack. `--github-output FILE` appends
`wave_N` / `count_N` outputs for the rendered GitHub workflow's matrices;
`--gitlab-pipeline FILE` writes GitLab's child pipeline for the change.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from ...render import add_format_argument

NAME = "affected"
HELP = "List the stacks whose synthesized JSON changed between two synth folders (or environment files), plus their dependents, in dependency waves."
ORDER = 63


def add_arguments(parser) -> None:
    parser.add_argument(
        "paths", nargs="*", metavar="BASE HEAD", help="two synth folders or two environment files (HEAD alone with --all)"
    )
    parser.add_argument("--all", action="store_true", help="every stack of HEAD is affected (first run, workflow_dispatch)")
    parser.add_argument(
        "--max-jobs",
        type=int,
        default=256,
        metavar="N",
        help="at most N chunks per wave (default 256, GitHub's matrix limit; GitLab's is 200)",
    )
    add_format_argument(parser)
    parser.add_argument("--github-output", metavar="FILE", help="append wave_N/count_N outputs to FILE ($GITHUB_OUTPUT)")
    parser.add_argument("--waves", type=int, metavar="N", help="with --github-output: the number of waves the workflow has")
    parser.add_argument(
        "--gitlab-pipeline", metavar="FILE", help="write GitLab's child pipeline for this change (plan, review, apply per wave)"
    )


def _error(message: str) -> int:
    print(f"lz affected: {message}", file=sys.stderr)
    return 2


def _synthesized(env_file: str, into: Path) -> Path:
    from ...environment import load_environment
    from ...node_runtime import prepare_node_runtime

    loaded = load_environment(env_file)  # ConfigError: printed by lz's main, exit 2
    prepare_node_runtime()
    from ...app import AppOptions, synthesize

    print(f"lz affected: synthesizing {env_file} (the cdktf import takes a few seconds)...", file=sys.stderr, flush=True)
    synthesize(loaded, AppOptions.from_environ(out_dir=into))
    return into


def run(args) -> int:
    from ...render import emit
    from ...review.affected import AffectedError, affected_stacks, document, github_outputs

    wanted = 1 if args.all else 2
    if len(args.paths) != wanted:
        return _error("give BASE and HEAD (two synth folders or two environment files), or --all HEAD")
    if args.github_output and args.waves is None:
        return _error("--github-output needs --waves N (the number of waves the workflow was rendered with)")
    with tempfile.TemporaryDirectory(prefix="lz-affected-") as scratch:
        folders = []
        for i, path in enumerate(args.paths):
            if Path(path).is_file():
                folders.append(_synthesized(path, Path(scratch) / f"out{i}"))
            else:
                folders.append(Path(path))
        base, head = (None, folders[0]) if args.all else (folders[0], folders[1])
        try:
            result = affected_stacks(base, head, max_jobs=args.max_jobs)
            outputs = github_outputs(result, args.waves) if args.github_output else []
        except AffectedError as exc:
            return _error(str(exc))
    if args.github_output:
        try:
            with open(args.github_output, "a", encoding="utf-8") as stream:
                stream.write("\n".join(outputs) + "\n")
        except OSError as exc:
            return _error(f"{args.github_output}: {exc.strerror or exc}")
    if args.gitlab_pipeline:
        from ...output_paths import write_output
        from ...review.affected import environment_name
        from ...review.gitlab import child_pipeline

        write_output(args.gitlab_pipeline, child_pipeline(result, environment_name(head)), what="child pipeline")
    labels = ("(none)", args.paths[0]) if args.all else (args.paths[0], args.paths[1])
    emit(document(result, *labels), args.format, data=result.to_json())
    return 0
