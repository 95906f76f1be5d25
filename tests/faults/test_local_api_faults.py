"""Issue 26: a local API that dies mid-run, a kept server, a reused endpoint's settings, and state repair."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from landing_zone.deploy.orchestrator import (
    GOOD_COPY_SUFFIX,
    Deploy,
    DeployError,
    DeployOptions,
    check_reused_server,
    keep_good_copy,
    kept_server,
    remember_kept_server,
    repair_state,
)
from landing_zone.local_aws.server import LocalAws, managed_policies_loaded


def test_a_dead_local_api_stops_the_run_within_seconds_with_the_log_tail(tmp_path):
    log = tmp_path / "moto.log"
    log.write_text("".join(f"line {i}\n" for i in range(40)) + "MemoryError: the last words\n")
    deploy = Deploy(DeployOptions(env_file="x.yaml", local=True, out=str(tmp_path)))
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)
    deploy.server = LocalAws(port=1, log_file=log, process=process)
    stop = deploy._watch_server()
    assert stop is not None
    process.send_signal(signal.SIGKILL)
    deadline = time.monotonic() + 5
    while deploy.server_died is None and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    assert deploy.server_died is not None, "not noticed within 5 s"
    first, *tail = deploy.server_died.splitlines()
    assert f"(pid {process.pid}) died mid-run: killed by SIGKILL (signal 9)" in first and str(log) in first
    assert tail[-1] == "  MemoryError: the last words" and len(tail) == 15


def test_only_a_server_that_really_stopped_is_reported_stopped(tmp_path, capsys):
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)
    process.kill()
    process.wait()
    deploy = Deploy(DeployOptions(env_file="x.yaml", local=True, out=str(tmp_path)))
    deploy.server = LocalAws(port=1, process=process)
    deploy._finish_server()
    err = capsys.readouterr().err
    assert "had already ended" in err and "killed by SIGKILL" in err and "stopped" not in err


def test_a_kept_server_is_found_again_and_a_gone_one_forgotten(tmp_path):
    with LocalAws() as server:
        assert server.pid is not None
        remember_kept_server(tmp_path, server.url, server.pid)
        assert kept_server(tmp_path) == {"url": server.url, "pid": server.pid}
    assert kept_server(tmp_path) is None
    assert not (tmp_path / "local-server.json").exists()


def test_a_reused_endpoint_without_managed_policies_is_named(monkeypatch):
    monkeypatch.delenv("MOTO_IAM_LOAD_MANAGED_POLICIES", raising=False)
    from moto.server import ThreadedMotoServer

    bare = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    bare.start()
    try:
        host, port = bare.get_host_and_port()
        url = f"http://127.0.0.1:{port}"
        assert not managed_policies_loaded(url)
        with pytest.raises(DeployError, match="MOTO_IAM_LOAD_MANAGED_POLICIES=true"):
            check_reused_server(url)
    finally:
        bare.stop()
    with LocalAws() as server:  # the server --local starts sets it
        assert managed_policies_loaded(server.url)
        check_reused_server(server.url)


def test_state_cut_short_gets_its_last_good_copy_and_a_stale_lock_goes(tmp_path):
    said: list[str] = []
    state = tmp_path / "management.tfstate"
    state.write_text(json.dumps({"version": 4, "serial": 7}))
    keep_good_copy(state)
    state.write_text("")  # terraform killed while writing
    lock = tmp_path / ".management.tfstate.lock.info"
    lock.write_text("{}")
    repair_state(state, said.append)
    assert json.loads(state.read_text())["serial"] == 7
    assert not lock.exists() and not (tmp_path / ("management.tfstate" + GOOD_COPY_SUFFIX)).exists()
    assert said == [
        f"restored {state} from its last good copy (terraform was killed while writing it)",
        f"removed the stale terraform lock {lock} (no live process held it)",
    ]
    fresh = tmp_path / "audit.tfstate"
    fresh.write_text('{"version": 4, "ser')  # no good copy: the stack had no state before
    repair_state(fresh, said.append)
    assert not fresh.exists() and said[-1].startswith(f"removed {fresh}")


def test_an_account_an_interrupted_apply_made_is_imported_not_made_again(tmp_path):
    from landing_zone.deploy.orchestrator import adopt_orphans
    from landing_zone.live.organization import organizations_client

    (tmp_path / "cdk.tf.json").write_text(
        json.dumps(
            {
                "resource": {
                    "aws_organizations_account": {
                        "account_audit": {"email": "aws+audit@tiny.example", "name": "audit"},
                        "account_log-archive": {"email": "aws+log-archive@tiny.example", "name": "log-archive"},
                        "account_new": {"email": "aws+new@tiny.example", "name": "new"},
                    }
                }
            }
        )
    )

    with LocalAws() as server:
        org = organizations_client(server.url)
        org.create_organization(FeatureSet="ALL")
        made = org.create_account(Email="aws+audit@tiny.example", AccountName="audit")["CreateAccountStatus"]["AccountId"]
        log_archive = org.create_account(Email="aws+log-archive@tiny.example", AccountName="log-archive")["CreateAccountStatus"][
            "AccountId"
        ]
        said: list[str] = []
        tf = FakeTerraform(tmp_path, [_recorded("account_log-archive", log_archive, "tainted")])  # interrupted while made
        assert adopt_orphans(tf, server.url, said.append) == [
            "aws_organizations_account.account_audit",
            "aws_organizations_account.account_log-archive",
        ]
    assert tf.imported == [  # audit: made, not recorded; log-archive: recorded tainted; new: not made yet
        ("aws_organizations_account.account_audit", made),
        ("untaint", "aws_organizations_account.account_log-archive"),
    ]
    assert said == [
        f"[management] aws_organizations_account.account_audit exists as account {made} but not in the state "
        "(an interrupted run made it): importing it",
        f"[management] aws_organizations_account.account_log-archive (account {log_archive}) is tainted by an "
        "interrupted run but exists: untainting it",
    ]


def _recorded(name: str, resource_id: str, status: str | None = None, type: str = "aws_organizations_account") -> dict:
    """A resource as `terraform state pull` lists it."""
    instance: dict = {"attributes": {"id": resource_id}}
    if status:
        instance["status"] = status
    return {"mode": "managed", "type": type, "name": name, "instances": [instance]}


class FakeTerraform:
    """The management stack's terraform as adopt_orphans uses it: its state, and the imports and untaints asked for."""

    name = "management"

    def __init__(self, directory, resources: list[dict]):
        self.directory, self.resources, self.imported = directory, resources, []

    def state_pull(self):
        return {"resources": self.resources}

    def import_resource(self, address, resource_id):
        self.imported.append((address, resource_id))

    def untaint(self, address):
        self.imported.append(("untaint", address))


