"""Run a command, time it and sample the peak memory of its whole process tree.

`lz synth` is a python process with a node child (the jsii runtime), so the
peak of one process (getrusage maxrss) undercounts: the tree's resident
memory is summed from /proc every SAMPLE_SECONDS and the highest sum kept.
CPU seconds (user + system, the process and the children it waited for,
from wait4) are kept too: on a shared machine they move far less with the
load than wall time does.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

SAMPLE_SECONDS = 0.05
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_bytes: int
    returncode: int
    cpu_seconds: float = 0.0


def _children(pid: int) -> list[int]:
    """Child pids of `pid`; none once it has ended (a sampled process can end at any moment)."""
    out: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").glob("*/children"))
    except OSError:
        return out  # the process ended (and was reaped) before its tasks were listed
    for task in tasks:
        try:
            out.extend(int(x) for x in task.read_text().split())
        except OSError:
            pass  # the task ended between listing and reading
    return out


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(root: int) -> int:
    """Resident bytes of `root` and every descendant right now."""
    total, todo, seen = 0, [root], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += _rss(pid)
        todo.extend(_children(pid))
    return total


def run_once(argv: Sequence[str], cwd: Path, env: dict | None = None, log: Path | None = None) -> Run:
    """Run argv to the end; wall seconds, the tree's peak resident bytes, exit status, CPU seconds."""
    sink = open(log, "ab") if log else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), cwd=cwd, env=env, stdout=sink, stderr=sink)
        peak = 0
        while True:
            peak = max(peak, tree_rss(proc.pid))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if log:
            sink.close()
    return Run(seconds, peak, proc.returncode, usage.ru_utime + usage.ru_stime)


@dataclass
class Series:
    """Repeated runs of one measurement."""

    name: str
    runs: list[Run] = field(default_factory=list)
    note: str = ""

    def summary(self) -> dict:
        secs = [r.seconds for r in self.runs]
        peaks = [r.peak_bytes for r in self.runs]
        cpu = [r.cpu_seconds for r in self.runs]
        out = {
            "runs": len(self.runs),
            "seconds": secs,
            "median_s": statistics.median(secs) if secs else None,
            "cpu_s": cpu,
            "median_cpu_s": statistics.median(cpu) if cpu else None,
            "min_s": min(secs) if secs else None,
            "max_s": max(secs) if secs else None,
            "peak_mb": [round(p / 2**20) for p in peaks],
            "peak_mb_max": round(max(peaks) / 2**20) if peaks else None,
            "returncodes": [r.returncode for r in self.runs],
        }
        if self.note:
            out["note"] = self.note
        return out
