"""The benchmark's results: ratios, targets met or missed, and the table written into BENCHMARKS.md."""

import json
import os
import subprocess
import sys

from bench import measure
from bench.measure import Run, Series, run_once, tree_rss
from bench.report import BEGIN, END, derive, markdown, write


def series(name, seconds, peak_mb=100, note="", cpu=None):
    cpu = cpu or [0.0] * len(seconds)
    return Series(name, [Run(s, peak_mb * 2**20, 0, c) for s, c in zip(seconds, cpu)], note).summary()


def results(**overrides):
    m = {
        "floor": series("floor", [20, 21, 22]),
        "validate_1000": series("v", [0.8, 0.9, 1.4]),
        "synth_10": series("s10", [24, 25, 40], cpu=[20, 20, 20]),
        "synth_100": series("s100", [43, 45, 46], cpu=[29, 29, 29]),
        "synth_1000": series("s1000", [231], peak_mb=3500, note="1 of 3 runs", cpu=[218]),
        "scan_10": series("scan", [30, 31, 32]),
        "plan_review_100": series("pr", [2.5, 2.6, 2.7]),
        "affected_1000": series("a", [0.9, 1.0, 1.1]),
        "resynth_1000": series("rs", [25, 26, 27]),  # 26 / 21 = 1.24 x the floor: met
        "dashboard_1000": series("d", [4.0, 4.5, 6.0]),
        "dashboard_ready_1000": series("r", [0.4, 0.5, 0.6]),
    }
    m.update(overrides)
    return {
        "dashboard_1000_mb": 1.5,
        "date": "2026-01-01 00:00 UTC",
        "base_accounts": 10,
        "measurements": m,
        "machine": {"cpu_model": "Test CPU", "cores": 2, "memory_gb": 24.0, "load_start": "1.00 1.00 1.00"},
        "versions": {"cdktf": "0.21.0"},
        "labels": {"floor": "the floor"},
    }


def by_target(derived):
    return {t["target"]: t for t in derived["targets"]}


def test_ratios_use_the_medians_and_the_per_account_formula():
    d = derive(results())
    r = d["ratios"]
    assert r["synth_over_floor_example"] == 25 / 21
    assert r["per_account_s_100"] == (45 - 25) / 90
    assert r["per_account_s_1000"] == (231 - 25) / 990
    assert abs(r["per_account_change_100_to_1000"] - ((206 / 990) / (20 / 90) - 1)) < 1e-12


def test_the_ratios_against_the_whole_binding_import_are_reported_beside():
    measured = results(floor_whole=series("whole", [50, 52, 54]))
    d = derive(measured)
    assert d["ratios"]["synth_over_floor_whole_example"] == 25 / 52
    assert d["ratios"]["resynth_over_floor_whole"] == 26 / 52
    assert "the example's synth 0.48 x, the re-synth at 1,000 accounts 0.50 x" in markdown(measured)
    assert derive(results())["ratios"]["resynth_over_floor_whole"] is None  # not measured: no ratio


def test_each_target_is_met_missed_or_not_measured():
    t = by_target(derive(results()))
    assert t["validate, 1,000 accounts"]["status"] == "met"  # median 0.9 s
    assert t["synth of the example / floor"]["status"] == "met"  # 1.19 x
    assert t["synth, 1,000 accounts: time"]["status"] == "missed"
    assert t["synth, 1,000 accounts: peak memory of the process tree"]["status"] == "missed"
    assert t["per-account synth cost, 100 -> 1,000 accounts"]["status"] == "met"  # -6 %
    assert t["per-account synth cost in CPU seconds, 100 -> 1,000 accounts"]["status"] == "missed"  # 0.1 -> 0.2 s
    growth = t["per-account synth cost grows at most 20 %, 100 -> 1,000 accounts (issue 21; the larger of wall and CPU)"]
    assert growth["status"] == "missed" and growth["measured"] > 0.2  # the CPU cost doubled
    assert t["checkov gate on the example"]["status"] == "met"
    assert t["plan review, 100 plan files"]["status"] == "missed"
    partial = results()
    del partial["measurements"]["synth_1000"]
    t = by_target(derive(partial))
    assert t["synth, 1,000 accounts: time"]["status"] == "not measured"
    assert t["per-account synth cost, 100 -> 1,000 accounts"]["status"] == "not measured"


