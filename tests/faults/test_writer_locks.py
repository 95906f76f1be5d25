"""Issue 26 gaps: every writer takes the run lock (dashboard, compliance --record, bootstrap, adopt, -o files),
proven against a second, real process holding it; the lock is reentrant within a process; and a reused local
API endpoint that dies mid-run stops the deploy with a clear message.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from fault_procs import ROOT, TINY, assert_nothing_left, lz_env, start_lz

from landing_zone.atomic_output import atomic_folder
from landing_zone.run_lock import EXIT_BUSY, RunLockBusy, lock_path, run_lock

HOLD = """
import sys, time
from landing_zone.run_lock import run_lock
with run_lock(sys.argv[1], sys.argv[2]):
    print("held", flush=True)
    time.sleep(120)
"""


class Holder:
    """Another real process holding the run lock of `target` as `lz <command>`."""

    def __init__(self, target: Path, command: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(target), command],
            cwd=ROOT,
            env=lz_env(),
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        assert self.proc.stdout is not None and self.proc.stdout.readline().strip() == "held"

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()

    def __enter__(self) -> "Holder":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def run_cli(*args: str, timeout: float = 120) -> tuple[int, str]:
    env = lz_env()
    proc = start_lz(*args, env=env)
    _, err = proc.communicate(timeout=timeout)
    assert_nothing_left(proc, env)
    return proc.returncode, err


def busy_line(err: str, target: Path, command: str, pid: int) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert f"{target} is in use by `lz {command}` (pid {pid}, started " in lines[0], err
    assert f"(lock file {lock_path(target)})" in lines[0]


def test_a_second_dashboard_refuses_while_another_process_writes_it_and_waits_with_wait(tmp_path):
    out = tmp_path / "dashboard"
    with Holder(out, "dashboard") as holder:
        status, err = run_cli("dashboard", TINY, "--out", str(out))
        assert status == EXIT_BUSY
        busy_line(err, out, "dashboard", holder.proc.pid)
        assert not out.exists()
        waiting = start_lz("dashboard", TINY, "--out", str(out), "--wait")
        assert waiting.stderr is not None
        first = waiting.stderr.readline()  # its first word: it waits for the holder
        assert f"waiting for `lz dashboard` (pid {holder.proc.pid}" in first, first
        time.sleep(1)
        assert waiting.poll() is None and not out.exists()
    _, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert (out / "index.html").is_file()


def test_bootstrap_refuses_while_another_run_holds_its_folder(tmp_path):
    from bootstrap.envs import GITHUB, write_env

    env_file = write_env(tmp_path / "envs", "lab", GITHUB)
    out = tmp_path / "bootstrap-out"
    with Holder(out, "bootstrap") as holder:
        status, err = run_cli("bootstrap", str(env_file), "--print", "--out", str(out))
    assert status == EXIT_BUSY
    busy_line(err, out, "bootstrap", holder.proc.pid)


def test_an_output_file_refuses_a_second_writer(tmp_path):
    target = tmp_path / "schema.json"
    with Holder(target, "schema") as holder:
        status, err = run_cli("schema", "--out", str(target))
    assert status == EXIT_BUSY
    busy_line(err, target, "schema", holder.proc.pid)
    assert not target.exists()


def test_the_compliance_store_and_adopts_import_file_refuse_a_second_writer(tmp_path):
    from landing_zone.compliance.store import record
    from landing_zone.live.adopt import AdoptPlan, write_imports

    store = tmp_path / ".lz" / "compliance.sqlite"
    with Holder(store, "compliance") as holder:
        with pytest.raises(RunLockBusy, match=f"in use by `lz compliance` \\(pid {holder.proc.pid}"):
            record(store, "tiny", [])
    assert record(store, "tiny", []) == 0  # free again
    imports = tmp_path / "adopt-imports.tf.json"
    with Holder(imports, "adopt") as holder:
        with pytest.raises(RunLockBusy, match=f"in use by `lz adopt` \\(pid {holder.proc.pid}"):
            write_imports(AdoptPlan(), imports)
    assert not imports.exists()


def test_the_lock_is_reentrant_within_a_process_and_still_excludes_others(tmp_path):
    out = tmp_path / "out"
    with run_lock(out, "synth"):
        with atomic_folder(out) as tmp:  # the synth holds its folder and writes it through the helper
            (tmp / "a").write_text("1")
        with run_lock(out, "synth"):
            pass
        probe = subprocess.run(
            [sys.executable, "-c", HOLD, str(out), "other"], cwd=ROOT, env=lz_env(), capture_output=True, text=True, timeout=60
        )
        assert probe.returncode != 0 and "RunLockBusy" in probe.stderr
    assert (out / "a").read_text() == "1"
    with Holder(out, "other"):  # released at the end of the outer block
        pass


# -- a reused endpoint that dies mid-run ---------------------------------------------------------------------


def test_a_reused_endpoint_that_stops_answering_stops_the_run(tmp_path, monkeypatch):
    from landing_zone.deploy.orchestrator import Deploy, DeployOptions, connection_refused

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    monkeypatch.setenv("LZ_AWS_ENDPOINT", url)
    deploy = Deploy(DeployOptions(env_file=TINY, out=str(tmp_path)))
    deploy.url = url
    killed = threading.Event()
    monkeypatch.setattr("landing_zone.deploy.orchestrator.kill_all", lambda: killed.set() or [])
    assert not connection_refused(url)
    stop = deploy._watch_endpoint(interval=0.2)
    try:
        time.sleep(1.5)  # alive (it accepts connections, even when slow to answer): nothing happens
        assert deploy.server_died is None and not killed.is_set()
        listener.close()
        assert killed.wait(10), "not noticed within 10 s"
    finally:
        stop.set()
    assert deploy.server_died is not None
    assert deploy.server_died.startswith(
        f"the local AWS API at {url} (LZ_AWS_ENDPOINT) stopped answering mid-run: the connection was refused 3 times in a row"
    )
    assert connection_refused(url)


@pytest.mark.e2e
@pytest.mark.slow
def test_a_deploy_to_a_reused_endpoint_that_dies_exits_non_zero_naming_it(tmp_path):
    """The real CLI: `lz deploy --local` reusing a moto server through LZ_AWS_ENDPOINT, killed mid-apply."""
    import os

    from landing_zone.local_aws.server import LocalAws
    from landing_zone.terraform.find_mirror import find_mirror

    mirror = os.environ.get("LZ_TF_PROVIDER_MIRROR") or find_mirror()
    with LocalAws(log_file=tmp_path / "moto.log") as server:
        env = lz_env(LZ_AWS_ENDPOINT=server.url, **({"LZ_TF_PROVIDER_MIRROR": str(mirror)} if mirror else {}))
        proc = start_lz("deploy", TINY, "--local", "--out", str(tmp_path / "out"), "--parallel", "1", "-v", env=env)
        lines: list[str] = []
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if "terraform apply ..." in line:
                server.stop()  # the reused server dies while terraform applies
                break
        _, rest = proc.communicate(timeout=120)
    err = "".join(lines) + (rest or "")
    assert proc.returncode == 1, err
    assert_nothing_left(proc, env)  # terraform and its provider plugins were ended with the run
    assert f"the local AWS API at {server.url} (LZ_AWS_ENDPOINT) stopped answering mid-run" in err
    assert "Traceback" not in err
