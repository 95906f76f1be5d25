"""What `lz compliance` does, end to end (the CLI only parses arguments and builds the AWS client maker).

`status_report`: scope -> the aggregator and Security Hub (`live`) and/or
the local evaluator in each account (`evaluate`) -> since-when from the
store -> optionally recorded. `history_report`: the store's violations,
with Config's and CloudTrail's changes when credentials allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..facts import Facts
from . import store as store_module
from .access import Access, ComplianceError
from .evaluator import Evaluation, evaluate_account, runs_for
from .history import Violation, add_api_changes, since_time, violations
from .sink import LogArchiveSink, log_archive_sink
from .status import (
    Status,
    add_aggregator,
    add_aggregator_resources,
    add_evaluations,
    add_security_hub,
    add_since_from_store,
    rule_names,
    scope,
)


@dataclass(frozen=True)
class StatusOptions:
    env_file: str
    live: bool = True
    evaluate: bool = False
    security_hub: bool = True
    record: bool = False
    store: Path | None = store_module.DEFAULT_STORE
    """The compliance store (since-when of open violations; where --record writes); None: none."""
    log_archive: bool = False
    """Keep the observations in the log archive bucket (sink.py) instead of `store`."""
    account: str | None = None
    ou: str | None = None
    control: str | None = None


def env_name(env_file: str) -> str:
    return Path(env_file).stem


def _in_account(access: Access, account_id: str) -> Callable[[str, str], Any]:
    return lambda service, region: access.client(service, region, account_id)


def _evaluate(facts: Facts, status: Status, access: Access) -> list[Evaluation]:
    org = facts.env.organization
    by_id = {c.id: c for c in facts.enabled_controls}
    out: list[Evaluation] = []
    for account in status.accounts:
        controls = [by_id[c] for c in status.controls if account in status.reach[c]]
        runs = runs_for(controls)
        if not runs:
            continue
        number = access.account_id(account)
        out += evaluate_account(
            _in_account(access, number),
            number,
            org.governed_regions,
            runs,
            org.home_region,
        )
    return out


def _open_violations(path: Path | None, env: str, sink: LogArchiveSink | None = None) -> list[Violation]:
    if sink is not None:
        return [v for v in violations(sink.query(env)) if v.fixed is None]
    if path is None or not path.is_file():
        return []
    return [v for v in violations(store_module.query(path, env)) if v.fixed is None]


def _observations(
    status: Status, evaluations: list[Evaluation], open_before: list[Violation], id_to_name: dict[str, str]
) -> list[store_module.Observation]:
    when = store_module.now()
    out = [
        store_module.Observation(when, e.control_id, id_to_name.get(e.account, e.account), e.region, e.resource_type, e.resource, e.status, "evaluate", {"reason": e.reason, **e.evidence})
        for e in evaluations
    ]  # fmt: skip
    live = [f for f in status.findings if f.source == "config"]
    out += [
        store_module.Observation(when, f.control, f.account, f.region, f.resource_type, f.resource, "NON_COMPLIANT", "config", {"annotation": f.reason})
        for f in live
    ]  # fmt: skip
    if any(s.startswith("Config aggregator") for s in status.sources):
        # An open violation the aggregator no longer lists, where it has data for the control and account: fixed.
        listed = {(f.control, f.account, f.region, f.resource) for f in live}
        for v in open_before:
            key = (v.control, v.account, v.region, v.resource)
            if key in listed or v.control not in status.reach or v.account not in status.accounts:
                continue
            if status.cell(v.control, v.account).status and not any(
                e.control_id == v.control and e.resource == v.resource for e in evaluations
            ):
                out.append(store_module.Observation(when, v.control, v.account, v.region, v.resource_type, v.resource, "COMPLIANT", "config", {"inferred": "no longer listed as NON_COMPLIANT by the aggregator"}))  # fmt: skip
    return out


def status_report(facts: Facts, access: Access | None, options: StatusOptions) -> tuple[Status, int]:
    """The status (and how many observations were recorded)."""
    status, _, recorded = status_observations(facts, access, options)
    return status, recorded


def status_observations(
    facts: Facts, access: Access | None, options: StatusOptions
) -> tuple[Status, list[store_module.Observation], int]:
    """The status, this run's observations (what `--record` stores) and how many were recorded."""
    status = scope(facts, account=options.account, ou=options.ou, control=options.control)
    if options.record and not options.log_archive:
        if options.store is None:
            raise ComplianceError("--record needs a compliance store")
        store_module.check_writable(options.store)
    evaluations: list[Evaluation] = []
    id_to_name: dict[str, str] = {}
    if options.live or options.evaluate:
        if access is None:
            raise ComplianceError("no AWS access configured")
        access.check_caller()
        id_to_name = {v: k for k, v in access.account_ids().items()}
    elif options.log_archive:
        raise ComplianceError(
            "the log archive store is read with the management account's credentials: give --live or --evaluate"
        )
    sink = log_archive_sink(facts, access) if options.log_archive and access is not None else None
    if options.live:
        assert access is not None
        home = facts.env.organization.home_region
        audit = access.account_id(facts.env.core.audit_account)
        names = rule_names(facts)
        aggregator = facts.names.config_aggregator
        config = access.client("config", home, audit)
        failing = add_aggregator(status, config, aggregator, names, id_to_name)
        add_aggregator_resources(status, config, aggregator, failing, options.env_file)
        if options.security_hub:
            add_security_hub(status, access.client("securityhub", home, audit), names, id_to_name)
    if options.evaluate:
        assert access is not None
        try:
            evaluations = _evaluate(facts, status, access)
        except ComplianceError:
            raise
        except Exception as exc:  # an API that cannot be reached or refuses a read: a message, never a traceback
            code = getattr(exc, "response", {}).get("Error", {}).get("Code", "") or type(exc).__name__
            raise ComplianceError(f"the local evaluator cannot read the accounts' resources ({code}: {exc})") from None
        add_evaluations(status, evaluations, id_to_name, options.env_file)
    env = env_name(options.env_file)
    open_before = _open_violations(options.store, env, sink)
    add_since_from_store(status, {(v.control, v.account, v.resource): v.started for v in open_before})
    observed = _observations(status, evaluations, open_before, id_to_name)
    recorded = 0
    if options.record and sink is not None:
        recorded = sink.record(env, observed)
    elif options.record and options.store:
        recorded = store_module.record(options.store, env, observed)
    return status, observed, recorded


