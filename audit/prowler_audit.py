"""`make audit`: Prowler's CIS 3.0 checks against the example deployed to the local AWS API (issue 28).

What it does, in order:
1. The local API: reuse LZ_AWS_ENDPOINT (a deployment already on it, such as a
   kept `make demo`), or start a moto server on 127.0.0.1 and deploy the
   example to it with `lz deploy --local` (about 10-15 min on 2 cores).
2. Prowler (its own virtualenv, .venv-audit, pinned in pyproject.toml's
   `audit` extra) for the management account, the network account and one
   workload account, in every governed region, `--compliance cis_3.0_aws`
   only. Member accounts are reached through the access role (`--role`).
3. Offline: every boto3 client goes to the local API (AWS_ENDPOINT_URL), any
   other HTTP(S) request goes to the local API as a proxy (which answers
   nothing else), no profile or credentials file is read, and Prowler's own
   banner and version check are off (`--no-banner`).
4. The mutelist is generated from audit/mutes.yaml, where every muted check
   has its reason; the run fails on any FAIL that is not muted, and prints
   each with its account, region, resource and Prowler's text.

Pure functions (mutes, mutelist, environment, findings) are tested in the unit
tier (tests/outside_audit/test_prowler_audit.py) without Prowler or a deployment.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

ROOT = Path(__file__).resolve().parents[1]
MUTES = Path(__file__).with_name("mutes.yaml")
EXAMPLE = ROOT / "environments" / "example.yaml"
FRAMEWORK = "cis_3.0_aws"
REASON_PREFIXES = ("moto does not implement ", "workload service, not the landing zone's: ")
"""Every mute's reason starts with one of these (issue 28: a local API gap, or a workload service)."""
AUDITED = ("management", "network", "workload")


@dataclass(frozen=True)
class Mute:
    check: str
    reason: str
    accounts: tuple[str, ...]
    """Which audited accounts (management, network, workload) it applies to ('*': all)."""


def load_mutes(path: Path = MUTES) -> list[Mute]:
    """audit/mutes.yaml: `checks: {<prowler check id>: {reason: ..., accounts: [...]}}`; ValueError on a bad entry."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if set(data) != {"checks"} or not isinstance(data["checks"], dict):
        raise ValueError(f"{path}: expected one key, checks: a mapping of Prowler check id -> reason and accounts")
    mutes = []
    for check, entry in data["checks"].items():
        if not isinstance(entry, dict) or set(entry) - {"reason", "accounts"}:
            raise ValueError(f"{path}: checks.{check}: expected reason and optional accounts")
        reason = str(entry.get("reason") or "").strip()
        if not reason.startswith(REASON_PREFIXES) or len(reason) <= max(len(p) for p in REASON_PREFIXES) + 5:
            raise ValueError(
                f"{path}: checks.{check}.reason: {reason!r} must say why, starting with "
                + " or ".join(repr(p) for p in REASON_PREFIXES)
            )
        accounts = tuple(entry.get("accounts") or ["*"])
        unknown = [a for a in accounts if a not in (*AUDITED, "*")]
        if unknown:
            raise ValueError(f"{path}: checks.{check}.accounts: {unknown} (allowed: {', '.join(AUDITED)} or '*')")
        mutes.append(Mute(check=check, reason=reason, accounts=accounts))
    return mutes


def prowler_mutelist(mutes: Iterable[Mute], account_ids: dict[str, str]) -> dict:
    """Prowler's mutelist (Mutelist.Accounts.<id>.Checks.<check>: Regions/Resources) for the audited accounts,
    `account_ids` mapping management/network/workload to their ids."""
    accounts: dict[str, dict] = {}
    for mute in mutes:
        targets = account_ids.values() if "*" in mute.accounts else [account_ids[a] for a in mute.accounts]
        for account_id in sorted(set(targets)):
            checks = accounts.setdefault(account_id, {"Checks": {}})["Checks"]
            checks[mute.check] = {"Regions": ["*"], "Resources": ["*"]}
    return {"Mutelist": {"Accounts": dict(sorted(accounts.items()))}}


def offline_env(url: str, base: Optional[dict] = None) -> dict:
    """Prowler's environment: dummy credentials, every AWS call and any other HTTP(S) request to the local API."""
    sys.path.insert(0, str(ROOT))
    from landing_zone.local_aws.server import client_env

    env = client_env(url, base)
    env["AWS_ENDPOINT_URL"] = url  # boto3 sends every service there (botocore's service-wide endpoint setting)
    env["HTTPS_PROXY"] = env["https_proxy"] = url  # anything else (such as a version check) reaches only the local API
    env.pop("AWS_PROFILE", None)
    return env


@dataclass(frozen=True)
class Finding:
    account: str
    region: str
    check: str
    status: str
    muted: bool
    resource: str
    text: str


