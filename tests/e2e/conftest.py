"""End-to-end tier: the example environment deployed to a moto server on 127.0.0.1.

One module-scoped deployment (each terraform apply pays ~10 s of provider
start-up); the tests run in file order against it and the last ones destroy
it. Timings of every terraform phase are printed in pytest's summary.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from landing_zone.local_aws.server import LocalAws, client_env
from landing_zone.terraform.find_mirror import find_mirror

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = "environments/example.yaml"
TIMINGS: dict[str, dict[str, float]] = {}
AUDIT: dict = {}
"""Prowler's CIS 3.0 audit of the deployment (audit_checks.py): counts, seconds, what failed."""
LZ_TIMEOUT = 3600  # a hang guard only: a loaded 2-core machine needs ~25 min for a deploy


@dataclass
class Deployment:
    server: LocalAws
    out: Path
    env: dict
    deploy: subprocess.CompletedProcess
    timings: dict = field(default_factory=lambda: TIMINGS)
    audit: dict = field(default_factory=lambda: AUDIT)

    def lz(self, *args: str) -> subprocess.CompletedProcess:
        """`lz ARGS` against this deployment's server, output captured.

        The timeout only guards against a hang; on expiry the whole process
        group this call started (lz and its terraform children) is ended.
        """
        command = [sys.executable, "-m", "landing_zone.cli.main", *args]
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,  # no terminal: a plan-first deploy without --yes refuses, never waits for an answer
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=LZ_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGTERM)
            stdout, stderr = process.communicate()
            raise AssertionError(f"lz {' '.join(args)} did not finish within {LZ_TIMEOUT} s:\n{stderr[-4000:]}") from None
        return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


@pytest.fixture(scope="module")
def deployment(request) -> Deployment:
    """`lz deploy example --local --allow-destroy-accounts` against a server this fixture starts and stops.

    The folder is our own, not pytest's tmp_path: another pytest run on the
    machine prunes old tmp_path folders, state files included, mid-deploy.
    """
    failed_before = request.session.testsfailed
    work = Path(tempfile.mkdtemp(prefix="lz-e2e-"))
    out = work / "out"
    out.mkdir()
    server = LocalAws(log_file=out / "moto.log").start()
    try:
        env = client_env(server.url)
        # Reports wrap at 100 columns in a pipe; the checks read whole lines (commands, table rows).
        env["COLUMNS"] = "1000"
        mirror = env.get("LZ_TF_PROVIDER_MIRROR") or find_mirror()
        if mirror:
            env["LZ_TF_PROVIDER_MIRROR"] = str(mirror)
        deployment = Deployment(server, out, env, None)  # type: ignore[arg-type]
        deployment.deploy = deployment.lz("deploy", EXAMPLE, "--local", "--allow-destroy-accounts", "--out", str(out), "-v")
        assert deployment.deploy.returncode == 0, (
            f"(logs in {out}/stacks/*/.terraform-*.log)\n" + deployment.deploy.stderr[-4000:]
        )
        yield deployment
    finally:
        server.stop()
    if request.session.testsfailed == failed_before:
        shutil.rmtree(work, ignore_errors=True)
    else:  # keep the logs and state of a failed run
        print(f"\nend-to-end work folder kept: {work}", file=sys.stderr)


def pytest_terminal_summary(terminalreporter) -> None:
    if AUDIT.get("counts"):
        counts, seconds = AUDIT["counts"], AUDIT.get("seconds", {})
        terminalreporter.write_sep("-", "outside audit (Prowler, CIS 3.0)")
        terminalreporter.write_line(
            f"{counts['PASS']} PASS, {counts['FAIL']} FAIL, {counts['MANUAL']} MANUAL, {AUDIT['muted']} muted; "
            f"Prowler {seconds.get('total', 0):.0f} s for 3 accounts side by side "
            f"({', '.join(f'{k} {v:.0f} s' for k, v in seconds.items() if k != 'total')}); "
            f"waited {AUDIT.get('waited for .venv-audit', 0):.0f} s for .venv-audit"
        )
    if not TIMINGS:
        return
    from landing_zone.render import text_table as table

    phases = ["init", "apply", "plan", "destroy"]
    rows = [[stack] + [f"{t[p]:.1f}" if p in t else "-" for p in phases] for stack, t in TIMINGS.items()]
    terminalreporter.write_sep("-", "end-to-end terraform timings (seconds)")
    terminalreporter.write_line(table(["stack"] + phases, rows))