def history_report(
    env_file: str,
    path: Path,
    *,
    account: str | None = None,
    resource: str | None = None,
    since: str | None = None,
    access: Access | None = None,
    facts: Facts | None = None,
) -> tuple[list[Violation], str | None]:
    """Violations from the store (narrowed), with the APIs' changes when `access` works.

    With `facts` (and `access`), the store is the log archive bucket's `compliance/` prefix instead of `path`.
    """
    since_iso = since_time(since)
    if facts is not None:
        if access is None:
            raise ComplianceError("the log archive store needs the management account's credentials (leave out --offline)")
        access.check_caller()
        rows = log_archive_sink(facts, access).query(env_name(env_file), account=account, resource=resource)
    else:
        rows = store_module.query(path, env_name(env_file), account=account, resource=resource)
    found = violations(rows)
    found = [v for v in found if since_iso is None or (v.fixed or v.last_seen or v.started) >= since_iso]
    if access is not None and found:
        try:
            access.check_caller()
        except ComplianceError as exc:
            for v in found:
                v.notes.append(f"Config and CloudTrail changes not read: {exc}")
            return found, since_iso
        for v in found:
            number = access.account_id(v.account)

            def client(service: str, v: Any = v, number: str = number) -> Any:
                return access.client(service, v.region, number)

            add_api_changes(v, client)
    return found, since_iso
