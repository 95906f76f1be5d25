"""`lz compliance ENV`: every detective control's status in every account it reaches.

Sources, merged into one control x account view:
- the audit account's Config aggregator (organization rules appear in member
  accounts as `OrgConfigRule-<name>-<suffix>`; account-level rules added for
  remediation keep the landing zone's name with a suffix), mapped back to
  control ids by `control_for_rule`;
- Security Hub's failed findings of those rules in the audit account (their
  FirstObservedAt says since when);
- the local evaluator (`--evaluate`), which reads each account's resources.
Each non-compliant resource carries its control's runbook and the exact
`lz respond` command that fixes it (respond.model.CONTROL_RUNBOOKS).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..facts import Facts
from ..render import Document, render
from ..respond.model import CONTROL_RUNBOOKS
from .access import ComplianceError

CELL_LABELS = {
    "COMPLIANT": "compliant",
    "NON_COMPLIANT": "non-compliant",
    "NOT_APPLICABLE": "not applicable",
    "INSUFFICIENT_DATA": "no data",
    "": "no data",
}
MATRIX_MAX_ACCOUNTS = 12  # wider organizations get one summary row per control in text and markdown
_ORG_RULE = re.compile(r"^OrgConfigRule-(.+)-[A-Za-z0-9]+$")


@dataclass
class Cell:
    status: str = ""  # COMPLIANT | NON_COMPLIANT | NOT_APPLICABLE | "" (no data)
    count: int = 0

    def merge(self, status: str, count: int = 0) -> None:
        rank = {"NON_COMPLIANT": 3, "COMPLIANT": 2, "NOT_APPLICABLE": 1, "INSUFFICIENT_DATA": 0, "": 0}
        if status == "NON_COMPLIANT":
            self.count += count
        if rank.get(status, 0) > rank.get(self.status, 0):
            self.status = status

    @property
    def label(self) -> str:
        if self.status == "NON_COMPLIANT":
            return f"non-compliant ({self.count})" if self.count else "non-compliant"
        return CELL_LABELS.get(self.status, self.status.lower())


@dataclass
class Finding:
    control: str
    account: str
    region: str
    resource_type: str
    resource: str
    since: str
    source: str
    reason: str = ""
    runbook: str = ""
    command: str = ""


@dataclass
class Status:
    controls: list[str]
    accounts: list[str]
    reach: dict[str, set[str]]
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    unmapped_rules: set[str] = field(default_factory=set)

    def cell(self, control: str, account: str) -> Cell:
        return self.cells.setdefault((control, account), Cell())

    def label(self, control: str, account: str) -> str:
        if account not in self.reach.get(control, ()):
            return "-"
        return self.cell(control, account).label

    def as_dict(self) -> dict[str, Any]:
        return {
            "sources": self.sources,
            "controls": self.controls,
            "accounts": self.accounts,
            "status": {
                c: {a: (self.label(c, a) if a in self.reach.get(c, ()) else "not targeted") for a in self.accounts}
                for c in self.controls
            },
            "non_compliant": [f.__dict__ for f in self.findings],
            "unmapped_rules": sorted(self.unmapped_rules),
        }


def rule_names(facts: Facts) -> dict[str, str]:
    """The landing zone's Config rule name -> control id."""
    return {c.config_rule.name: c.id for c in facts.enabled_controls if c.config_rule is not None}


def control_for_rule(rule_name: str, names: dict[str, str]) -> str | None:
    """The control id of a Config rule as the aggregator names it, or None for a rule that is not ours."""
    if rule_name in names:
        return names[rule_name]
    match = _ORG_RULE.match(rule_name)
    if match and match.group(1) in names:
        return names[match.group(1)]
    # an account-level rule: the landing zone's name and a suffix (the longest name wins)
    candidates = [n for n in names if rule_name.startswith(n + "-") or (match and match.group(1).startswith(n))]
    return names[max(candidates, key=len)] if candidates else None


