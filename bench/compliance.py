"""The compliance benchmarks: `lz compliance` over recorded aggregator pages, the store's history, `lz check-plan`.

    python bench/compliance.py prepare WORK [--env ENV_1000]   # pages, a 1,000,000-row store, a 500-resource plan
    python bench/compliance.py status ENV PAGES                # status of 1,000 accounts x 40 rules from the pages
    python bench/compliance.py history STORE                   # one account's history (prints the query time)
    python bench/compliance.py check-plan ENV PLAN             # 500 planned resources against payments-prod

Each measurement is one fresh process (bench/run.py times it); `history` also
prints the time of the query alone, which is what the 200 ms target is about.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # `python bench/compliance.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "environments" / "example.yaml"
RULES_PER_ACCOUNT = 40
OBSERVATIONS = 1_000_000
PLAN_RESOURCES = 500
HOME = "eu-west-1"


def _ids(names: list[str]) -> dict[str, str]:
    return {name: str(100000000000 + i) for i, name in enumerate(names)}


def prepare(work: Path, env_file: Path) -> None:
    from landing_zone.compliance.status import rule_names
    from landing_zone.compliance.store import connect
    from landing_zone.environment import load_environment

    work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(17)
    facts = load_environment(env_file).facts
    accounts = [facts.env.organization.management_account.name, *(a.name for a in facts.env.accounts)]
    ids = _ids(accounts)
    ours = sorted(rule_names(facts))
    rules = [f"OrgConfigRule-{n}-a1b2c3" for n in ours] + [
        f"other-rule-{i}" for i in range(max(0, RULES_PER_ACCOUNT - len(ours)))
    ]
    rows, details = [], {}
    for account in accounts:
        for rule in rules[:RULES_PER_ACCOUNT]:
            kind = rng.choices(["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"], [90, 3, 7])[0]
            count = rng.randint(1, 3) if kind == "NON_COMPLIANT" else 0
            rows.append(
                {
                    "ConfigRuleName": rule,
                    "AccountId": ids[account],
                    "AwsRegion": HOME,
                    "Compliance": {"ComplianceType": kind, "ComplianceContributorCount": {"CappedCount": count}},
                }
            )
            if count:
                details[f"{rule}|{ids[account]}|{HOME}"] = [
                    {
                        "EvaluationResultIdentifier": {
                            "EvaluationResultQualifier": {
                                "ConfigRuleName": rule,
                                "ResourceType": "AWS::S3::Bucket",
                                "ResourceId": f"bucket-{account}-{i}",
                            }
                        },
                        "ComplianceType": "NON_COMPLIANT",
                        "ResultRecordedTime": "2026-11-20T10:00:00Z",
                    }
                    for i in range(count)
                ]
    pages = [rows[i : i + 100] for i in range(0, len(rows), 100)]  # the API's page size
    (work / "pages.json").write_text(json.dumps({"accounts": ids, "pages": pages, "details": details}))

    store = work / "compliance.sqlite"
    store.unlink(missing_ok=True)
    conn = connect(store)
    per_account = -(-OBSERVATIONS // len(accounts))  # at least OBSERVATIONS in all
    with conn:
        for account in accounts:
            conn.executemany(
                "INSERT INTO observations (env, time, control, account, region, resource_type, resource, status, source, evidence) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        "bench",
                        f"2026-{1 + i * 11 // per_account:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00Z",
                        ours[i % len(ours)][:40],
                        account,
                        HOME,
                        "AWS::S3::Bucket",
                        f"bucket-{account}-{i % 25}",
                        "NON_COMPLIANT" if (i // 25) % 3 == 0 else "COMPLIANT",
                        "evaluate",
                        "{}",
                    )  # fmt: skip
                    for i in range(per_account)
                ],
            )
    conn.close()

    changes = []
    for i in range(PLAN_RESOURCES):
        kind = i % 5
        if kind == 0:
            changes.append(("aws_s3_bucket", f"b{i}", {"bucket": f"bench-{i}"}))
        elif kind == 1:
            changes.append(("aws_security_group", f"g{i}", {"name": f"g{i}", "ingress": [{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]}]}))  # fmt: skip
        elif kind == 2:
            changes.append(("aws_instance", f"i{i}", {"ebs_optimized": True, "metadata_options": [{"http_tokens": "required"}], "root_block_device": [{"encrypted": True}]}))  # fmt: skip
        elif kind == 3:
            changes.append(
                ("aws_db_instance", f"d{i}", {"identifier": f"d{i}", "publicly_accessible": False, "storage_encrypted": True})
            )
        else:
            changes.append(("aws_iam_role", f"r{i}", {"name": f"app-{i}", "path": "/", "assume_role_policy": "{}"}))
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.11.0",
        "resource_changes": [
            {"address": f"{t}.{n}", "mode": "managed", "type": t, "change": {"actions": ["create"], "before": None, "after": v}}
            for t, n, v in changes
        ],
        "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": HOME}}}}},
    }
    (work / "plan-500.json").write_text(json.dumps(plan))
    print(
        f"wrote {work}/pages.json ({len(rows):,} rows), compliance.sqlite ({per_account * len(accounts):,} rows), plan-500.json"
    )


class _Replay:
    def __init__(self, data: dict) -> None:
        self.data = data

    def describe_aggregate_compliance_by_config_rules(self, **kwargs) -> dict:
        index = int(kwargs.get("NextToken") or 0)
        pages = self.data["pages"]
        return {
            "AggregateComplianceByConfigRules": pages[index],
            **({"NextToken": str(index + 1)} if index + 1 < len(pages) else {}),
        }

    def get_aggregate_compliance_details_by_config_rule(self, **kwargs) -> dict:
        key = f"{kwargs['ConfigRuleName']}|{kwargs['AccountId']}|{kwargs['AwsRegion']}"
        return {"AggregateEvaluationResults": self.data["details"].get(key, [])}


def status(env_file: str, pages: str) -> None:
    from landing_zone.compliance.access import Access
    from landing_zone.compliance.run import StatusOptions, status_report
    from landing_zone.compliance.status import render_status
    from landing_zone.environment import load_environment

    data = json.loads(Path(pages).read_text())
    facts = load_environment(env_file).facts

    class Replayed(Access):
        def check_caller(self) -> None:
            self.management_id = data["accounts"][facts.env.organization.management_account.name]

        def account_ids(self) -> dict[str, str]:
            return data["accounts"]

        def client(self, service, region, account_id=None):
            return _Replay(data)

    options = StatusOptions(env_file, live=True, security_hub=False, store=Path("/nonexistent/store.sqlite"))
    result, _ = status_report(facts, Replayed(lambda *a, **k: None, facts.env), options)
    text = render_status(result, "text")
    print(
        f"{len(result.accounts)} accounts, {len(result.controls)} controls, {len(result.findings)} non-compliant resources, {len(text):,} characters"
    )


def history(store: str) -> None:
    from landing_zone.compliance.store import query

    start = time.perf_counter()
    rows = list(query(Path(store), "bench", account="payments-prod"))
    from landing_zone.compliance.history import violations

    found = violations(rows)
    print(
        f"one account's history: {len(rows):,} observations, {len(found):,} violations in {(time.perf_counter() - start) * 1000:.0f} ms"
    )


def check_plan(env_file: str, plan: str) -> None:
    from landing_zone.compliance.plan_check import check_plan as check
    from landing_zone.environment import load_environment
    from landing_zone.review.plan_input import check_plan as check_shape
    from landing_zone.review.plan_input import read_plan_json

    data = read_plan_json(Path(plan))
    check_shape(data, Path(plan))
    result = check(load_environment(env_file).facts, "payments-prod", data)
    print(result.summary_line())


def main(argv: list[str]) -> int:
    command, *rest = argv
    if command == "prepare":
        env = Path(rest[2]) if len(rest) > 2 and rest[1] == "--env" else EXAMPLE
        prepare(Path(rest[0]), env)
    elif command == "status":
        status(*rest)
    elif command == "history":
        history(*rest)
    elif command == "check-plan":
        check_plan(*rest)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
