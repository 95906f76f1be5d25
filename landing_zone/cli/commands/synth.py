"""`lz synth ENV_FILE [--out DIR] [--full] [--jobs N]`: validate, then write Terraform JSON per stack (only the changed stacks
again, unless --full: app.synthesize)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from ...app import binding_preload
from ...atomic_output import preflight
from ...environment import load_environment
from ...fs_errors import fs_errors
from ...local_aws.endpoints import ENV_VAR as ENDPOINT_VAR
from ...local_aws.endpoints import check_local_url
from ...node_runtime import prepare_node_runtime
from ...render import elide, print_problems
from ...render import text_table as table
from ...run_lock import add_wait_argument, run_lock
from ...speed.optimized_python import type_checks_note

NAME = "synth"
HELP = "Validate an environment, then synthesize its stacks to Terraform JSON (default cdktf.out/)."
ORDER = 20

DEFAULT_OUT = "cdktf.out"


def add_arguments(parser) -> None:
    parser.add_argument("env_file", metavar="ENV_FILE", help="environment file, e.g. environments/example.yaml")
    parser.add_argument("--out", default=DEFAULT_OUT, metavar="DIR", help=f"output folder (default {DEFAULT_OUT})")
    parser.add_argument(
        "--allow-destroy",
        action="store_true",
        help="lift prevent_destroy on the organization, OUs and accounts "
        "(only for throw-away runs against a local AWS API; the checkov gate fails such output)",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="build every stack again (default: reuse the stacks of the previous output in DIR whose inputs did not change)",
    )
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=os.cpu_count() or 1,
        metavar="N",
        help="processes that build the stacks when there are many to build: this one and N-1 workers (default: the number of cores)",
    )
    add_wait_argument(parser)


def _jobs(value: str) -> int:
    import argparse

    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return int(value)


def _progress(message: str) -> None:
    print(f"lz synth: {message}", file=sys.stderr, flush=True)


def run(args) -> int:
    start = time.perf_counter()
    prepare_node_runtime(load=False)
    binding = binding_preload.start()  # cdktf loads on the other core while this thread validates
    _progress("loading cdktf and the AWS provider binding in the background (3-5 s)")
    try:
        return _validated(args, start, binding)
    finally:  # a synth that built nothing, or stopped early, does not wait for a load nobody uses
        binding.abandon()


def _validated(args, start: float, binding) -> int:
    loaded = load_environment(args.env_file)  # ConfigError: problems printed, exit 2, nothing written
    if loaded.warnings:
        print_problems(loaded.warnings)
    endpoint = os.environ.get(ENDPOINT_VAR, "").strip()
    if endpoint:
        try:
            check_local_url(endpoint)  # before the slow import: a bad value fails at once
        except ValueError as exc:
            print(f"lz synth: {exc}", file=sys.stderr)
            return 2
    _progress(f"{loaded.file} is valid ({len(loaded.env.organizational_units)} OUs, {len(loaded.env.accounts)} accounts)")
    # One run at a time per folder (RunLockBusy: exit 75); written whole or not at all (app.synthesize);
    # a filesystem error is one line naming the path (FsError: exit 2).
    with fs_errors("write the synth output", args.out), run_lock(args.out, "synth", wait=args.wait, notify=_progress):
        preflight(args.out)  # a full disk or a read-only folder fails now, not after loading cdktf
        return _synth(args, loaded, start, binding)


def _synth(args, loaded, start: float, binding) -> int:
    from ...app import AppOptions, synthesize  # pure Python: cdktf loads in app.build, after ready()

    def ready() -> None:  # the synth needs cdktf now (it copies and patches first)
        waited = time.perf_counter()
        if binding.pending():
            _progress("waiting for cdktf and the AWS provider binding...")
        binding.wait()
        _progress(
            f"cdktf and the AWS provider binding loaded in {binding.seconds():.1f} s "
            f"({time.perf_counter() - waited:.1f} s of it waited for; {type_checks_note()})"
        )

    options = AppOptions.from_environ(out_dir=Path(args.out), allow_destroy=args.allow_destroy)
    if options.target.is_local:
        _progress(f"every AWS provider targets the {options.target.name} (LZ_AWS_ENDPOINT)")
    if options.allow_destroy:
        _progress("WARNING: prevent_destroy lifted (--allow-destroy); do not deploy this output to AWS")
    result = synthesize(loaded, options, progress=_progress, incremental=not args.full, jobs=args.jobs, ready=ready)
    for name in result.removed:
        _progress(f"removed stale stack folder {result.out_dir / 'stacks' / name}")
    reused = sum(s.reused for s in result.stacks)
    patched = sum(s.patched for s in result.stacks)
    _progress(
        f"wrote {len(result.stacks)} stacks to {result.out_dir} in {result.synth_seconds:.2f} s"
        + (f" ({reused} unchanged, reused)" if reused else "")
        + (f" ({patched} patched)" if patched else "")
    )
    rows = [
        (s.name, s.resources, s.data_sources, s.outputs, "reused" if s.reused else "patched" if s.patched else f"{s.seconds:.2f}")
        for s in result.stacks
    ]
    print(table(("stack", "resources", "data sources", "outputs", "build s"), rows))
    total = sum(s.resources for s in result.stacks)
    print(
        f"{len(result.stacks)} stacks, {total} resources in {result.out_dir} (deploy order: "
        f"{elide([s.name for s in result.stacks])}); total {time.perf_counter() - start:.1f} s"
    )
    return 0