def test_a_policy_an_interrupted_apply_made_is_imported_not_made_again(tmp_path):
    """A killed apply that had made an SCP left it out of the state; made again, AWS refuses its name
    (DuplicatePolicyException). The next run imports it by type and name, and untaints a tainted one."""
    from landing_zone.deploy.orchestrator import adopt_orphans
    from landing_zone.live.organization import organizations_client

    scp = "SERVICE_CONTROL_POLICY"
    (tmp_path / "cdk.tf.json").write_text(
        json.dumps(
            {
                "resource": {
                    "aws_organizations_policy": {
                        "made": {"name": "lz-mandatory-1", "type": scp, "content": "{}"},
                        "tainted": {"name": "lz-mandatory-2", "content": "{}"},  # type defaults to SCP
                        "tag": {"name": "lz-mandatory-1", "type": "TAG_POLICY", "content": "{}"},  # same name, other type
                        "new": {"name": "lz-new", "type": scp, "content": "{}"},
                    }
                }
            }
        )
    )

    with LocalAws() as server:
        org = organizations_client(server.url)
        org.create_organization(FeatureSet="ALL")
        deny = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]})
        first = org.create_policy(Name="lz-mandatory-1", Type=scp, Content=deny, Description="d")["Policy"]["PolicySummary"]["Id"]
        second = org.create_policy(Name="lz-mandatory-2", Type=scp, Content=deny, Description="d")["Policy"]["PolicySummary"][
            "Id"
        ]
        said: list[str] = []
        tf = FakeTerraform(tmp_path, [_recorded("tainted", second, "tainted", type="aws_organizations_policy")])
        assert adopt_orphans(tf, server.url, said.append) == [
            "aws_organizations_policy.made",
            "aws_organizations_policy.tainted",
        ]
    assert tf.imported == [("aws_organizations_policy.made", first), ("untaint", "aws_organizations_policy.tainted")]
    assert said[0] == (
        f"[management] aws_organizations_policy.made exists as policy {first} but not in the state "
        "(an interrupted run made it): importing it"
    )
