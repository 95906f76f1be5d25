"""Issue 17.3: the Glue tables and saved queries over the log archive, as data (no cdktf): they follow the sink's
layout and the store's columns, and every saved query reads tables that exist."""

from __future__ import annotations

import json
import re
from datetime import date
from fnmatch import fnmatchcase

import pytest

from landing_zone.compliance import athena
from landing_zone.compliance.sink import PARTITION_KEYS, object_key, to_lines
from landing_zone.compliance.store import COLUMNS, Observation

REGIONS = ("eu-west-1", "eu-central-1")
TABLES = athena.tables(("prod",), REGIONS, "2024-01-01", "o-abc123")
BY_NAME = {t.name: t for t in TABLES}


def _fill(template: str, values: dict[str, str]) -> str:
    out = re.sub(r"\$\{(\w+)\}", lambda m: values[m.group(1)], template)
    assert "${" not in out
    return out


def test_the_observations_table_reads_where_the_sink_writes():
    table = BY_NAME[athena.OBSERVATIONS]
    key = object_key("prod", "2026-03-04T05:06:07Z", "run1")
    folder = _fill(table.location_template, {"env": "prod", "dt": "2026-03-04"})
    assert key.startswith(folder) and "/" not in key[len(folder) :]
    assert folder.startswith(table.location)
    assert [c.name for c in table.partition_keys] == list(PARTITION_KEYS)
    assert table.projection["projection.env.values"] == "prod"
    assert table.projection["projection.dt.format"] == "yyyy-MM-dd"
    assert table.projection["projection.dt.range"] == "2024-01-01,NOW"


def test_the_observations_columns_are_the_lines_keys_less_the_partition():
    table = BY_NAME[athena.OBSERVATIONS]
    line = to_lines("prod", [Observation("2026-03-04T05:06:07Z", "C1", "111122223333", "eu-west-1", "AWS::S3::Bucket", "b", "NON_COMPLIANT", "evaluate", {"why": 1})])  # fmt: skip
    keys = set(json.loads(line))
    columns = [c.name for c in table.columns]
    assert keys == set(COLUMNS)
    # every key of a line is a column, but `env`, which is the partition's (dt is the time's date)
    assert set(columns) == keys - {"env"}
    assert not set(columns) & set(PARTITION_KEYS)  # Hive refuses a partition key that is also a column


@pytest.mark.parametrize("kind,name", [("ConfigHistory", athena.CONFIG_HISTORY), ("ConfigSnapshot", athena.CONFIG_SNAPSHOT)])
def test_config_tables_follow_configs_delivery_layout(kind, name):
    table = BY_NAME[name]
    day = date(2026, 3, 4)
    # Config writes AWSLogs/<account>/Config/<region>/<yyyy>/<m>/<d>/<kind>/<file>.json.gz, month and day unpadded.
    delivered = f"AWSLogs/111122223333/Config/eu-west-1/{day.year}/{day.month}/{day.day}/{kind}/111122223333_Config_eu-west-1_{kind}_x.json.gz"
    folder = _fill(table.location_template, {"account": "111122223333", "region": "eu-west-1", "dt": "2026/3/4"})
    assert delivered.startswith(folder) and delivered.startswith(table.location)
    assert table.projection["projection.dt.format"] == "yyyy/M/d"
    assert table.projection["projection.dt.range"] == "2024/1/1,NOW"
    assert table.projection["projection.account.type"] == "injected"
    assert table.projection["projection.region.values"] == ",".join(REGIONS)
    assert [c.name for c in table.partition_keys] == ["account", "region", "dt"]
    assert table.columns[-1].name == "configurationitems" and table.columns[-1].type.startswith("array<struct<")


def test_the_cloudtrail_table_follows_the_organization_trails_layout():
    table = BY_NAME[athena.CLOUDTRAIL]
    delivered = "AWSLogs/o-abc123/111122223333/CloudTrail/eu-central-1/2026/03/04/111122223333_CloudTrail_x.json.gz"
    folder = _fill(table.location_template, {"account": "111122223333", "region": "eu-central-1", "dt": "2026/03/04"})
    assert delivered.startswith(folder) and folder.startswith(table.location)
    assert table.projection["projection.dt.format"] == "yyyy/MM/dd"
    assert table.input_format == athena.CLOUDTRAIL_INPUT


