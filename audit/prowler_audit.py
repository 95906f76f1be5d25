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
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

ROOT = Path(__file__).resolve().parents[1]
MUTES = Path(__file__).with_name("mutes.yaml")
FORK = Path(__file__).with_name("prowler_fork.py")
EXAMPLE = ROOT / "environments" / "example.yaml"
FRAMEWORK = "cis_3.0_aws"
KINDS = {
    "local-api": "moto does not implement what the check reads (the reason starts 'moto does not implement ')",
    "workload": "a workload service, not the landing zone's",
    "centralized": "the landing zone keeps it in the management account, where the same check must PASS",
    "by-design": "a deliberate choice of the landing zone, muted only on the resources it concerns",
}
"""Why a check may be muted (audit/mutes.yaml `kind:`)."""
MOTO_PREFIX = "moto does not implement "
AUDITED = ("management", "network", "workload")
CENTRAL = "management"


@dataclass(frozen=True)
class Mute:
    check: str
    kind: str
    reason: str
    accounts: tuple[str, ...]
    """Which audited accounts (management, network, workload) it applies to ('*': all)."""
    resources: tuple[str, ...] = ("*",)
    """Prowler's mutelist resource patterns (regular expressions searched in the finding's resource id; '*': all)."""
    intermittent: str = ""
    """Why the finding shows in some runs only (a local-api mute): then silencing nothing is not stale."""


