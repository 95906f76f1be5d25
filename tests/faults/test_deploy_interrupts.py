"""Issue 26: `lz deploy --local` interrupted mid-apply, as a terminal, a CI runner and a background job do it.

One moto server and one output folder (the tiny environment's management
stack only, to stay within ~3 minutes): each run is interrupted in
`terraform apply` once the organization is created, and must exit within 60 s with 130 (SIGINT) or 143
(SIGTERM), leave no process behind (every process the run started carries
its tag) and leave every state file valid JSON with no terraform lock. The
server is reset between runs so each one is interrupted while it creates;
after the last (two SIGINTs in a row) a plain re-run converges: one
organization, each account once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from fault_procs import ROOT, TAG_VAR, TINY, assert_nothing_left, cmdline, lz_env, tagged

from landing_zone.local_aws.server import LocalAws, client_env, reset
from landing_zone.terraform.find_mirror import find_mirror

pytestmark = pytest.mark.e2e

APPLYING = "created aws_organizations_organization.organization"  # mid-apply: the organization made, the rest not


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with LocalAws(log_file=tmp_path_factory.mktemp("moto") / "moto.log") as local:
        yield local


def _env(url: str) -> dict:
    env = client_env(url, lz_env())
    mirror = env.get("LZ_TF_PROVIDER_MIRROR") or find_mirror()
    if mirror:
        env["LZ_TF_PROVIDER_MIRROR"] = str(mirror)
    return env


def _deploy_args(out: Path, synth: bool) -> list[str]:
    args = [sys.executable, "-m", "landing_zone.cli.main", "deploy", TINY, "--local", "--out", str(out), "--stacks", "management"]
    return args + ([] if synth else ["--no-synth"]) + ["--no-tree", "-v"]  # -v: a line per command and resource


def _wait_for(log: Path, needle: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if needle in log.read_text(errors="replace"):
            return
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError(f"no {needle!r} in:\n{log.read_text(errors='replace')[-3000:]}")


def _terraform_apply(env: dict, proc: subprocess.Popen, timeout: float = 30) -> list[int]:
    """Pids of the run's `terraform apply` (it starts just after lz says so)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        argv = {pid: cmdline(pid).split(" ")[1:3] for pid in tagged(env[TAG_VAR])}  # "<pid>: <argv0> <argv1> ..."
        found = [pid for pid, args in argv.items() if len(args) == 2 and args[0].endswith("/terraform") and args[1] == "apply"]
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"no terraform apply among {[cmdline(pid) for pid in tagged(env[TAG_VAR])]}")


def _check_state(out: Path) -> None:
    states = list((out / "local-state").rglob("*.tfstate*"))
    for state in states:
        if state.stat().st_size or not state.name.endswith(".tfstate"):
            json.loads(state.read_text())  # valid JSON, never cut short
    assert not list((out / "local-state").rglob("*.lock.info")), "a terraform lock was left behind"


def _interrupted(out: Path, url: str, how: str, *, synth: bool = False, tmp: Path) -> str:
    """One deploy interrupted `how`; returns its stderr after checking exit code, time, processes and state."""
    env = _env(url)
    log = tmp / f"{how}.log"
    with open(log, "w") as sink:
        if how == "background":
            # A non-interactive shell starts a background job with SIGINT ignored, as CI runners do.
            script = " ".join(f"'{a}'" for a in _deploy_args(out, synth)) + " & echo $! > pid; wait $!"
            proc = subprocess.Popen(["bash", "-c", script], cwd=tmp, env=env, stdout=sink, stderr=sink, start_new_session=True)
        else:
            proc = subprocess.Popen(
                _deploy_args(out, synth),
                cwd=ROOT,
                env=env,
                stdout=sink,
                stderr=sink,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        if how == "twice":
            # A terraform that hangs and ignores the first signal, which is what the second is for: stopped
            # (SIGSTOP) as its apply starts, it cannot end before the second comes, however fast it would stop
            # under no load, and it has created nothing (a killed apply that had would leave it out of the state).
            _wait_for(log, "[management] terraform apply ...", proc)
            for pid in _terraform_apply(env, proc):
                os.kill(pid, signal.SIGSTOP)
        else:
            _wait_for(log, APPLYING, proc)
        target = int((tmp / "pid").read_text()) if how == "background" else proc.pid
        sent = time.monotonic()
        if how == "group":
            os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C at a terminal
        elif how == "sigterm":
            os.kill(target, signal.SIGTERM)
        else:
            os.kill(target, signal.SIGINT)  # a CI runner cancelling: the lz pid alone
        if how == "twice":
            _wait_for(log, "SIGINT received", proc, timeout=30)
            os.kill(target, signal.SIGINT)
        proc.wait(timeout=90)
        seconds = time.monotonic() - sent
    err = log.read_text(errors="replace")
    expected = 143 if how == "sigterm" else 130
    assert proc.returncode == expected, err[-3000:]
    assert seconds < 60, f"took {seconds:.0f} s to stop"
    assert "Traceback" not in err, err[-3000:]
    assert ("SIGTERM" if how == "sigterm" else "SIGINT") + " received" in err
    assert_nothing_left(proc, env)
    _check_state(out)
    return err


def test_interrupted_deploys_stop_cleanly_and_a_rerun_converges(server, tmp_path):
    out = tmp_path / "out"
    err = _interrupted(out, server.url, "group", synth=True, tmp=tmp_path)
    assert "local state: " in err and "Press Ctrl-C again" in err
    for how in ("pid", "background", "sigterm", "twice"):
        reset(server.url)  # interrupt each run while it creates, from scratch
        for state in (out / "local-state").rglob("*.tfstate*"):
            state.unlink()
        err = _interrupted(out, server.url, how, tmp=tmp_path)
        if how == "twice":
            assert "second signal (SIGINT): killed" in err
    env = _env(server.url)
    done = subprocess.run(_deploy_args(out, False), cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    print(done.stderr[-3000:])  # which accounts the interrupted runs left half-made and this run imported
    assert env[TAG_VAR]
    _check_state(out)
    org = boto3.client("organizations", endpoint_url=server.url, region_name="us-east-1", **_credentials(env))
    names = [a["Name"] for a in org.list_accounts()["Accounts"]]
    # each account once (no duplicates); moto names the management account itself
    assert len(names) == 3 and names.count("audit") == 1 and names.count("log-archive") == 1, names
    root = org.list_roots()["Roots"][0]["Id"]
    ous = [ou["Name"] for ou in org.list_organizational_units_for_parent(ParentId=root)["OrganizationalUnits"]]
    assert ous.count("Security") == 1, ous


def _credentials(env: dict) -> dict:
    return {"aws_access_key_id": env["AWS_ACCESS_KEY_ID"], "aws_secret_access_key": env["AWS_SECRET_ACCESS_KEY"]}
