"""bench/results.json and the results table in BENCHMARKS.md.

`derive(results)` computes the ratios and checks each target from the
measured medians; `markdown(results)` renders them; `write(...)` puts the
table between the markers in BENCHMARKS.md, keeping the hand-written notes
around it.
"""

from __future__ import annotations

import json
from pathlib import Path

BEGIN = "<!-- bench:results:begin -->"
END = "<!-- bench:results:end -->"

# Targets of issue 10.
VALIDATE_1000_S = 1.0
SYNTH_OVER_FLOOR = 1.25
SYNTH_1000_S = 90.0
SYNTH_1000_MB = 3 * 1024
PER_ACCOUNT_FLATNESS = 0.20
CHECKOV_EXAMPLE_S = 60.0
PLAN_REVIEW_100_S = 2.0
AFFECTED_1000_S = 2.0  # issue 21
PER_ACCOUNT_GROWTH = 0.20  # issue 21: the per-account cost "does not grow by more than 20 %" (a fall is no growth)
RESYNTH_OVER_FLOOR = 1.5  # issue 21: re-synth after a one-account change, 1,000 accounts
# Targets of issue 18 (the dashboard).
DASHBOARD_1000_S = 5.0
DASHBOARD_1000_MB = 5.0
DASHBOARD_READY_S = 2.0


def _median(results: dict, key: str) -> float | None:
    return (results["measurements"].get(key) or {}).get("median_s")


def _median_cpu(results: dict, key: str) -> float | None:
    return (results["measurements"].get(key) or {}).get("median_cpu_s")


def _peak(results: dict, key: str) -> float | None:
    return (results["measurements"].get(key) or {}).get("peak_mb_max")


def _target(name: str, measured, limit, met: bool | None, unit: str) -> dict:
    return {
        "target": name,
        "measured": measured,
        "limit": limit,
        "unit": unit,
        "status": "not measured" if met is None else ("met" if met else "missed"),
    }


def per_account(results: dict, accounts: int, base: int, median=_median) -> float | None:
    """(synth(N) - synth(base)) / (N - base), from the medians: the cost of one more account."""
    high, low = median(results, f"synth_{accounts}"), median(results, f"synth_{base}")
    if high is None or low is None:
        return None
    return (high - low) / (accounts - base)