def test_each_table_may_read_its_own_files_and_nothing_else_of_the_bucket():
    delivered = {
        athena.OBSERVATIONS: object_key("prod", "2026-03-04T05:06:07Z", "run1"),
        athena.CONFIG_HISTORY: "AWSLogs/111122223333/Config/eu-west-1/2026/3/4/ConfigHistory/x.json.gz",
        athena.CONFIG_SNAPSHOT: "AWSLogs/111122223333/Config/eu-west-1/2026/3/4/ConfigSnapshot/x.json.gz",
        athena.CLOUDTRAIL: "AWSLogs/o-abc123/111122223333/CloudTrail/eu-west-1/2026/03/04/x.json.gz",
    }
    others = [
        "AWSLogs/111122223333/vpcflowlogs/eu-west-1/2026/03/04/x.log.gz",
        "AWSLogs/111122223333/Config/ConfigWritabilityCheckFile",
        "AWSLogs/o-abc123/111122223333/CloudTrail-Digest/eu-west-1/2026/03/04/x.json.gz",
        "compliance.jsonl",
    ]
    patterns = {t.name: t.read_pattern for t in TABLES}
    for name, key in delivered.items():
        assert [n for n, p in patterns.items() if fnmatchcase(key, p)] == [name], key
    for key in others:
        assert not [p for p in patterns.values() if fnmatchcase(key, p)], key


def test_every_table_projects_its_partition_keys_and_nothing_else():
    for table in TABLES:
        projected = {k.split(".")[1] for k in table.projection if k != "projection.enabled"}
        assert projected == {c.name for c in table.partition_keys}, table.name
        assert table.projection["projection.enabled"] == "true"
        assert set(re.findall(r"\$\{(\w+)\}", table.location_template)) == projected, table.name
        names = [c.name for c in table.columns]
        assert len(names) == len(set(names)) and all(n == n.lower() for n in names), table.name


_TABLE_REFERENCE = re.compile(r"\b(?:FROM|JOIN)\s+([A-Za-z_][\w.]*)", re.IGNORECASE)


def _structure(sql: str) -> list[str]:
    """The tables a query reads, after checking its shape: one SELECT statement, balanced parentheses and
    quotes, no terraform interpolation."""
    assert sql.lstrip().upper().startswith("SELECT") and ";" not in sql
    assert sql.count("'") % 2 == 0
    depth = 0
    for ch in re.sub(r"'[^']*'", "''", sql):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0
    assert "${" not in sql and "%{" not in sql
    return [t for t in _TABLE_REFERENCE.findall(sql) if not t.upper().startswith("UNNEST")]


@pytest.mark.parametrize("query", athena.SAVED_QUERIES, ids=lambda q: q.name)
def test_each_saved_query_reads_existing_tables_and_columns(query):
    tables = _structure(query.sql)
    assert tables and set(tables) <= set(BY_NAME), tables
    # every WHERE / GROUP BY column of the table it reads exists (partition keys included)
    known = {c.name for t in tables for c in (*BY_NAME[t].columns, *BY_NAME[t].partition_keys)}
    aliases = dict(re.findall(r"UNNEST\((\w+)\) AS t\((\w+)\)", query.sql))  # column -> alias of its elements
    fields = {alias: BY_NAME[tables[0]] for alias in aliases.values()}
    for column in re.findall(r"([\w.]+)\s*(?:=|>=|<|\bIN\b)\s", query.sql):
        head, _, field = column.partition(".")
        if head in fields:  # an element of an unnested array of structs: the struct declares the field
            assert f"{field}:" in next(c.type for c in fields[head].columns if aliases.get(c.name) == head), (query.name, column)
        else:
            assert head in known, (query.name, column)
    # the parameters it asks for are described, in order
    assert query.sql.count("?") == len(query.parameters)
    assert all(p in query.full_description for p in query.parameters)


def test_the_saved_queries_cover_the_issues_questions():
    names = {q.name for q in athena.SAVED_QUERIES}
    assert {"non-compliant-by-control-and-account", "resource-compliance-history", "resource-configuration-history", "accounts-without-recent-data"} <= names  # fmt: skip
    assert len(names) == len(athena.SAVED_QUERIES)
