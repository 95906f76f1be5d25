"""What every rule gets: the typed environment and a way to point at values."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Sequence

from ...derived.org_tree import OrgTree
from ..models import Environment
from ..paths import display_path, locate
from ..problems import Problem, Severity
from ..vending_network import request_path


@dataclass
class RuleContext:
    env: Environment
    data: Any  # the merged LocDict the models were validated from
    file: str

    @cached_property
    def tree(self) -> OrgTree:
        return OrgTree(self.env)

    @cached_property
    def enabled_controls(self) -> list:
        """The guardrails that are on (guardrails.enabled), computed once for every rule that asks.

        Raises guardrails.templates.TemplateError for a custom SCP with a bad placeholder (its own rule reports it).
        """
        from ...guardrails.enabled import enabled_controls  # the guardrails import the config models: load lazily
        return enabled_controls(self.env, self.tree)

    def location(self, path: Sequence[str | int]):
        return locate(self.data, request_path(self.data, path), self.file)

    def problem(self, path: Sequence[str | int], message: str, rule: str, severity: Severity = "error") -> Problem:
        # A VPC that came from an account request is reported at the request's `network:` block.
        path = request_path(self.data, path)
        return Problem(locate(self.data, path, self.file), display_path(self.data, path), message, severity, rule)
