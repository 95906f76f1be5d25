"""Rules on the `ci:` section: one repository, one protected branch or environment, no wildcards."""

from __future__ import annotations

import re

from ..config.problems import Problem
from .context import RuleContext

_GITHUB_REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_GITLAB_PROJECT = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$")
_NAME = re.compile(r"^[^\s*?\[\]~^:\\]+$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


def ci_section(ctx: RuleContext) -> list[Problem]:
    """The repository is one repository; the apply role's branch and environment are exact names."""
    ci = ctx.env.ci
    if ci is None:
        return []
    out = []
    pattern, form = (_GITHUB_REPOSITORY, "owner/name") if ci.provider == "github" else (_GITLAB_PROJECT, "group/project")
    if not pattern.match(ci.repository):
        out.append(
            ctx.problem(
                ("ci", "repository"), f"{ci.repository!r} is not one repository (expected {form}, no wildcards)", "ci_section"
            )
        )
    if not _NAME.match(ci.branch):
        out.append(
            ctx.problem(
                ("ci", "branch"),
                f"{ci.branch!r} is not one branch name: the apply role trusts exactly one protected branch (no wildcards or spaces)",
                "ci_section",
            )
        )
    if ci.environment is not None:
        if ci.provider != "github":
            out.append(
                ctx.problem(
                    ("ci", "environment"),
                    f"{ci.provider}'s OIDC subject does not name an environment; remove environment (the apply role trusts the branch)",
                    "ci_section",
                )
            )
        elif not _NAME.match(ci.environment):
            out.append(
                ctx.problem(
                    ("ci", "environment"),
                    f"{ci.environment!r} is not one environment name: the apply role trusts exactly one (no wildcards or spaces)",
                    "ci_section",
                )
            )
    if ci.state_bucket is not None and not _BUCKET.match(ci.state_bucket):
        out.append(
            ctx.problem(
                ("ci", "state_bucket"),
                f"{ci.state_bucket!r} is not an S3 bucket name (3-63 lower-case letters, digits, '.' and '-')",
                "ci_section",
            )
        )
    return out


RULES = [ci_section]
