"""Athena over the log archive (`logging.athena`): the Glue tables and the saved queries, as data. Pure Python.

The audit stack synthesizes them (constructs/logging/log_query.py). Three tables read the central log bucket,
each with partition projection (no crawler, no `MSCK REPAIR`: Athena computes the partitions from the
parameters below):

- `compliance_observations`: the JSON lines `lz compliance --record --store log-archive` writes; the location
  and the partitions come from sink.py, the columns from store.py, so the table follows the writer;
- `config_history` and `config_snapshot`: AWS Config's delivery files,
  `AWSLogs/<account>/Config/<region>/<yyyy>/<m>/<d>/ConfigHistory|ConfigSnapshot/*.json.gz` (the delivery
  channel sets no key prefix; month and day are not zero-padded);
- `cloudtrail`: the organization trail, `AWSLogs/<organization id>/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/`.

The account of the Config and CloudTrail tables is an *injected* partition: a query names it
(`WHERE account = '111122223333'`), so adding an account changes no table. Locations are relative to the
bucket and keep Athena's `${key}` placeholders; the construct escapes them for terraform.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .sink import PARTITION_KEYS, PREFIX, partition
from .store import COLUMNS

OBSERVATIONS = "compliance_observations"
CONFIG_HISTORY = "config_history"
CONFIG_SNAPSHOT = "config_snapshot"
CLOUDTRAIL = "cloudtrail"

JSON_SERDE = "org.openx.data.jsonserde.JsonSerDe"
TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat"
TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
CLOUDTRAIL_SERDE = "org.apache.hive.hcatalog.data.JsonSerDe"
CLOUDTRAIL_INPUT = "com.amazon.emr.cloudtrail.CloudTrailInputFormat"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    comment: str = ""


@dataclass(frozen=True)
class TableSpec:
    """One external Glue table over the log bucket."""

    name: str
    description: str
    location: str
    """Key prefix in the log bucket (no leading slash)."""
    location_template: str
    """Key prefix of one partition, with Athena's `${key}` placeholders."""
    columns: tuple[Column, ...]
    partition_keys: tuple[Column, ...]
    projection: dict[str, str]
    """Partition projection parameters (`projection.*`), without the location template."""
    serde: str = JSON_SERDE
    serde_parameters: dict[str, str] = field(default_factory=dict)
    input_format: str = TEXT_INPUT
    output_format: str = TEXT_OUTPUT

    @property
    def read_pattern(self) -> str:
        """The keys the table reads, as an S3 resource pattern (each placeholder a `*`): what its reader may get."""
        return re.sub(r"\$\{\w+\}", "*", self.location_template) + "*"


@dataclass(frozen=True)
class SavedQuery:
    """An `aws_athena_named_query`: `?` marks an execution parameter (the console asks for it)."""

    name: str
    description: str
    sql: str
    parameters: tuple[str, ...] = ()
    """What each `?` stands for, in order."""

    @property
    def full_description(self) -> str:
        return f"{self.description} (parameters: {'; '.join(self.parameters)})" if self.parameters else self.description


def _date_projection(key: str, fmt: str, since: str) -> dict[str, str]:
    """A date partition from `since` (YYYY-MM-DD) to today, one a day; `fmt` is how the path spells it."""
    year, month, day = (int(p) for p in since.split("-"))
    start = {"yyyy-MM-dd": since, "yyyy/M/d": f"{year}/{month}/{day}", "yyyy/MM/dd": f"{year:04d}/{month:02d}/{day:02d}"}
    return {
        f"projection.{key}.type": "date",
        f"projection.{key}.format": fmt,
        f"projection.{key}.range": f"{start[fmt]},NOW",
        f"projection.{key}.interval": "1",
        f"projection.{key}.interval.unit": "DAYS",
    }


def observations_table(env_names: tuple[str, ...], since: str) -> TableSpec:
    """The compliance/ JSON lines (sink.py): one row per observation, partitioned by environment and date."""
    env_key, dt_key = PARTITION_KEYS
    # A partition key is no column as well (Hive refuses the duplicate): the rows' own `env` is the partition's.
    columns = tuple(
        Column(c, "string", "JSON object (json_extract it)" if c == "evidence" else "")
        for c in COLUMNS
        if c not in PARTITION_KEYS
    )
    return TableSpec(
        name=OBSERVATIONS,
        description="Compliance observations of `lz compliance --record --store log-archive` (one JSON object a line)",
        location=PREFIX,
        location_template=partition(f"${{{env_key}}}", f"${{{dt_key}}}"),
        columns=columns,
        partition_keys=(Column(env_key, "string", "environment"), Column(dt_key, "string", "date, YYYY-MM-DD (UTC)")),
        projection={
            "projection.enabled": "true",
            f"projection.{env_key}.type": "enum",
            f"projection.{env_key}.values": ",".join(env_names),
            **_date_projection(dt_key, "yyyy-MM-dd", since),
        },
        serde_parameters={"ignore.malformed.json": "true"},
    )


_CONFIGURATION_ITEM = (
    "struct<configurationitemversion:string,configurationitemcapturetime:string,configurationstateid:bigint,"
    "awsaccountid:string,configurationitemstatus:string,resourcetype:string,resourceid:string,resourcename:string,"
    "arn:string,awsregion:string,availabilityzone:string,configurationstatemd5hash:string,configuration:string,"
    "supplementaryconfiguration:map<string,string>,tags:map<string,string>,resourcecreationtime:string>"
)


