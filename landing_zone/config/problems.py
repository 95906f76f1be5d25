"""Problems found in environment files, and how they are reported.

Every user mistake becomes a Problem that names the file, line and column,
the YAML path, the bad value and what is allowed; none becomes a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """Where a value was written: file, 1-based line and column."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


@dataclass(frozen=True)
class Problem:
    """One finding. `path` is the display path such as `accounts[name=x].email`."""

    location: Location
    path: str
    message: str
    severity: Severity = "error"
    rule: str = ""

    def __str__(self) -> str:
        prefix = f"{self.location}: "
        where = f"{self.path}: " if self.path else ""
        level = "warning: " if self.severity == "warning" else ""
        return f"{prefix}{level}{where}{self.message}"

    def sort_key(self) -> tuple:
        return (self.location.file, self.location.line, self.location.column, self.path, self.message)

    def as_dict(self) -> dict:
        return {
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "path": self.path,
            "message": self.message,
            "severity": self.severity,
            "rule": self.rule,
        }


@dataclass
class ConfigError(Exception):
    """Raised when an environment file is invalid; carries every problem at once."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.problems = sorted(self.problems, key=Problem.sort_key)
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=Problem.sort_key)