def scope(facts: Facts, *, account: str | None = None, ou: str | None = None, control: str | None = None) -> Status:
    """The detective controls and accounts asked for, and which control reaches which account."""
    env = facts.env
    mgmt = env.organization.management_account.name
    accounts = [mgmt, *(a.name for a in env.accounts)]
    if account:
        if account not in accounts:
            raise ComplianceError(
                f"--account {account!r} is not an account of the environment (known: {', '.join(sorted(accounts))})"
            )
        accounts = [account]
    if ou:
        if ou not in facts.tree.nodes:
            raise ComplianceError(
                f"--ou {ou!r} is not an OU path of the environment (known: {', '.join(sorted(facts.tree.nodes))})"
            )
        below = {a.name for a in facts.tree.subtree_accounts(ou)}
        accounts = [a for a in accounts if a in below]
    detective = [c for c in facts.enabled_controls if c.config_rule is not None]
    if control:
        known = [c.id for c in detective]
        if control not in known:
            raise ComplianceError(f"--control {control!r} is not an enabled detective control (enabled: {', '.join(known)})")
        detective = [c for c in detective if c.id == control]
    reach = {c.id: {a for a in accounts if a in c.covered or (a == mgmt and c.includes_management)} for c in detective}
    return Status([c.id for c in detective], accounts, reach)


def fix_command(env_file: str, control: str, account: str, resource: str) -> tuple[str, str]:
    runbook = CONTROL_RUNBOOKS.get(control)
    if runbook is None:
        return "", ""
    params = " ".join(f"--param {shlex.quote(f'{k}={v}')}" for k, v in runbook.parameters(resource).items())
    return (
        runbook.runbook,
        f"lz respond {shlex.quote(env_file)} --account {shlex.quote(account)} --runbook {runbook.runbook} {params}",
    )


def _time(value: Any) -> str:
    """An API time (datetime from boto3, or text) as ISO 8601 UTC text."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat()).replace("+00:00", "Z")
    return str(value)


def _pages(call: Any, key: str, **kwargs: Any) -> Iterable[dict]:
    token = None
    while True:
        page = call(**kwargs, **({"NextToken": token} if token else {}))
        yield from page.get(key, [])
        token = page.get("NextToken")
        if not token:
            return


def add_aggregator(status: Status, config: Any, aggregator: str, names: dict[str, str], id_to_name: dict[str, str]) -> list[dict]:
    """Cells from the aggregator's per-rule, per-account compliance; returns the non-compliant (rule, account, region) rows."""
    try:
        rows = list(
            _pages(
                config.describe_aggregate_compliance_by_config_rules,
                "AggregateComplianceByConfigRules",
                ConfigurationAggregatorName=aggregator,
            )
        )
    except Exception as exc:
        code = getattr(exc, "response", {}).get("Error", {}).get("Code", "") or type(exc).__name__
        if code == "NoSuchConfigurationAggregatorException":
            raise ComplianceError(
                f"the audit account has no Config aggregator {aggregator!r}: deploy the audit stack (lz deploy) first"
            ) from None
        raise ComplianceError(f"cannot read the Config aggregator {aggregator!r} ({code}: {exc})") from None
    status.sources.append(f"Config aggregator {aggregator}")
    failing = []
    mapped: dict[str, str | None] = {}  # a few dozen rule names over thousands of rows
    for row in rows:
        rule = row["ConfigRuleName"]
        if rule not in mapped:
            mapped[rule] = control_for_rule(rule, names)
        control = mapped[rule]
        account = id_to_name.get(row.get("AccountId", ""), row.get("AccountId", ""))
        if control is None:
            status.unmapped_rules.add(row["ConfigRuleName"])
            continue
        if control not in status.reach or account not in status.accounts:
            continue
        compliance = row.get("Compliance", {})
        kind = compliance.get("ComplianceType", "")
        count = compliance.get("ComplianceContributorCount", {}).get("CappedCount", 0)
        status.cell(control, account).merge(kind, count)
        if kind == "NON_COMPLIANT":
            failing.append({**row, "control": control, "account": account})
    return failing


def add_aggregator_resources(status: Status, config: Any, aggregator: str, failing: list[dict], env_file: str) -> None:
    """The non-compliant resources of each failing rule, account and region."""
    for row in failing:
        results = _pages(
            config.get_aggregate_compliance_details_by_config_rule,
            "AggregateEvaluationResults",
            ConfigurationAggregatorName=aggregator,
            ConfigRuleName=row["ConfigRuleName"],
            AccountId=row["AccountId"],
            AwsRegion=row["AwsRegion"],
            ComplianceType="NON_COMPLIANT",
        )
        for result in results:
            qualifier = result["EvaluationResultIdentifier"]["EvaluationResultQualifier"]
            since = _time(result.get("ResultRecordedTime"))
            runbook, command = fix_command(env_file, row["control"], row["account"], qualifier["ResourceId"])
            status.findings.append(
                Finding(
                    row["control"],
                    row["account"],
                    row["AwsRegion"],
                    qualifier.get("ResourceType", ""),
                    qualifier["ResourceId"],
                    since,
                    "config",
                    result.get("Annotation", ""),
                    runbook,
                    command,
                )  # fmt: skip
            )


