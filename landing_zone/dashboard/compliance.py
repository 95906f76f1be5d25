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

    def latest(self) -> list[Observation]:
        """The last observation of each (control, account, region, resource)."""
        last: dict[tuple[str, str, str, str], Observation] = {}
        for o in sorted(self.observations, key=lambda o: o.time):
            last[(o.control, o.account, o.region, o.resource)] = o
        return list(last.values())

    def as_dict(self) -> dict:
        heat: dict[str, dict[str, list[int]]] = {}
        findings = []
        for o in self.latest():
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
                        "since": self._since(o),
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

    def _since(self, current: Observation) -> str:
        """When the resource's current non-compliant run started (the first of the unbroken NON_COMPLIANT observations)."""
        runs = sorted(
            (
                o
                for o in self.observations
                if (o.control, o.account, o.region, o.resource)
                == (current.control, current.account, current.region, current.resource)
            ),
            key=lambda o: o.time,
        )
        since = current.time
        for o in reversed(runs):
            if o.status != "NON_COMPLIANT":
                break
            since = o.time
        return since
