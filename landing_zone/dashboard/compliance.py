"""The compliance views of the dashboard (`lz dashboard --live` / `--evaluate` / `--history DB`, issue 17).

The page is drawn from `Observation`s, one per control, account, region and
resource, each with a status and the time it was seen. They come from the
compliance reader of `lz compliance` (`read_compliance`): the status now (the
audit account's Config aggregator and Security Hub with `live`, the local
evaluator in each account with `evaluate`) and the compliance store's history
(`history`, the SQLite file `lz compliance --record` writes).
`ComplianceView.as_dict` turns them into what the page shows: the controls ×
accounts heatmap (the latest observation of each resource), every
non-compliant resource with its runbook and the `lz respond` command that
fixes it, and a timeline per account of each violation (when it started,
when it was fixed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Mapping, Optional

from ..compliance import store as store_module
from ..compliance.history import violations
from ..respond.model import CONTROL_RUNBOOKS

if TYPE_CHECKING:
    from ..compliance.access import Access
    from ..compliance.status import Status as ComplianceStatus
    from ..facts import Facts

Status = Literal["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"]
ACCOUNT_LEVEL = "(account)"
"""The resource of a cell the aggregator reports as compliant or not applicable without naming resources."""


@dataclass(frozen=True)
class Observation:
    """One evaluation of one resource by one control."""

    control: str
    account: str
    region: str
    resource: str
    status: Status
    time: str
    """ISO 8601, UTC."""


@dataclass(frozen=True)
class ComplianceView:
    """Observations from one or more sources (the status now, a history store), described by `source`."""

    source: str
    observations: tuple[Observation, ...]
    env_file: str = "ENV"
    since: Mapping[tuple[str, str, str], str] = field(default_factory=dict)
    """(control, account, resource) -> an earlier start a source knows of (Config's or Security Hub's)."""

    def as_dict(self) -> dict:
        history: dict[tuple[str, str, str, str], list[Observation]] = {}
        for o in sorted(self.observations, key=lambda o: o.time):
            history.setdefault((o.control, o.account, o.region, o.resource), []).append(o)
        heat: dict[str, dict[str, list[int]]] = {}
        findings = []
        for runs in history.values():
            o = runs[-1]  # the latest observation of the resource
            cell = heat.setdefault(o.control, {}).setdefault(o.account, [0, 0])
            if o.status == "NON_COMPLIANT":
                cell[0] += 1
                fix = CONTROL_RUNBOOKS.get(o.control)
                command = None
                if fix is not None:
                    params = " ".join(f"--param {k}={v}" for k, v in fix.parameters(o.resource).items())
                    command = f"lz respond {self.env_file} --account {o.account} --runbook {fix.runbook} {params}"
                since = _since(runs)
                hint = self.since.get((o.control, o.account, o.resource))
                findings.append(
                    {
                        "control": o.control,
                        "account": o.account,
                        "region": o.region,
                        "resource": o.resource,
                        "since": min(since, hint) if hint else since,
                        "runbook": fix.runbook if fix else None,
                        "command": command,
                    }
                )
            elif o.status == "COMPLIANT":
                cell[1] += 1
        timeline: dict[str, list[list]] = {}
        as_stored = (store_module.Observation(o.time, o.control, o.account, o.region, "", o.resource, o.status) for o in self.observations)  # fmt: skip
        for v in violations(as_stored):  # by account, then start
            timeline.setdefault(v.account, []).append([v.started, v.fixed or "", v.control, v.resource, v.region, v.observations])
        return {"source": self.source, "heatmap": heat, "findings": findings, "timeline": timeline}


def _since(runs: list[Observation]) -> str:
    """When the current unbroken run of NON_COMPLIANT observations of one resource (oldest first) started."""
    since = runs[-1].time
    for o in reversed(runs):
        if o.status != "NON_COMPLIANT":
            break
        since = o.time
    return since


def _status(text: str) -> Optional[Status]:
    return text if text in ("COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE") else None  # type: ignore[return-value]


def from_store(path: Path, env: str) -> list[Observation]:
    """Every observation of `env` in the compliance store at `path` (StoreError when there is none)."""
    out = []
    for o in store_module.query(path, env):
        status = _status(o.status)
        if status is not None:
            out.append(Observation(o.control, o.account, o.region, o.resource, status, o.time))
    return out


def from_status(status: "ComplianceStatus", observed: list[store_module.Observation], home_region: str) -> list[Observation]:
    """This run's observations, plus one per cell the aggregator judged without naming resources."""
    out = []
    for o in observed:
        s = _status(o.status)
        if s is not None:
            out.append(Observation(o.control, o.account, o.region, o.resource, s, o.time))
    seen = {(o.control, o.account) for o in out}
    when = observed[0].time if observed else store_module.now()
    for (control, account), cell in sorted(status.cells.items()):
        s = _status(cell.status)
        if s is not None and s != "NON_COMPLIANT" and (control, account) not in seen:
            out.append(Observation(control, account, home_region, ACCOUNT_LEVEL, s, when))
    return out


@dataclass(frozen=True)
class ComplianceSources:
    """Where the dashboard's compliance views come from (at least one of them)."""

    live: bool = False
    """The audit account's Config aggregator (and Security Hub unless `security_hub` is off)."""
    evaluate: bool = False
    """The local evaluator in each account."""
    security_hub: bool = True
    history: Optional[Path] = None
    """A compliance store (`lz compliance --record`)."""
    account: Optional[str] = None
    """With `live` or `evaluate`: read this account only now (the history keeps every account)."""
    ou: Optional[str] = None
    """With `live` or `evaluate`: read the accounts under this OU path only now."""

    @property
    def now(self) -> bool:
        return self.live or self.evaluate

    @property
    def any(self) -> bool:
        return self.now or self.history is not None


def read_compliance(facts: "Facts", env_file: str, sources: ComplianceSources, access: Optional["Access"]) -> ComplianceView:
    """The compliance view of `env_file` from `sources`; ComplianceError or StoreError (exit 2) when one cannot answer."""
    from ..compliance.run import StatusOptions, env_name, status_observations

    observations: list[Observation] = []
    described: list[str] = []
    since: dict[tuple[str, str, str], str] = {}
    if sources.history is not None:
        stored = from_store(sources.history, env_name(env_file))
        observations += stored
        described.append(f"history {sources.history} ({len(stored)} observations)")
    if sources.now:
        options = StatusOptions(
            env_file,
            live=sources.live,
            evaluate=sources.evaluate,
            security_hub=sources.security_hub,
            store=sources.history,  # since-when of open violations from the store, when given
            account=sources.account,
            ou=sources.ou,
        )
        status, observed, _ = status_observations(facts, access, options)
        observations += from_status(status, observed, facts.env.organization.home_region)
        since = {(f.control, f.account, f.resource): f.since for f in status.findings if f.since}
        described.insert(0, f"now from {', '.join(status.sources)}")
    return ComplianceView("; ".join(described), tuple(observations), env_file=env_file, since=since)
