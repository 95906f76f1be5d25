"""Compliance observations in the log archive bucket, for teams: `lz compliance --record --store log-archive`.

Instead of the SQLite file on one machine, each run writes one object of JSON
lines (one observation a line) under the `compliance/` prefix of the
organization's central log bucket, partitioned by environment and date the
way Athena and Glue read partitions:

    compliance/env=<env>/dt=<YYYY-MM-DD>/<time>-<run id>.jsonl

Objects are never rewritten (a run adds one), so two people recording at once
never lose each other's rows. Reading (`lz compliance history`, since-when of
open violations) lists the environment's partitions, from `since`'s date when
given. The bucket's default encryption (the log key) applies; the bucket
policy refuses any other key. Written with the access role in the log archive
account, as the stacks' providers are.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from .access import Access, ComplianceError
from .store import COLUMNS, Observation

LOG_ARCHIVE = "log-archive"
"""The `--store` value that means the log archive bucket."""
PREFIX = "compliance/"
PARTITION_KEYS = ("env", "dt")
"""The partitions under the prefix, in path order, Hive style (`key=value/`): Athena's table reads them (athena.py)."""


def partition(env: str, date: str, prefix: str = PREFIX) -> str:
    """The folder of one environment's observations of one date (YYYY-MM-DD)."""
    return f"{prefix}{PARTITION_KEYS[0]}={env}/{PARTITION_KEYS[1]}={date}/"


def object_key(env: str, time: str, run_id: str, prefix: str = PREFIX) -> str:
    """Where one run's observations go (`time` is ISO 8601 UTC: its date is the partition)."""
    return f"{partition(env, time[:10], prefix)}{time.replace(':', '')}-{run_id}.jsonl"


def to_lines(env: str, observations: Iterable[Observation]) -> str:
    rows = []
    for o in observations:
        values = (env, o.time, o.control, o.account, o.region, o.resource_type, o.resource, o.status, o.source, dict(o.evidence or {}))  # fmt: skip
        rows.append(json.dumps(dict(zip(COLUMNS, values)), sort_keys=True, default=str))
    return "".join(row + "\n" for row in rows)


def from_line(line: str) -> Observation:
    row = json.loads(line)
    return Observation(row["time"], row["control"], row["account"], row["region"], row["resource_type"], row["resource"], row["status"], row["source"], row.get("evidence") or {})  # fmt: skip


@dataclass
class LogArchiveSink:
    """The `compliance/` prefix of one bucket, through an S3 client that may write there."""

    s3: Any
    bucket: str
    prefix: str = PREFIX

    @property
    def label(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"

    def record(self, env: str, observations: Iterable[Observation]) -> int:
        """One object for the run (nothing written when there is nothing to write); the number of rows."""
        rows = list(observations)
        if not rows:
            return 0
        # the clock in nanoseconds first: runs within one second still list (and replay) in the order they ran
        key = object_key(env, rows[0].time, f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}", self.prefix)
        try:
            self.s3.put_object(Bucket=self.bucket, Key=key, Body=to_lines(env, rows).encode("utf-8"), ContentType="application/x-ndjson")  # fmt: skip
        except Exception as exc:
            raise ComplianceError(
                f"cannot write the observations to {self.label}{key} ({_code(exc)}); nothing was written"
            ) from None
        return len(rows)

    def query(self, env: str, *, account: str | None = None, resource: str | None = None, since: str | None = None) -> Iterator[Observation]:  # fmt: skip
        """The environment's observations, oldest first, narrowed like store.query."""
        out: list[Observation] = []
        start = f"{self.prefix}env={env}/dt={since[:10]}" if since else None
        try:
            pages = self.s3.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=f"{self.prefix}env={env}/", **({"StartAfter": start} if start else {})
            )
            keys = [o["Key"] for page in pages for o in page.get("Contents", []) if o["Key"].endswith(".jsonl")]
            for key in keys:
                body = self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read().decode("utf-8")
                for line in body.splitlines():
                    if line.strip():
                        o = from_line(line)
                        if (account is None or o.account == account) and (resource is None or o.resource == resource) and (since is None or o.time >= since):  # fmt: skip
                            out.append(o)
        except ComplianceError:
            raise
        except Exception as exc:
            raise ComplianceError(f"cannot read the observations from {self.label} ({_code(exc)})") from None
        out.sort(key=lambda o: o.time)  # stable: a run's rows keep their order
        return iter(out)


def _code(exc: Exception) -> str:
    return getattr(exc, "response", {}).get("Error", {}).get("Code", "") or f"{type(exc).__name__}: {exc}"


def log_archive_sink(facts: Any, access: Access) -> LogArchiveSink:
    """The sink in the environment's central log bucket, written as the access role of the log archive account."""
    env = facts.env
    number = access.account_id(env.core.log_archive_account)
    return LogArchiveSink(access.client("s3", env.organization.home_region, number), facts.names.log_bucket(number))