def _account_region_date(regions: tuple[str, ...], date_format: str, since: str) -> tuple[tuple[Column, ...], dict[str, str]]:
    keys = (
        Column("account", "string", "account id (injected: name it in WHERE)"),
        Column("region", "string"),
        Column("dt", "string", f"date, {date_format}"),
    )
    projection = {
        "projection.enabled": "true",
        "projection.account.type": "injected",
        "projection.region.type": "enum",
        "projection.region.values": ",".join(regions),
        **_date_projection("dt", date_format, since),
    }
    return keys, projection


def config_table(kind: str, regions: tuple[str, ...], since: str) -> TableSpec:
    """Config's ConfigHistory or ConfigSnapshot files (one JSON document each, its items in an array)."""
    keys, projection = _account_region_date(regions, "yyyy/M/d", since)
    columns = [Column("fileversion", "string")]
    if kind == "ConfigSnapshot":
        columns.append(Column("configsnapshotid", "string"))
    columns.append(Column("configurationitems", f"array<{_CONFIGURATION_ITEM}>", "UNNEST it"))
    return TableSpec(
        name=CONFIG_HISTORY if kind == "ConfigHistory" else CONFIG_SNAPSHOT,
        description=f"AWS Config {kind} files of every account (configuration items; `configuration` is JSON text)",
        location="AWSLogs/",
        location_template=f"AWSLogs/${{account}}/Config/${{region}}/${{dt}}/{kind}/",
        columns=tuple(columns),
        partition_keys=keys,
        projection=projection,
    )


_USER_IDENTITY = (
    "struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,"
    "username:string,sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,"
    "sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>>>"
)


def cloudtrail_table(organization_id: str, regions: tuple[str, ...], since: str) -> TableSpec:
    """The organization trail's files (AWS's documented CloudTrail table, with partition projection)."""
    keys, projection = _account_region_date(regions, "yyyy/MM/dd", since)
    text = ("eventversion", "eventtime", "eventsource", "eventname", "awsregion", "sourceipaddress", "useragent")
    more = ("errorcode", "errormessage", "requestparameters", "responseelements", "additionaleventdata", "requestid")
    tail = ("eventid", "eventtype", "apiversion", "readonly", "recipientaccountid", "sharedeventid", "vpcendpointid")
    columns = (
        Column("eventversion", "string"),
        Column("useridentity", _USER_IDENTITY),
        *(Column(c, "string") for c in text[1:] + more),
        Column("resources", "array<struct<arn:string,accountid:string,type:string>>"),
        *(Column(c, "string") for c in tail),
    )
    return TableSpec(
        name=CLOUDTRAIL,
        description="The organization trail's management events of every account",
        location=f"AWSLogs/{organization_id}/",
        location_template=f"AWSLogs/{organization_id}/${{account}}/CloudTrail/${{region}}/${{dt}}/",
        columns=columns,
        partition_keys=keys,
        projection=projection,
        serde=CLOUDTRAIL_SERDE,
        input_format=CLOUDTRAIL_INPUT,
    )


def tables(env_names: tuple[str, ...], regions: tuple[str, ...], since: str, organization_id: str) -> tuple[TableSpec, ...]:
    """Every table, in a stable order (`regions`: where Config records; the trail covers the same)."""
    return (
        observations_table(env_names, since),
        config_table("ConfigHistory", regions, since),
        config_table("ConfigSnapshot", regions, since),
        cloudtrail_table(organization_id, regions, since),
    )


SAVED_QUERIES: tuple[SavedQuery, ...] = (
    SavedQuery(
        "non-compliant-by-control-and-account",
        "Non-compliant resources by control and account, per day, over the last 90 days",
        f"""SELECT dt, control, account, count(DISTINCT resource) AS non_compliant_resources
FROM {OBSERVATIONS}
WHERE status = 'NON_COMPLIANT' AND dt >= date_format(current_date - INTERVAL '90' DAY, '%Y-%m-%d')
GROUP BY dt, control, account
ORDER BY dt DESC, control, account""",
    ),
    SavedQuery(
        "resource-compliance-history",
        "Every observation of one resource, oldest first",
        f"""SELECT time, control, account, region, status, source, evidence
FROM {OBSERVATIONS}
WHERE resource = ?
ORDER BY time""",
        ("resource id",),
    ),
    SavedQuery(
        "accounts-without-recent-data",
        "Accounts observed in the last 90 days but not in the last 2 (the evaluator or Config lost sight of them)",
        f"""SELECT account, max(time) AS last_observed
FROM {OBSERVATIONS}
WHERE dt >= date_format(current_date - INTERVAL '90' DAY, '%Y-%m-%d')
GROUP BY account
HAVING max(dt) < date_format(current_date - INTERVAL '1' DAY, '%Y-%m-%d')
ORDER BY last_observed""",
    ),
    SavedQuery(
        "resource-configuration-history",
        "AWS Config's configuration history of one resource",
        f"""SELECT item.configurationitemcapturetime AS captured, item.configurationitemstatus AS status,
       item.resourcetype, item.awsregion, item.configuration
FROM {CONFIG_HISTORY}
CROSS JOIN UNNEST(configurationitems) AS t(item)
WHERE account = ? AND item.resourceid = ?
ORDER BY captured""",
        ("account id", "resource id"),
    ),
    SavedQuery(
        "resource-cloudtrail-events",
        "CloudTrail events of the last 30 days in one account whose request names a resource",
        f"""SELECT eventtime, eventsource, eventname, useridentity.arn AS caller, errorcode, requestparameters
FROM {CLOUDTRAIL}
WHERE account = ? AND dt >= date_format(current_date - INTERVAL '30' DAY, '%Y/%m/%d')
  AND strpos(requestparameters, ?) > 0
ORDER BY eventtime""",
        ("account id", "text the request contains, such as the resource id"),
    ),
)
