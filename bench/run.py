"""`make bench`: validate, synth, checkov gate and plan review at 10 / 100 / 1,000 accounts.

Generates the environments (bench/generate.py) in a temporary folder, runs
every measurement as a fresh process (3+ runs, median/min/max, peak memory of
the process tree), writes bench/results.json and the table in BENCHMARKS.md.
Progress goes to stderr. The 10-account environment is the example itself
(it has 10 member accounts), so "synth 10" and "scan 10" are the example.
The 1,000-account synth runs as often as the time budget allows (at least
once); fewer than 3 runs is said in the output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

if __package__ in (None, ""):  # `python bench/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.dashboard_page import ready_seconds
from bench.generate import EXAMPLE, EXAMPLE_ACCOUNTS, write_environment
from bench.measure import Run, Series, run_once
from bench.plans import write_plans
from bench.report import write

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LZ = str(BIN / "lz")
BUDGET_S = 14.5 * 60
"""The whole run stays under 15 minutes; the 1,000-account synth repeats only within this."""
MARGIN = 1.25
"""Another 1,000-account synth starts only if MARGIN x the slowest so far still ends within BUDGET_S."""
START = time.perf_counter()


def progress(message: str) -> None:
    elapsed = time.perf_counter() - START
    print(f"bench [{int(elapsed // 60):02d}:{int(elapsed % 60):02d}] {message}", file=sys.stderr, flush=True)


def _env() -> dict:
    env = dict(os.environ)
    env.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "14,16,18,20")
    env.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
    env.pop("LZ_AWS_ENDPOINT", None)  # production output, as a user synthesizes it
    return env


def measure(series: Series, argv: list[str], runs: int, log: Path, of: int | None = None, env: dict | None = None) -> Series:
    """`runs` more runs of `argv` into `series`; progress counts them out of `of` (default: these runs). `env`: more
    environment variables."""
    of = of or len(series.runs) + runs
    for _ in range(runs):
        result = run_once(argv, ROOT, {**_env(), **(env or {})}, log)
        series.runs.append(result)
        status = "" if result.returncode == 0 else f", exit {result.returncode} (see {log})"
        progress(
            f"{series.name} run {len(series.runs)}/{of}: {result.seconds:.2f} s, peak {result.peak_bytes / 2**20:,.0f} MB{status}"
        )
    return series


def _version(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60).stdout.strip()
        return out.splitlines()[0] if out else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def _dist(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    return {
        "cpu_model": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem_kb / 2**20,
        "load_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "platform": platform.platform(),
    }


def versions() -> dict:
    return {
        "python": platform.python_version(),
        "cdktf": _dist("cdktf"),
        "cdktf-cdktf-provider-aws": _dist("cdktf-cdktf-provider-aws"),
        "checkov": _dist("checkov"),
        "pydantic": _dist("pydantic"),
        "node": _version(["node", "--version"]),
        "terraform": _version(["terraform", "version"]),
    }


LABELS = {
    "floor": "floor: import cdktf + the provider modules the synth uses (python -O, as lz synth)",
    "floor_whole": "import cdktf + the AWS binding's package whole, every submodule (as before speed/binding_subset.py)",
    "validate_10": "lz validate, 10 accounts (the example)",
    "validate_100": "lz validate, 100 accounts",
    "validate_1000": "lz validate, 1,000 accounts",
    "synth_10": "lz synth, 10 accounts (the example)",
    "synth_100": "lz synth, 100 accounts",
    "synth_1000": "lz synth, 1,000 accounts",
    "resynth_1000": "lz synth, 1,000 accounts, after a one-account change (incremental, into the previous output)",
    "scan_10": "lz scan (checkov gate), the example",
    "scan_100": "lz scan (checkov gate), 100 accounts",
    "plan_review_100": "lz plan-review, 100 plan files",
    "affected_1000": "lz affected, 1,000 accounts, one account stack changed",
    "dashboard_1000": "lz dashboard, 1,000 accounts",
    "dashboard_ready_1000": "dashboard, 1,000 accounts: navigation to interactive in headless Chromium",
    "compliance_status_1000": "lz compliance status, 1,000 accounts x 40 rules from recorded aggregator pages (target 5 s)",
    "compliance_history_1m": "one account's history from a 1,000,000-observation store (process; the query alone is printed, target 200 ms)",
    "check_plan_500": "lz check-plan, a 500-resource plan (target 2 s)",
}


def one_stack_changed(out: Path, into: Path) -> Path:
    """A copy of the synth folder `out` with one account stack edited (a tag value), as a one-account change makes."""
    shutil.copytree(out, into, dirs_exist_ok=True)
    stack = sorted(p for p in (into / "stacks").iterdir() if p.name.startswith("account-"))[0] / "cdk.tf.json"
    data = json.loads(stack.read_text(encoding="utf-8"))
    data.setdefault("locals", {})["bench_edit"] = "one account changed"
    stack.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return into


def one_account_edited(env: Path, into: Path) -> Path:
    """A copy of the generated environment `env` (same file name, its request files beside it) with one vended
    account's tags changed, as a one-account pull request makes."""
    if (env.parent / env.stem).is_dir():
        shutil.copytree(env.parent / env.stem, into / env.stem, dirs_exist_ok=True)
    into.mkdir(parents=True, exist_ok=True)
    data = yaml.safe_load(env.read_text(encoding="utf-8"))
    data["account_factory"]["requests"][-1].setdefault("tags", {})["cost-center"] = "bench-edit"
    target = into / env.name
    target.write_text(yaml.safe_dump(data, sort_keys=False, width=120), encoding="utf-8")
    return target