def derive(results: dict) -> dict:
    """Ratios and targets (met / missed / not measured) from results['measurements']."""
    floor = _median(results, "floor")
    synth_example = _median(results, "synth_10")
    base = results.get("base_accounts", 10)
    ratios = {
        "synth_over_floor_example": synth_example / floor if floor and synth_example else None,
        "synth_over_floor_example_cpu": (
            _median_cpu(results, "synth_10") / _median_cpu(results, "floor")
            if _median_cpu(results, "floor") and _median_cpu(results, "synth_10")
            else None
        ),
        "per_account_s_100": per_account(results, 100, base),
        "per_account_s_1000": per_account(results, 1000, base),
        "per_account_formula": f"(median synth(N) - median synth({base})) / (N - {base})",
        "per_account_cpu_s_100": per_account(results, 100, base, _median_cpu),
        "per_account_cpu_s_1000": per_account(results, 1000, base, _median_cpu),
    }
    # Against the binding imported whole (the floor before speed/binding_subset.py): how the ratios read before.
    whole = _median(results, "floor_whole")
    resynth_s = _median(results, "resynth_1000")
    ratios["synth_over_floor_whole_example"] = synth_example / whole if whole and synth_example else None
    ratios["resynth_over_floor_whole"] = resynth_s / whole if whole and resynth_s else None
    p100, p1000 = ratios["per_account_s_100"], ratios["per_account_s_1000"]
    ratios["per_account_change_100_to_1000"] = (p1000 / p100 - 1) if p100 and p1000 is not None else None
    change = ratios["per_account_change_100_to_1000"]
    c100, c1000 = ratios["per_account_cpu_s_100"], ratios["per_account_cpu_s_1000"]
    ratios["per_account_cpu_change_100_to_1000"] = (c1000 / c100 - 1) if c100 and c1000 is not None else None
    cpu_change = ratios["per_account_cpu_change_100_to_1000"]

    growth = None if change is None or cpu_change is None else max(change, cpu_change)

    def check(value, limit, higher_is_bad=True):
        return None if value is None else (value <= limit if higher_is_bad else value >= limit)

    v1000, s1000, m1000 = _median(results, "validate_1000"), _median(results, "synth_1000"), _peak(results, "synth_1000")
    ratio = ratios["synth_over_floor_example"]
    floor = _median(results, "floor")
    resynth = _median(results, "resynth_1000") / floor if floor and _median(results, "resynth_1000") else None
    targets = [
        _target("validate, 1,000 accounts", v1000, VALIDATE_1000_S, check(v1000, VALIDATE_1000_S), "s"),
        _target("synth of the example / floor", ratio, SYNTH_OVER_FLOOR, check(ratio, SYNTH_OVER_FLOOR), "x"),
        _target("synth, 1,000 accounts: time", s1000, SYNTH_1000_S, check(s1000, SYNTH_1000_S), "s"),
        _target(
            "synth, 1,000 accounts: peak memory of the process tree", m1000, SYNTH_1000_MB, check(m1000, SYNTH_1000_MB), "MB"
        ),
        _target(
            "per-account synth cost, 100 -> 1,000 accounts",
            change,
            PER_ACCOUNT_FLATNESS,
            None if change is None else abs(change) <= PER_ACCOUNT_FLATNESS,
            "change",
        ),
        _target(
            "per-account synth cost in CPU seconds, 100 -> 1,000 accounts",
            cpu_change,
            PER_ACCOUNT_FLATNESS,
            None if cpu_change is None else abs(cpu_change) <= PER_ACCOUNT_FLATNESS,
            "change",
        ),
        _target(
            "per-account synth cost grows at most 20 %, 100 -> 1,000 accounts (issue 21; the larger of wall and CPU)",
            growth,
            PER_ACCOUNT_GROWTH,
            None if growth is None else growth <= PER_ACCOUNT_GROWTH,
            "growth",
        ),
        _target(
            "checkov gate on the example",
            _median(results, "scan_10"),
            CHECKOV_EXAMPLE_S,
            check(_median(results, "scan_10"), CHECKOV_EXAMPLE_S),
            "s",
        ),
        _target(
            "plan review, 100 plan files",
            _median(results, "plan_review_100"),
            PLAN_REVIEW_100_S,
            check(_median(results, "plan_review_100"), PLAN_REVIEW_100_S),
            "s",
        ),
        _target(
            "re-synth after a one-account change, 1,000 accounts / floor",
            resynth,
            RESYNTH_OVER_FLOOR,
            check(resynth, RESYNTH_OVER_FLOOR),
            "x",
        ),
        _target(
            "lz affected, 1,000 accounts (one account changed)",
            _median(results, "affected_1000"),
            AFFECTED_1000_S,
            check(_median(results, "affected_1000"), AFFECTED_1000_S),
            "s",
        ),
        _target(
            "lz dashboard, 1,000 accounts: time",
            _median(results, "dashboard_1000"),
            DASHBOARD_1000_S,
            check(_median(results, "dashboard_1000"), DASHBOARD_1000_S),
            "s",
        ),
        _target(
            "lz dashboard, 1,000 accounts: size of the site",
            results.get("dashboard_1000_mb"),
            DASHBOARD_1000_MB,
            check(results.get("dashboard_1000_mb"), DASHBOARD_1000_MB),
            "MB",
        ),
        _target(
            "dashboard, 1,000 accounts: interactive in headless Chromium",
            _median(results, "dashboard_ready_1000"),
            DASHBOARD_READY_S,
            check(_median(results, "dashboard_ready_1000"), DASHBOARD_READY_S),
            "s",
        ),
    ]
    return {"ratios": ratios, "targets": targets}


