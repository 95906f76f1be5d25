"""The seam for the compliance views (`lz dashboard --live` / `--history`, issue 17).

The dashboard does not read Config or the history store itself: whoever does
(the compliance reader of `lz compliance`) hands it `Observation`s, one per
control, account, region and resource, each with a status and the time it
was seen. `ComplianceView.as_dict` turns them into what the page shows: the
controls × accounts heatmap, every non-compliant resource with its runbook and
the `lz respond` command that fixes it, and a timeline per account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..respond.model import CONTROL_RUNBOOKS

Status = Literal["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"]


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
    """Observations from one source: 'live' (the aggregator now) or a history store (every time seen)."""

    source: str
    observations: tuple[Observation, ...]
    env_file: str = "ENV"

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
                findings.append(
                    {
                        "control": o.control,
                        "account": o.account,
                        "region": o.region,
                        "resource": o.resource,
                        "since": _since(runs),
                        "runbook": fix.runbook if fix else None,
                        "command": command,
                    }
                )
            elif o.status == "COMPLIANT":
                cell[1] += 1
        timeline: dict[str, list[list[str]]] = {}
        for o in sorted(self.observations, key=lambda o: (o.account, o.time, o.control, o.resource)):
            timeline.setdefault(o.account, []).append([o.time, o.control, o.resource, o.status])
        return {"source": self.source, "heatmap": heat, "findings": findings, "timeline": timeline}


def _since(runs: list[Observation]) -> str:
    """When the current unbroken run of NON_COMPLIANT observations of one resource (oldest first) started."""
    since = runs[-1].time
    for o in reversed(runs):
        if o.status != "NON_COMPLIANT":
            break
        since = o.time
    return since
