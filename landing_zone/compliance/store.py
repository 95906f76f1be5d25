"""Compliance observations kept over time, in an embedded SQLite file (`.lz/compliance.sqlite` by default).

One row per observation: environment, time (UTC, ISO 8601), control,
account, region, resource type, resource, status, source (evaluate, config,
securityhub) and evidence (JSON). Each `record` is one transaction (all of a
run's rows or none); the folder is created with owner-only permissions and a
symlinked file or folder is refused. Indexes on (env, account, time) and
(env, resource, time) answer one account's or one resource's history
without a scan. Pure Python (sqlite3).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from ..output_paths import OutputPathError
from ..run_lock import run_lock

DEFAULT_STORE = Path(".lz") / "compliance.sqlite"
STORE_ENV_VAR = "LZ_COMPLIANCE_STORE"
SCHEMA = """
CREATE TABLE IF NOT EXISTS observations (
    id INTEGER PRIMARY KEY,
    env TEXT NOT NULL,
    time TEXT NOT NULL,
    control TEXT NOT NULL,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource TEXT NOT NULL,
    status TEXT NOT NULL,
    source TEXT NOT NULL,
    evidence TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS observations_by_account ON observations (env, account, time);
CREATE INDEX IF NOT EXISTS observations_by_resource ON observations (env, resource, time);
"""
COLUMNS = ("env", "time", "control", "account", "region", "resource_type", "resource", "status", "source", "evidence")


class StoreError(Exception):
    """The store cannot be opened or written (message for people; exit 2)."""


@dataclass(frozen=True)
class Observation:
    time: str
    control: str
    account: str
    region: str
    resource_type: str
    resource: str
    status: str
    source: str = "evaluate"
    evidence: Mapping[str, Any] | None = None


def now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def store_path(given: str | None) -> Path:
    """--store, else $LZ_COMPLIANCE_STORE, else .lz/compliance.sqlite."""
    return Path(given or os.environ.get(STORE_ENV_VAR) or DEFAULT_STORE)


def _safe_folder(path: Path) -> None:
    folder = path.parent
    try:
        if folder.is_symlink():
            raise StoreError(f"{folder}: is a symbolic link; give --store a path in a real folder")
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not folder.is_dir():
            raise StoreError(f"{folder}: is not a folder")
        if path.is_symlink():
            raise StoreError(f"{path}: is a symbolic link; the store is never written through one")
        if path.exists() and not stat.S_ISREG(path.stat().st_mode):
            raise StoreError(f"{path}: is not a regular file")
    except OSError as exc:
        raise StoreError(f"{folder}: cannot create the store's folder ({exc.strerror or exc})") from None


def connect(path: Path, *, create: bool = True) -> sqlite3.Connection:
    """The store at `path` with its schema; StoreError (never a traceback) when it cannot be opened."""
    if create:
        _safe_folder(path)
    elif not path.is_file():
        raise StoreError(f"{path}: no compliance store here; run `lz compliance ENV --record` first (or give --store)")
    try:
        conn = sqlite3.connect(path, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(SCHEMA)
        if create:
            os.chmod(path, 0o600)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a compliance store ({exc})") from None
    except OSError as exc:
        raise StoreError(f"{path}: {exc.strerror or exc}") from None
    return conn


def record(path: Path, env: str, observations: Iterable[Observation]) -> int:
    """Append `observations` in one transaction; the number written."""
    rows = [
        (
            env,
            o.time,
            o.control,
            o.account,
            o.region,
            o.resource_type,
            o.resource,
            o.status,
            o.source,
            json.dumps(dict(o.evidence or {}), sort_keys=True, default=str),
        )
        for o in observations
    ]
    _safe_folder(path)
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(run_lock(path))  # one recording run at a time (RunLockBusy, exit 75; --wait waits)
        except OSError as exc:
            raise StoreError(f"{path}: cannot lock the store ({exc.strerror or exc})") from None
        conn = connect(path)
        try:
            with conn:  # one transaction: all rows or none
                conn.executemany(
                    f"INSERT INTO observations ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})", rows
                )
        except (sqlite3.DatabaseError, OSError) as exc:
            raise StoreError(f"{path}: cannot record the observations ({exc}); nothing was written") from None
        finally:
            conn.close()
    return len(rows)


def query(
    path: Path, env: str, *, account: str | None = None, resource: str | None = None, since: str | None = None
) -> Iterator[Observation]:
    """Observations of `env`, oldest first, narrowed by account, resource and time (ISO 8601, inclusive)."""
    where, args = ["env = ?"], [env]
    for column, value in (("account", account), ("resource", resource)):
        if value:
            where.append(f"{column} = ?")
            args.append(value)
    if since:
        where.append("time >= ?")
        args.append(since)
    conn = connect(path, create=False)
    try:
        cursor = conn.execute(
            f"SELECT time, control, account, region, resource_type, resource, status, source, evidence "
            f"FROM observations WHERE {' AND '.join(where)} ORDER BY time, id",
            args,
        )
        for row in cursor:
            time, control, account_, region, rtype, resource_, status, source, evidence = row
            yield Observation(time, control, account_, region, rtype, resource_, status, source, json.loads(evidence))
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot read the store ({exc})") from None
    finally:
        conn.close()


def check_writable(path: Path) -> None:
    """Before any work: the store's folder can be made (OutputPathError for the CLI's usual exit 2)."""
    try:
        _safe_folder(path)
    except StoreError as exc:
        raise OutputPathError(str(exc)) from None