def _fmt(value, unit: str = "s") -> str:
    if value is None:
        return "-"
    if unit in ("change", "growth"):
        return f"{value:+.0%}"
    if unit == "x":
        return f"{value:.2f} x"
    if unit == "MB":
        return f"{value:,.1f} MB" if value < 10 else f"{value:,.0f} MB"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def markdown(results: dict) -> str:
    """The results section: machine, versions, every measurement, ratios, targets."""
    m = results["machine"]
    lines = [
        f"Measured {results['date']} on {m['cpu_model']} ({m['cores']} cores, {m['memory_gb']:.0f} GB); "
        f"load average at start {m['load_start']}, at end {m.get('load_end', '-')} (the machine is shared). "
        f"Total run {results.get('total_seconds', 0) / 60:.1f} min.",
        "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in results["versions"].items()) + ".",
        "",
        "| measurement | runs | median | min | max | median CPU (user+sys) | peak memory (tree) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for key, s in results["measurements"].items():
        if not s.get("runs"):
            continue
        label = results.get("labels", {}).get(key, key)
        lines.append(
            f"| {label} | {s['runs']} | {_fmt(s['median_s'])} | {_fmt(s['min_s'])} | {_fmt(s['max_s'])} | "
            f"{_fmt(s.get('median_cpu_s'))} | {_fmt(s['peak_mb_max'], 'MB')} |"
        )
    notes = [f"- {results.get('labels', {}).get(k, k)}: {s['note']}" for k, s in results["measurements"].items() if s.get("note")]
    if notes:
        lines += ["", *notes]
    d = derive(results)
    r = d["ratios"]
    lines += [
        "",
        f"Ratios: synth of the example ÷ floor = {_fmt(r['synth_over_floor_example'], 'x')} "
        f"({_fmt(r['synth_over_floor_example_cpu'], 'x')} in CPU seconds); per-account synth cost "
        f"{r['per_account_formula']}: {_fmt(r['per_account_s_100'])} at 100, {_fmt(r['per_account_s_1000'])} at 1,000 "
        f"({_fmt(r['per_account_change_100_to_1000'], 'change')}); the same from CPU seconds, which the machine's "
        f"load moves less: {_fmt(r['per_account_cpu_s_100'])} at 100, {_fmt(r['per_account_cpu_s_1000'])} at 1,000 "
        f"({_fmt(r['per_account_cpu_change_100_to_1000'], 'change')}). Against the AWS binding imported whole "
        f"(floor_whole, the floor before speed/binding_subset.py): the example's synth "
        f"{_fmt(r.get('synth_over_floor_whole_example'), 'x')}, the re-synth at 1,000 accounts "
        f"{_fmt(r.get('resynth_over_floor_whole'), 'x')}.",
        "",
        "| target | measured | limit | status |",
        "|---|---:|---:|---|",
    ]
    for t in d["targets"]:
        limit = {"change": f"±{t['limit']:.0%}", "growth": f"+{t['limit']:.0%}"}.get(t["unit"]) or _fmt(t["limit"], t["unit"])
        lines.append(f"| {t['target']} | {_fmt(t['measured'], t['unit'])} | {limit} | {t['status']} |")
    return "\n".join(lines) + "\n"


def write(results: dict, results_file: Path, benchmarks_md: Path) -> None:
    """results.json (with the derived ratios and targets) and the table in BENCHMARKS.md."""
    results = {**results, **derive(results)}
    results_file.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    table = f"{BEGIN}\n{markdown(results)}{END}"
    text = benchmarks_md.read_text(encoding="utf-8") if benchmarks_md.is_file() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + table + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + table + "\n"
    benchmarks_md.write_text(text, encoding="utf-8")