def load_mutes(path: Path = MUTES) -> list[Mute]:
    """audit/mutes.yaml: `checks: {<prowler check id>: {kind, reason, accounts?, resources?}}`; ValueError on a bad
    entry (file, YAML path, bad value, what is allowed)."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if set(data) != {"checks"} or not isinstance(data["checks"], dict):
        raise ValueError(f"{path}: expected one key, checks: a mapping of Prowler check id -> kind, reason, accounts, resources")
    mutes = []
    for check, entry in data["checks"].items():
        where = f"{path}: checks.{check}"
        if not isinstance(entry, dict) or set(entry) - {"kind", "reason", "accounts", "resources", "intermittent"}:
            raise ValueError(f"{where}: expected kind, reason and optional accounts, resources and intermittent")
        kind = str(entry.get("kind") or "")
        if kind not in KINDS:
            raise ValueError(f"{where}.kind: {kind!r} (allowed: {', '.join(KINDS)})")
        reason = " ".join(str(entry.get("reason") or "").split())
        if len(reason) < 40:
            raise ValueError(f"{where}.reason: {reason!r} must say why (at least 40 characters)")
        if kind == "local-api" and not reason.startswith(MOTO_PREFIX):
            raise ValueError(f"{where}.reason: a local-api mute starts with {MOTO_PREFIX!r} and names what moto lacks")
        accounts = tuple(entry.get("accounts") or ["*"])
        unknown = [a for a in accounts if a not in (*AUDITED, "*")]
        if unknown:
            raise ValueError(f"{where}.accounts: {unknown} (allowed: {', '.join(AUDITED)} or '*')")
        if kind == "centralized" and (CENTRAL in accounts or "*" in accounts):
            raise ValueError(
                f"{where}.accounts: {list(accounts)}: a centralized check passes in the {CENTRAL} account, "
                f"so its mute names member accounts only ({', '.join(a for a in AUDITED if a != CENTRAL)})"
            )
        resources = tuple(str(r) for r in (entry.get("resources") or ["*"]))
        for pattern in resources:
            try:
                re.compile(pattern if pattern != "*" else ".*")
            except re.error as error:
                raise ValueError(f"{where}.resources: {pattern!r} is not a regular expression ({error})") from None
        if kind == "by-design" and "*" in resources:
            raise ValueError(f"{where}.resources: a by-design mute names the resources it concerns, not '*'")
        intermittent = " ".join(str(entry.get("intermittent") or "").split())
        if "intermittent" in entry and (kind != "local-api" or len(intermittent) < 20):
            raise ValueError(
                f"{where}.intermittent: {intermittent!r}: only a local-api mute may be intermittent, "
                "and it says when the finding shows (at least 20 characters)"
            )
        mutes.append(
            Mute(check=check, kind=kind, reason=reason, accounts=accounts, resources=resources, intermittent=intermittent)
        )
    return mutes


def prowler_mutelist(mutes: Iterable[Mute], account_ids: dict[str, str]) -> dict:
    """Prowler's mutelist (Mutelist.Accounts.<id>.Checks.<check>: Regions/Resources) for the audited accounts,
    `account_ids` mapping management/network/workload to their ids."""
    accounts: dict[str, dict] = {}
    for mute in mutes:
        targets = account_ids.values() if "*" in mute.accounts else [account_ids[a] for a in mute.accounts]
        for account_id in sorted(set(targets)):
            checks = accounts.setdefault(account_id, {"Checks": {}})["Checks"]
            checks[mute.check] = {"Regions": ["*"], "Resources": list(mute.resources)}
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


def premise_problems(mutes: Iterable[Mute], findings: Iterable[Finding], account_ids: dict[str, str]) -> list[str]:
    """What the findings contradict in the mutes: a centralized check must PASS, unmuted and without a FAIL, in
    the management account (where the landing zone keeps it); a mute that silenced nothing is stale."""
    findings = list(findings)
    problems = []
    central = account_ids[CENTRAL]
    for mute in mutes:
        if mute.kind == "centralized":
            there = [f for f in findings if f.check == mute.check and f.account == central]
            if not any(f.status == "PASS" for f in there) or any(f.status == "FAIL" for f in there):
                statuses = sorted({f.status + (" (muted)" if f.muted else "") for f in there}) or ["no finding"]
                problems.append(
                    f"{mute.check}: muted as centralized, but in the {CENTRAL} account ({central}) it is "
                    f"{', '.join(statuses)}, not PASS"
                )
        targets = set(account_ids.values()) if "*" in mute.accounts else {account_ids[a] for a in mute.accounts}
        if not mute.intermittent and not any(f.muted and f.check == mute.check and f.account in targets for f in findings):
            problems.append(f"{mute.check}: the {mute.kind} mute silenced no finding; remove it from audit/mutes.yaml")
    return problems


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
    # The three accounts side by side, forked from one start-up of Prowler (audit/prowler_fork.py).
    scans = []
    for kind, account_id in ids.items():
        name = f"prowler-{kind}"
        (out / f"{name}.csv").unlink(missing_ok=True)
        argv = [
            "aws", "--compliance", FRAMEWORK, "--no-banner", "--output-formats", "csv",
            "--output-directory", str(out), "--output-filename", name, "--mutelist-file", str(mutelist),
            "--region", *config.organization.governed_regions,
        ]  # fmt: skip
        if kind != "management":
            argv += ["--role", f"arn:aws:iam::{account_id}:role/{config.organization.access_role_name}"]
        scans.append({"name": kind, "argv": argv, "log": str(out / f"{name}.log")})
    started = time.monotonic()
    launched = subprocess.run(
        [str(prowler.with_name("python")), str(FORK), json.dumps(scans)], env=env, cwd=out, capture_output=True, text=True
    )
    try:
        timing = json.loads(launched.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        print(f"prowler_fork.py failed (exit {launched.returncode}):\n{launched.stderr[-3000:]}", file=sys.stderr)
        return 2
    findings: list[Finding] = []
    seconds: dict[str, float] = {"startup": timing["preload_seconds"]}
    missing = []
    for kind, result in timing["scans"].items():
        seconds[kind] = result["seconds"]
        print(f"prowler {kind} ({ids[kind]}): exit {result['exit']} after {seconds[kind]:.0f} s", flush=True)
        report = out / f"prowler-{kind}.csv"
        if not report.exists():
            missing.append(kind)
            print((out / f"prowler-{kind}.log").read_text(encoding="utf-8")[-3000:], file=sys.stderr)
            continue
        findings += read_findings(report)
    seconds["total"] = round(time.monotonic() - started, 1)
    if missing:
        print(f"prowler wrote no report for {', '.join(missing)} (logs: {out}/prowler-*.log)", file=sys.stderr)
        return 2
    failed = failures(findings)
    problems = premise_problems(load_mutes(), findings, ids)
    counts = {s: sum(1 for f in findings if f.status == s and not f.muted) for s in ("PASS", "FAIL", "MANUAL")}
    muted = sum(1 for f in findings if f.muted)
    print(
        f"{FRAMEWORK}: {counts['PASS']} PASS, {counts['FAIL']} FAIL, {counts['MANUAL']} MANUAL, {muted} muted "
        f"({len(ids)} accounts in {seconds['total']:.0f} s)"
    )
    (out / "summary.json").write_text(
        json.dumps(
            {
                "counts": counts,
                "muted": muted,
                "seconds": seconds,
                "failed": [f.__dict__ for f in failed],
                "mute_problems": problems,
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    for f in sorted(failed, key=lambda f: (f.check, f.account, f.region, f.resource)):
        print(f"FAIL {f.check} {f.account} {f.region} {f.resource}: {f.text}")
    for problem in problems:
        print(f"MUTE {problem}")
    return 1 if failed or problems else 0


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
        from botocore.exceptions import EndpointConnectionError

        try:
            return run(args.prowler, args.env, args.out, check_local_url(reused))
        except EndpointConnectionError:
            print(f"make audit: {ENV_VAR}={reused}: no local API answers there (start one: make demo KEEP=1)", file=sys.stderr)
            return 2
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
