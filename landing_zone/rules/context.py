"""What every rule gets: the derived facts of the environment and a way to point at values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from ..config.models import Environment
from ..config.paths import display_path, locate
from ..config.problems import Location, Problem, Severity
from ..config.vending_network import request_path
from ..derived.org_tree import OrgTree
from ..facts import Facts
from ..guardrails.enabled import EnabledControl

# A YAML path as the rules build it: keys and list indexes.
YamlPath = tuple[str | int, ...]


@dataclass
class RuleContext:
    facts: Facts
    data: Any  # the merged LocDict the models were validated from
    file: str

    @property
    def env(self) -> Environment:
        return self.facts.env

    @property
    def tree(self) -> OrgTree:
        return self.facts.tree

    @property
    def enabled_controls(self) -> list[EnabledControl]:
        """The guardrails that are on (raises guardrails.templates.TemplateError, which its own rule reports)."""
        return self.facts.enabled_controls

    def location(self, path: Sequence[str | int]) -> Location:
        return locate(self.data, request_path(self.data, path), self.file)

    def problem(self, path: Sequence[str | int], message: str, rule: str, severity: Severity = "error") -> Problem:
        # A VPC that came from an account request is reported at the request's `network:` block.
        path = request_path(self.data, path)
        return Problem(locate(self.data, path, self.file), display_path(self.data, path), message, severity, rule)
