"""cdktf entry point (`cdktf synth` / `cdktf deploy` run it, see cdktf.json).

Synthesizes the environment named by LZ_ENV (default environments/example.yaml)
into CDKTF_OUTDIR (set by the cdktf CLI; default cdktf.out). LZ_AWS_ENDPOINT
points every provider at a local AWS API; LZ_ALLOW_DESTROY=1 lifts
prevent_destroy (local test runs only). `lz synth ENV` does the same with
progress and a summary.
"""

from __future__ import annotations

import os
import sys

DEFAULT_ENV = "environments/example.yaml"


def main() -> int:
    from landing_zone.speed.optimized_python import rerun_optimized

    rerun_optimized()  # under python -O: the binding's run-time type checks compiled out, same output
    # Validate before importing cdktf: bad input fails in well under a second.
    from landing_zone.environment import ConfigError, load_environment
    from landing_zone.render import print_problems

    path = os.environ.get("LZ_ENV") or DEFAULT_ENV
    try:
        loaded = load_environment(path)
    except ConfigError as exc:
        print_problems(exc.problems)
        return 2
    from landing_zone.node_runtime import prepare_node_runtime

    prepare_node_runtime()
    from landing_zone.app import AppOptions, synthesize

    try:
        options = AppOptions.from_environ()
    except ValueError as exc:  # LZ_AWS_ENDPOINT that is not a local URL
        print(exc, file=sys.stderr)
        return 2
    # The same path as `lz synth`: identical stacks, review manifest, stale stack folders removed.
    synthesize(loaded, options)
    return 0


if __name__ == "__main__":
    from landing_zone.speed.fast_exit import exit_after

    sys.exit(exit_after(main()))  # without the interpreter's 3-4 s teardown of the binding
