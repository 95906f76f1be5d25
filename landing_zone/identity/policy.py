"""Inline policies of permission sets: parse, minify, spot `*` on `*`, lint.

Linting uses parliament (imported only when a policy is linted: it costs
about half a second). Its findings are warnings, except a malformed policy,
which AWS would refuse.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from ..speed.parliament_import import import_parliament

AWS_MANAGED_POLICY_PREFIX = "arn:aws:iam::aws:policy/"


class PolicyError(ValueError):
    """The inline policy is not a JSON object (message for people)."""


def managed_policy_arn(name_or_arn: str) -> str:
    """'ReadOnlyAccess' or 'job-function/ViewOnlyAccess' -> its AWS managed policy ARN; ARNs pass through."""
    if name_or_arn.startswith("arn:"):
        return name_or_arn
    return AWS_MANAGED_POLICY_PREFIX + name_or_arn.lstrip("/")


def policy_document(policy: Any) -> dict:
    """The policy as a dict, from a mapping or a JSON string."""
    if isinstance(policy, str):
        try:
            policy = json.loads(policy)
        except json.JSONDecodeError as exc:
            raise PolicyError(f"is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno} of the policy)") from None
    if not isinstance(policy, dict):
        raise PolicyError(f"is a JSON {type(policy).__name__}; expected an object with Version and Statement")
    return policy


def minify_policy(policy: Any) -> str:
    """The policy as compact JSON, keys in the order written (what AWS stores and counts)."""
    return json.dumps(policy_document(policy), separators=(",", ":"), ensure_ascii=False)


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _statements(doc: dict) -> list[dict]:
    return [s for s in _as_list(doc.get("Statement")) if isinstance(s, dict)]


def grants_admin(policy: Any) -> bool:
    """True when a statement allows every action ('*' or '*:*') on every resource ('*').

    An Allow with NotAction on '*' counts too: it allows every action but the
    listed ones (all of IAM included, unless listed), which is admin in effect.
    """
    for statement in _statements(policy_document(policy)):
        if statement.get("Effect") != "Allow":
            continue
        actions = {str(a) for a in _as_list(statement.get("Action"))}
        resources = {str(r) for r in _as_list(statement.get("Resource"))}
        if (actions & {"*", "*:*"} or "NotAction" in statement) and "*" in resources:
            return True
    return False


@dataclass(frozen=True)
class LintFinding:
    """One finding of the linter: `error` when AWS would refuse the policy."""

    issue: str
    title: str
    detail: str
    severity: Literal["error", "warning"]

    def __str__(self) -> str:
        detail = f": {self.detail}" if self.detail else ""
        return f"{self.title} ({self.issue}){detail}"


def _detail(detail: Any) -> str:
    if detail in (None, "", [], {}):
        return ""
    if isinstance(detail, str):
        return detail
    return json.dumps(detail, sort_keys=True, default=str)


def lint_policy(policy: Any) -> list[LintFinding]:
    """parliament's findings on the policy, in a stable order."""
    parliament = import_parliament()  # deferred: importing it costs about half a second

    text = minify_policy(policy)
    analyzed = parliament.analyze_policy_string(text)
    out = []
    for finding in analyzed.findings:
        meta = parliament.config.get(finding.issue, {}) or {}
        severity: Literal["error", "warning"] = (
            "error" if meta.get("group") == "MALFORMED" or finding.issue.startswith("MALFORMED") else "warning"
        )
        out.append(LintFinding(finding.issue, meta.get("title", finding.issue), _detail(finding.detail), severity))
    return sorted(set(out), key=lambda f: (f.severity, f.issue, f.detail))