def test_a_per_account_cost_that_falls_meets_issue_21s_growth_target_not_issue_10s_flatness():
    falling = results()
    for key, seconds in (("synth_100", 45.0), ("synth_1000", 100.0)):  # (100-25)/990 per account against (45-25)/90
        falling["measurements"][key]["median_s"] = seconds
        falling["measurements"][key]["median_cpu_s"] = seconds
    t = by_target(derive(falling))
    assert t["per-account synth cost, 100 -> 1,000 accounts"]["status"] == "missed"  # -66 %: not flat (issue 10)
    growth = t["per-account synth cost grows at most 20 %, 100 -> 1,000 accounts (issue 21; the larger of wall and CPU)"]
    assert growth["status"] == "met" and growth["measured"] < 0
    assert "| +20% | met |" in markdown({**falling, **derive(falling)})


def test_markdown_shows_machine_measurements_notes_and_targets():
    text = markdown(results())
    assert "Test CPU (2 cores, 24 GB)" in text and "load average at start 1.00 1.00 1.00" in text
    assert "| the floor | 3 | 21.0 s | 20.0 s | 22.0 s | 0.00 s | 100 MB |" in text
    assert "0.10 s at 100, 0.20 s at 1,000 (+100%)" in text
    assert "- synth_1000: 1 of 3 runs" in text
    assert "| plan review, 100 plan files | 2.60 s | 2.00 s | missed |" in text
    assert "| synth, 1,000 accounts: peak memory of the process tree | 3,500 MB | 3,072 MB | missed |" in text


def test_write_replaces_only_the_table_between_the_markers(tmp_path):
    md = tmp_path / "BENCHMARKS.md"
    md.write_text(f"# Benchmarks\n\nnotes before\n\n{BEGIN}\nold table\n{END}\n\nnotes after\n")
    write(results(), tmp_path / "results.json", md)
    text = md.read_text()
    assert "old table" not in text and "notes before" in text and "notes after" in text
    assert text.count(BEGIN) == 1 and "| target | measured | limit | status |" in text
    saved = json.loads((tmp_path / "results.json").read_text())
    assert {t["status"] for t in saved["targets"]} == {"met", "missed"}
    assert saved["measurements"]["floor"]["median_s"] == 21


def test_peak_memory_counts_the_children_of_the_process(tmp_path):
    # a parent that holds little and a child that holds ~200 MB: the tree's peak must include the child
    child = "b = bytearray(200 * 2**20); import time; time.sleep(1.0)"
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}])"
    run = run_once([sys.executable, "-c", parent], tmp_path, dict(os.environ))
    assert run.returncode == 0
    assert run.peak_bytes > 200 * 2**20


def test_cpu_seconds_include_the_children_the_process_waited_for(tmp_path):
    busy = "import time\nend = time.process_time() + 0.5\nwhile time.process_time() < end: pass"
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {busy!r}], check=True)"
    run = run_once([sys.executable, "-c", parent], tmp_path, dict(os.environ))
    assert run.cpu_seconds >= 0.5


def test_a_process_reaped_while_it_is_sampled_counts_as_nothing(monkeypatch):
    # The sampler reads /proc while processes come and go. A child reaped after /proc/PID/task was
    # seen but before it was listed (a race the suite met) must count as nothing, not end the run.
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    assert tree_rss(proc.pid) == 0

    def listed_too_late(self, pattern):
        raise FileNotFoundError(2, "No such file or directory", str(self))

    monkeypatch.setattr(measure.Path, "glob", listed_too_late)
    assert measure._children(os.getpid()) == []


def test_dashboard_targets_time_size_and_interactive():
    r = results(dashboard_1000=series("d", [3.9, 4.1, 5.3]), dashboard_ready_1000=series("r", [0.3, 0.4, 2.5]))
    r["dashboard_1000_mb"] = 1.41
    t = by_target(derive(r))
    assert t["lz dashboard, 1,000 accounts: time"]["status"] == "met"  # median 4.1 s of 5
    assert t["lz dashboard, 1,000 accounts: size of the site"]["measured"] == 1.41
    assert t["lz dashboard, 1,000 accounts: size of the site"]["status"] == "met"
    assert t["dashboard, 1,000 accounts: interactive in headless Chromium"]["status"] == "met"
    assert "| lz dashboard, 1,000 accounts: size of the site | 1.4 MB | 5.0 MB | met |" in markdown(r)
    missing = results()
    del missing["measurements"]["dashboard_1000"], missing["dashboard_1000_mb"]
    t = by_target(derive(missing))
    assert t["lz dashboard, 1,000 accounts: time"]["status"] == t["lz dashboard, 1,000 accounts: size of the site"]["status"]
    assert t["lz dashboard, 1,000 accounts: time"]["status"] == "not measured"
