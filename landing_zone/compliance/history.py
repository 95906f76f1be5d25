"""`lz compliance history`: each violation's start, what changed, and when it was fixed.

Built from the store's observations (store.py): per control and resource, a
violation starts at the first NON_COMPLIANT observation after none or a
COMPLIANT one, and is fixed at the next COMPLIANT one. What changed comes
from three places: the evidence recorded with each observation (what the
check saw), Config's configuration history of the resource, and the
CloudTrail events that name it; the last two are read through the AWS APIs
when a client is given, and a source that cannot answer says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterable

from ..render import Document, render
from .store import Observation

_SINCE = re.compile(r"^(\d+)([dhm])$")
CONFIG_TYPES_WITH_HISTORY = ("AWS::S3::Bucket", "AWS::EC2::SecurityGroup", "AWS::EC2::Volume", "AWS::EC2::Instance", "AWS::RDS::DBInstance", "AWS::IAM::User", "AWS::RDS::DBSnapshot", "AWS::CloudTrail::Trail", "AWS::EC2::Subnet")  # fmt: skip


class HistoryError(ValueError):
    """Bad input (message for people; exit 2)."""


def since_time(text: str | None, now: datetime | None = None) -> str | None:
    """`30d`, `12h`, `45m` or an ISO date/time -> an ISO 8601 UTC time; HistoryError otherwise."""
    if not text:
        return None
    now = now or datetime.now(timezone.utc)
    match = _SINCE.match(text.strip())
    if match:
        n, unit = int(match.group(1)), match.group(2)
        delta = {"d": timedelta(days=n), "h": timedelta(hours=n), "m": timedelta(minutes=n)}[unit]
        return (now - delta).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise HistoryError(
            f"--since {text!r} is neither a duration (such as 30d, 12h, 45m) nor an ISO date (such as 2026-11-01)"
        ) from None
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


@dataclass
class Change:
    time: str
    source: str  # evidence | config | cloudtrail
    what: str


@dataclass
class Violation:
    control: str
    account: str
    region: str
    resource_type: str
    resource: str
    started: str
    fixed: str | None = None
    last_seen: str = ""
    observations: int = 0
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "control": self.control,
            "account": self.account,
            "region": self.region,
            "resource_type": self.resource_type,
            "resource": self.resource,
            "started": self.started,
            "fixed": self.fixed,
            "last_seen_non_compliant": self.last_seen,
            "observations": self.observations,
            "changes": [c.__dict__ for c in self.changes],
            "notes": self.notes,
        }


def _evidence_change(before: Observation, after: Observation) -> str:
    old, new = before.evidence or {}, after.evidence or {}
    keys = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
    return "; ".join(f"{k}: {old.get(k)!r} -> {new.get(k)!r}" for k in keys)


def violations(observations: Iterable[Observation]) -> list[Violation]:
    """Every violation episode in the observations (oldest first per resource)."""
    by_key: dict[tuple[str, str, str, str], list[Observation]] = {}
    for o in observations:
        by_key.setdefault((o.control, o.account, o.region, o.resource), []).append(o)
    out: list[Violation] = []
    for items in by_key.values():
        items.sort(key=lambda o: o.time)
        current: Violation | None = None
        previous: Observation | None = None
        for o in items:
            if o.status == "NON_COMPLIANT":
                if current is None:
                    current = Violation(o.control, o.account, o.region, o.resource_type, o.resource, o.time)
                    out.append(current)
                    if previous is not None:
                        diff = _evidence_change(previous, o)
                        if diff:
                            current.changes.append(Change(o.time, "evidence", diff))
                elif previous is not None:
                    diff = _evidence_change(previous, o)
                    if diff:
                        current.changes.append(Change(o.time, "evidence", diff))
                current.last_seen = o.time
                current.observations += 1
            elif o.status == "COMPLIANT" and current is not None:
                current.fixed = o.time
                diff = _evidence_change(previous, o) if previous is not None else ""
                if diff:
                    current.changes.append(Change(o.time, "evidence", diff))
                current = None
            previous = o
    return sorted(out, key=lambda v: (v.account, v.started, v.control, v.resource))


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def add_api_changes(violation: Violation, client: Callable[[str], Any], lookback: timedelta = timedelta(days=1)) -> None:
    """Config's configuration history and CloudTrail's events naming the resource, from before the start to the fix.

    `client(service)` is a boto3 client in the violation's account and region. A source that refuses or
    lacks the call adds a note instead of failing the report.
    """
    start = _parse(violation.started) - lookback
    end = _parse(violation.fixed) if violation.fixed else datetime.now(timezone.utc)
    if violation.resource_type in CONFIG_TYPES_WITH_HISTORY:
        try:
            items = client("config").get_resource_config_history(
                resourceType=violation.resource_type, resourceId=violation.resource, earlierTime=start, laterTime=end
            )["configurationItems"]
            for item in items:
                capture = item.get("configurationItemCaptureTime")
                when = capture.isoformat() if hasattr(capture, "isoformat") else str(capture)
                violation.changes.append(
                    Change(when, "config", f"configuration item {item.get('configurationItemStatus', '')}".strip())
                )
        except Exception as exc:  # the API lacks it (the local API) or refuses it: say so
            violation.notes.append(f"Config configuration history not available ({type(exc).__name__})")
    try:
        events = client("cloudtrail").lookup_events(
            LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": violation.resource}],
            StartTime=start,
            EndTime=end,
        )["Events"]
        for event in events:
            when = event["EventTime"].isoformat() if hasattr(event["EventTime"], "isoformat") else str(event["EventTime"])
            violation.changes.append(Change(when, "cloudtrail", f"{event.get('EventName')} by {event.get('Username', '?')}"))
    except Exception as exc:
        violation.notes.append(f"CloudTrail events not available ({type(exc).__name__})")
    violation.changes.sort(key=lambda c: c.time)


def history_document(items: list[Violation], *, since: str | None) -> Document:
    open_count = sum(1 for v in items if v.fixed is None)
    doc = Document().paragraph(
        f"{len(items)} violation(s){' since ' + since if since else ''}: {open_count} open, {len(items) - open_count} fixed"
    )
    if not items:
        return doc
    doc.table(
        ("account", "region", "control", "resource", "started", "fixed", "observations"),
        [(v.account, v.region, v.control, v.resource, v.started, v.fixed or "open", v.observations) for v in items],
    )
    for v in items:
        if v.changes or v.notes:
            doc.heading(f"{v.control} on {v.resource} ({v.account}, {v.region})", 4)
            doc.bullets([f"{c.time} [{c.source}] {c.what}" for c in v.changes] + v.notes)
    return doc


def render_history(items: list[Violation], fmt: str, *, since: str | None = None) -> str:
    return render(history_document(items, since=since), fmt, data={"since": since, "violations": [v.as_dict() for v in items]})