def add_security_hub(status: Status, hub: Any, names: dict[str, str], id_to_name: dict[str, str]) -> None:
    """Since-when from Security Hub's findings of the landing zone's rules (FirstObservedAt)."""
    filters = {
        "ComplianceStatus": [{"Value": "FAILED", "Comparison": "EQUALS"}],
        "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
    }
    try:
        findings = list(_pages(hub.get_findings, "Findings", Filters=filters, MaxResults=100))
    except Exception as exc:
        code = getattr(exc, "response", {}).get("Error", {}).get("Code", "") or type(exc).__name__
        if code in ("InvalidAccessException", "AccessDeniedException"):
            raise ComplianceError(
                f"Security Hub is not enabled as the organization's administrator in the audit account ({code}); "
                "deploy the audit stack, or leave out --security-hub"
            ) from None
        raise ComplianceError(f"cannot read Security Hub's findings ({code}: {exc})") from None
    status.sources.append("Security Hub")
    first_seen: dict[tuple[str, str, str], str] = {}
    for finding in findings:
        rule = (finding.get("ProductFields") or {}).get("aws/config/ConfigRuleName", "")
        control = control_for_rule(rule, names) if rule else None
        if control is None:
            continue
        account = id_to_name.get(finding.get("AwsAccountId", ""), finding.get("AwsAccountId", ""))
        for resource in finding.get("Resources", []):
            first_seen[(control, account, resource.get("Id", "").rsplit(":", 1)[-1].rsplit("/", 1)[-1])] = finding.get(
                "FirstObservedAt", ""
            )
    for f in status.findings:
        seen = first_seen.get((f.control, f.account, f.resource))
        if seen and (not f.since or seen < f.since):
            f.since = seen


def add_evaluations(status: Status, evaluations: Iterable[Any], id_to_name: dict[str, str], env_file: str) -> None:
    """Cells and findings from the local evaluator's verdicts (compliance.evaluator.Evaluation)."""
    status.sources.append("local evaluator")
    for e in evaluations:
        account = id_to_name.get(e.account, e.account)
        if e.control_id not in status.reach or account not in status.accounts:
            continue
        status.cell(e.control_id, account).merge(e.status, 1)
        if e.violation:
            runbook, command = fix_command(env_file, e.control_id, account, e.resource)
            status.findings.append(
                Finding(e.control_id, account, e.region, e.resource_type, e.resource, "", "evaluate", e.reason, runbook, command)
            )


def add_since_from_store(status: Status, first_open: dict[tuple[str, str, str], str]) -> None:
    """Since-when from the store: the start of each resource's open violation, when earlier."""
    for f in status.findings:
        seen = first_open.get((f.control, f.account, f.resource))
        if seen and (not f.since or seen < f.since):
            f.since = seen


def status_document(status: Status) -> Document:
    doc = Document().paragraph(
        f"Detective controls in {len(status.accounts)} account(s), from {', '.join(status.sources) or 'no source'}."
    )
    if len(status.accounts) <= MATRIX_MAX_ACCOUNTS:
        doc.table(("control", *status.accounts), [(c, *(status.label(c, a) for a in status.accounts)) for c in status.controls])
    else:
        rows = []
        for c in status.controls:
            labels = [status.cell(c, a).status for a in status.accounts if a in status.reach[c]]
            bad = [a for a in status.accounts if a in status.reach[c] and status.cell(c, a).status == "NON_COMPLIANT"]
            rows.append((c, labels.count("COMPLIANT"), len(bad), labels.count("NOT_APPLICABLE"), sum(1 for s in labels if s in ("", "INSUFFICIENT_DATA")), ", ".join(bad[:5]) + (" ..." if len(bad) > 5 else "")))  # fmt: skip
        doc.table(("control", "compliant", "non-compliant", "not applicable", "no data", "non-compliant accounts"), rows)
    if status.findings:
        doc.heading("Non-compliant resources")
        doc.table(
            ("account", "region", "control", "resource", "since", "fix"),
            [
                (f.account, f.region, f.control, f.resource, f.since or "-", f.command or "no runbook: see the control's notes")
                for f in status.findings
            ],
        )
    if status.unmapped_rules:
        doc.bullets([f"{len(status.unmapped_rules)} Config rule(s) that are not the landing zone's were left out"])
    return doc


def render_status(status: Status, fmt: str) -> str:
    return render(status_document(status), fmt, data=status.as_dict())
