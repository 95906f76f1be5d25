"""The compliance store (SQLite): atomic writes, safe folder, indexed reads; violation histories from it."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import datetime, timezone

import pytest

from landing_zone.cli.main import main
from landing_zone.compliance.history import HistoryError, since_time, violations
from landing_zone.compliance.store import Observation, StoreError, connect, query, record

EXAMPLE = "environments/example.yaml"


def obs(time: str, status: str, resource: str = "bucket-a", account: str = "payments-prod", **evidence) -> Observation:
    return Observation(
        time,
        "AWS-GR_S3_BUCKET_PUBLIC_READ_PROHIBITED",
        account,
        "eu-west-1",
        "AWS::S3::Bucket",
        resource,
        status,
        "evaluate",
        evidence,
    )


def test_record_and_query_narrowed_by_account_resource_and_time(tmp_path):
    path = tmp_path / ".lz" / "compliance.sqlite"
    assert record(path, "example", [obs("2026-11-01T00:00:00Z", "COMPLIANT"), obs("2026-11-02T00:00:00Z", "NON_COMPLIANT")]) == 2
    record(path, "example", [obs("2026-11-03T00:00:00Z", "NON_COMPLIANT", "bucket-b", "web-prod")])
    record(path, "other-env", [obs("2026-11-03T00:00:00Z", "NON_COMPLIANT")])
    assert [o.time for o in query(path, "example", account="payments-prod")] == ["2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z"]
    assert [o.account for o in query(path, "example", resource="bucket-b")] == ["web-prod"]
    assert [o.time for o in query(path, "example", since="2026-11-02T00:00:00Z")] == [
        "2026-11-02T00:00:00Z",
        "2026-11-03T00:00:00Z",
    ]
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_one_account_history_uses_the_index(tmp_path):
    path = tmp_path / "s.sqlite"
    record(path, "example", [obs("2026-11-01T00:00:00Z", "COMPLIANT")])
    conn = connect(path)
    plan = " ".join(
        str(r)
        for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM observations WHERE env = ? AND account = ? ORDER BY time", ("e", "a")
        )
    )
    assert "observations_by_account" in plan
    plan = " ".join(
        str(r) for r in conn.execute("EXPLAIN QUERY PLAN SELECT * FROM observations WHERE env = ? AND resource = ?", ("e", "r"))
    )
    assert "observations_by_resource" in plan


def test_a_failed_write_leaves_nothing(tmp_path):
    path = tmp_path / "s.sqlite"
    record(path, "example", [obs("2026-11-01T00:00:00Z", "COMPLIANT")])
    broken = Observation("2026-11-02T00:00:00Z", "C", "a", "r", "t", "x", None, "evaluate")  # type: ignore[arg-type]  # status NOT NULL
    with pytest.raises(StoreError, match="nothing was written"):
        record(path, "example", [obs("2026-11-02T00:00:00Z", "NON_COMPLIANT"), broken])
    assert len(list(query(path, "example"))) == 1


def test_the_store_refuses_symlinks_and_files_that_are_not_stores(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(StoreError, match="symbolic link"):
        record(tmp_path / "link" / "s.sqlite", "example", [])
    target = tmp_path / "elsewhere.sqlite"
    (tmp_path / "s.sqlite").symlink_to(target)
    with pytest.raises(StoreError, match="symbolic link"):
        record(tmp_path / "s.sqlite", "example", [])
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database " * 100)
    with pytest.raises(StoreError, match="not a compliance store"):
        record(junk, "example", [])
    with pytest.raises(StoreError, match="run `lz compliance ENV --record` first"):
        list(query(tmp_path / "missing.sqlite", "example"))


def test_violations_start_change_and_fix():
    items = violations(
        [
            obs("2026-11-01T00:00:00Z", "COMPLIANT", Policy=None),
            obs("2026-11-02T00:00:00Z", "NON_COMPLIANT", Policy="public"),
            obs("2026-11-03T00:00:00Z", "NON_COMPLIANT", Policy="public"),
            obs("2026-11-04T00:00:00Z", "COMPLIANT", Policy=None),
            obs("2026-11-05T00:00:00Z", "NON_COMPLIANT", Policy="public again"),
            obs("2026-11-02T00:00:00Z", "NOT_APPLICABLE", "other"),
        ]
    )
    assert [(v.started, v.fixed, v.observations) for v in items] == [
        ("2026-11-02T00:00:00Z", "2026-11-04T00:00:00Z", 2),
        ("2026-11-05T00:00:00Z", None, 1),
    ]
    assert [(c.time, c.source, c.what) for c in items[0].changes] == [
        ("2026-11-02T00:00:00Z", "evidence", "Policy: None -> 'public'"),
        ("2026-11-04T00:00:00Z", "evidence", "Policy: 'public' -> None"),
    ]


def test_since_accepts_durations_and_dates_and_refuses_the_rest():
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    assert since_time("30d", now) == "2026-11-01T00:00:00Z"
    assert since_time("12h", now) == "2026-11-30T12:00:00Z"
    assert since_time("2026-11-15", now) == "2026-11-15T00:00:00Z"
    with pytest.raises(HistoryError, match="--since 'yesterday' is neither a duration"):
        since_time("yesterday", now)


def test_history_command_from_the_store(tmp_path, capsys):
    path = tmp_path / "s.sqlite"
    record(path, "example", [obs("2026-11-02T00:00:00Z", "NON_COMPLIANT"), obs("2026-11-04T00:00:00Z", "COMPLIANT")])
    record(path, "example", [obs("2026-11-05T00:00:00Z", "NON_COMPLIANT", "bucket-b", "web-prod")])
    args = ["compliance", "history", EXAMPLE, "--store", str(path), "--offline"]
    assert main([*args, "--account", "payments-prod"]) == 0
    out = capsys.readouterr().out
    assert "1 violation(s): 0 open, 1 fixed" in out and "2026-11-04T00:00:00Z" in out and "bucket-b" not in out
    assert main([*args, "--resource", "bucket-b", "--format", "json"]) == 0
    assert '"fixed": null' in capsys.readouterr().out
    assert main([*args, "--since", "soon"]) == 2
    assert "lz compliance: --since 'soon' is neither a duration" in capsys.readouterr().err
    assert main(["compliance", "history", EXAMPLE, "--store", str(tmp_path / "none.sqlite"), "--offline"]) == 2
    assert "no compliance store here" in capsys.readouterr().err


def test_the_store_is_a_plain_sqlite_file(tmp_path):
    path = tmp_path / "s.sqlite"
    record(path, "example", [obs("2026-11-01T00:00:00Z", "COMPLIANT", note="x")])
    rows = (
        sqlite3.connect(path)
        .execute("SELECT control, account, region, resource, status, time, evidence FROM observations")
        .fetchall()
    )
    assert rows == [
        (
            "AWS-GR_S3_BUCKET_PUBLIC_READ_PROHIBITED",
            "payments-prod",
            "eu-west-1",
            "bucket-a",
            "COMPLIANT",
            "2026-11-01T00:00:00Z",
            '{"note": "x"}',
        )
    ]