def read_findings(csv_file: Path) -> list[Finding]:
    """Prowler's CSV output (semicolon-separated; column names upper case)."""
    with csv_file.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    return [
        Finding(
            account=row.get("ACCOUNT_UID", ""),
            region=row.get("REGION", ""),
            check=row.get("CHECK_ID", ""),
            status=row.get("STATUS", ""),
            muted=str(row.get("MUTED", "")).strip().lower() == "true",
            resource=row.get("RESOURCE_UID", ""),
            text=row.get("STATUS_EXTENDED", ""),
        )
        for row in rows
    ]


def failures(findings: Iterable[Finding]) -> list[Finding]:
    """The FAILs no mute covers."""
    return [f for f in findings if f.status == "FAIL" and not f.muted]


def _account_ids(url: str, env_file: Path) -> dict[str, str]:
    import boto3

    sys.path.insert(0, str(ROOT))
    from landing_zone.environment import load_environment

    config = load_environment(env_file).env
    env = offline_env(url)
    orgs = boto3.client(
        "organizations",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )
    by_name = {a["Name"]: a["Id"] for page in orgs.get_paginator("list_accounts").paginate() for a in page["Accounts"]}
    management = orgs.describe_organization()["Organization"]["MasterAccountId"]
    workload = next(a.name for a in config.accounts if a.ou.startswith("Workloads/Prod"))
    assert config.network is not None
    return {"management": management, "network": by_name[config.network.account], "workload": by_name[workload]}


def run(prowler: Path, env_file: Path, out: Path, url: str) -> int:
    sys.path.insert(0, str(ROOT))
    from landing_zone.environment import load_environment

    config = load_environment(env_file).env
    ids = _account_ids(url, env_file)
    out.mkdir(parents=True, exist_ok=True)
    mutelist = out / "mutelist.yaml"
    import yaml

    mutelist.write_text(yaml.safe_dump(prowler_mutelist(load_mutes(), ids), sort_keys=False), encoding="utf-8")
    env = offline_env(url)
    findings: list[Finding] = []
    for kind, account_id in ids.items():
        name = f"prowler-{kind}"
        command = [
            str(prowler), "aws", "--compliance", FRAMEWORK, "--no-banner", "--output-formats", "csv",
            "--output-directory", str(out), "--output-filename", name, "--mutelist-file", str(mutelist),
            "--region", *config.organization.governed_regions,
        ]  # fmt: skip
        if kind != "management":
            command += ["--role", f"arn:aws:iam::{account_id}:role/{config.organization.access_role_name}"]
        started = time.monotonic()
        done = subprocess.run(command, env=env, cwd=out, capture_output=True, text=True)
        print(f"prowler {kind} ({account_id}): exit {done.returncode} in {time.monotonic() - started:.0f} s", flush=True)
        report = out / f"{name}.csv"
        if not report.exists():
            print(done.stdout[-3000:], done.stderr[-3000:], sep="\n", file=sys.stderr)
            return 2
        findings += read_findings(report)
    failed = failures(findings)
    counts = {s: sum(1 for f in findings if f.status == s and not f.muted) for s in ("PASS", "FAIL", "MANUAL")}
    muted = sum(1 for f in findings if f.muted)
    print(f"{FRAMEWORK}: {counts['PASS']} PASS, {counts['FAIL']} FAIL, {counts['MANUAL']} MANUAL, {muted} muted")
    (out / "summary.json").write_text(
        json.dumps({"counts": counts, "muted": muted, "failed": [f.__dict__ for f in failed]}, indent=2), encoding="utf-8"
    )
    for f in sorted(failed, key=lambda f: (f.check, f.account, f.region, f.resource)):
        print(f"FAIL {f.check} {f.account} {f.region} {f.resource}: {f.text}")
    return 1 if failed else 0


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prowler", type=Path, default=ROOT / ".venv-audit" / "bin" / "prowler")
    parser.add_argument("--env", type=Path, default=EXAMPLE)
    parser.add_argument("--out", type=Path, default=ROOT / "cdktf.out.audit")
    args = parser.parse_args(argv)
    args.prowler, args.out = args.prowler.absolute(), args.out.absolute()  # Prowler runs inside the output folder
    sys.path.insert(0, str(ROOT))
    from landing_zone.local_aws.endpoints import ENV_VAR, check_local_url
    from landing_zone.local_aws.server import LocalAws

    reused = os.environ.get(ENV_VAR, "").strip()
    if reused:
        return run(args.prowler, args.env, args.out, check_local_url(reused))
    args.out.mkdir(parents=True, exist_ok=True)
    server = LocalAws(log_file=args.out.resolve() / "moto.log").start()
    try:
        started = time.monotonic()
        deploy = subprocess.run(
            [str(Path(sys.executable).with_name("lz")), "deploy", str(args.env), "--local", "--no-tree",
             "--out", str(args.out / "synth")],
            env={**os.environ, ENV_VAR: server.url},
        )  # fmt: skip
        print(f"deployed in {time.monotonic() - started:.0f} s (exit {deploy.returncode})", flush=True)
        if deploy.returncode != 0:
            return deploy.returncode
        started = time.monotonic()
        status = run(args.prowler, args.env, args.out, server.url)
        print(f"prowler in {time.monotonic() - started:.0f} s", flush=True)
        return status
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