def measure_resynth(env: Path, out: Path, work: Path, runs: int, log: Path) -> dict:
    """`lz synth` after a one-account change into a copy of the full synth `out` (incremental: the unchanged stacks
    are reused), each run on a fresh copy in a folder beside `out`."""
    n = env.stem.rsplit("-", 1)[-1]
    edited = one_account_edited(env, work / f"edited-{n}")
    into = out.parent / f"{out.name}-resynth"
    series = Series(f"re-synth {n}")
    for _ in range(runs):
        shutil.rmtree(into, ignore_errors=True)
        shutil.copytree(out, into)
        measure(series, [LZ, "synth", str(edited), "--out", str(into)], 1, log, of=runs)
    return series.summary()


def measure_dashboard(results: dict, env: Path, n: int, work: Path, runs: int, log: Path) -> None:
    """`lz dashboard` at n accounts: time (fresh processes), size of the site, and time to interactive in Chromium."""
    m = results["measurements"]
    site = work / f"dashboard-{n}"
    m[f"dashboard_{n}"] = measure(Series(f"dashboard {n}"), [LZ, "dashboard", str(env), "--out", str(site)], runs, log).summary()
    if (site / "index.html").is_file():
        results[f"dashboard_{n}_mb"] = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20
        progress(f"dashboard {n}: {results[f'dashboard_{n}_mb']:.2f} MB")
        try:
            seconds = ready_seconds(site / "index.html", runs)
        except Exception as exc:  # no Chromium on this machine: say so, measure the rest
            m[f"dashboard_ready_{n}"] = Series(f"dashboard ready {n}", [], f"not measured: {exc}").summary()
        else:
            m[f"dashboard_ready_{n}"] = Series(f"dashboard ready {n}", [Run(s, 0, 0, 0.0) for s in seconds]).summary()
            progress(f"dashboard {n} interactive after {', '.join(f'{s:.2f}' for s in seconds)} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (default 3)")
    parser.add_argument("--sizes", default="100,1000", help="generated sizes beside the example (default 100,1000)")
    parser.add_argument("--results", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument("--markdown", default=str(ROOT / "BENCHMARKS.md"))
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a temporary folder)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    runs = max(1, args.runs)

    results = {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "versions": versions(),
        "base_accounts": EXAMPLE_ACCOUNTS,
        "runs_asked": runs,
        "labels": LABELS,
        "measurements": {},
    }
    progress(f"load average {results['machine']['load_start']}; {results['machine']['cores']} cores")
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="lz-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    log = work / "commands.log"
    m = results["measurements"]
    try:
        envs = {EXAMPLE_ACCOUNTS: EXAMPLE}
        for n in sizes:
            envs[n] = write_environment(n, work)
            progress(f"wrote {envs[n]}")

        for n, env in envs.items():
            m[f"validate_{n}"] = measure(Series(f"validate {n}"), [LZ, "validate", str(env)], runs, log).summary()
        for n in [s for s in sizes if s >= 1000]:
            measure_dashboard(results, envs[n], n, work, runs, log)
        # -O as `lz synth` runs (landing_zone/speed/optimized_python.py): the same bytecode files are read.
        floor = [sys.executable, "-O", str(ROOT / "bench" / "floor.py")]
        m["floor"] = measure(Series("floor"), floor, runs, log).summary()
        whole = {"LZ_SPEED_OFF": "binding_subset"}
        m["floor_whole"] = measure(Series("floor, the binding whole"), floor, runs, log, env=whole).summary()

        outs = {n: work / f"out-{n}" for n in envs}
        for n in [EXAMPLE_ACCOUNTS] + [s for s in sizes if s < 1000]:
            m[f"synth_{n}"] = measure(
                Series(f"synth {n}"), [LZ, "synth", str(envs[n]), "--out", str(outs[n]), "--full"], runs, log
            ).summary()
            if n <= 100:
                m[f"scan_{n}"] = measure(
                    Series(f"scan {n}"), [LZ, "scan", str(outs[n]), "--env", str(envs[n])], runs, log
                ).summary()

        if 100 in envs:
            plans = write_plans(outs[100], work / "plans-100", 100)
            progress(f"wrote {len(plans)} plan files to {plans[0].parent}")
            m["plan_review_100"] = measure(
                Series("plan-review 100"),
                [
                    LZ,
                    "plan-review",
                    str(plans[0].parent),
                    "--manifest",
                    str(outs[100] / "lz-manifest.json"),
                    "--format",
                    "text",
                    "--output",
                    str(work / "review.txt"),
                ],
                max(runs, 5),
                log,
            ).summary()

        if 1000 in envs:  # bench/compliance.py: the compliance benchmarks of the issue
            script = [sys.executable, str(ROOT / "bench" / "compliance.py")]
            subprocess.run([*script, "prepare", str(work), "--env", str(envs[1000])], check=True, cwd=ROOT)
            m["compliance_status_1000"] = measure(
                Series("compliance status 1000"), [*script, "status", str(envs[1000]), str(work / "pages.json")], runs, log
            ).summary()
            m["compliance_history_1m"] = measure(
                Series("compliance history 1M"), [*script, "history", str(work / "compliance.sqlite")], runs, log
            ).summary()
            m["check_plan_500"] = measure(
                Series("check-plan 500"), [*script, "check-plan", str(EXAMPLE), str(work / "plan-500.json")], runs, log
            ).summary()

        for n in [s for s in sizes if s >= 1000]:
            series = Series(f"synth {n}")
            out = [LZ, "synth", str(envs[n]), "--out", str(outs[n]), "--full"]
            while len(series.runs) < runs:
                measure(series, out, 1, log, of=runs)
                elapsed = time.perf_counter() - START
                longest = max(r.seconds for r in series.runs)
                if len(series.runs) < runs and elapsed + longest * MARGIN > BUDGET_S:  # runs swing with the load
                    series.note = (
                        f"{len(series.runs)} of {runs} runs: another would take the whole benchmark "
                        f"past {BUDGET_S / 60:g} min ({elapsed / 60:.1f} min so far)"
                    )
                    progress(f"{series.name}: {series.note}")
                    break
            m[f"synth_{n}"] = series.summary()
            if outs[n].is_dir():
                m[f"resynth_{n}"] = measure_resynth(envs[n], outs[n], work, runs, log)
                head = one_stack_changed(outs[n], work / f"out-{n}-changed")
                m[f"affected_{n}"] = measure(
                    Series(f"affected {n}"), [LZ, "affected", str(outs[n]), str(head), "--format", "json"], max(runs, 5), log
                ).summary()
    finally:
        results["machine"]["load_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
        results["total_seconds"] = time.perf_counter() - START
        write(results, Path(args.results), Path(args.markdown))
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    progress(f"wrote {args.results} and {args.markdown} in {results['total_seconds'] / 60:.1f} min")
    failed = [k for k, s in m.items() if any(rc != 0 for rc in s["returncodes"])]
    if failed:
        progress(f"commands that failed: {', '.join(failed)} (exit status in {args.results})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
