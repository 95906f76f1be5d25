"""Which checkov config the gate uses, and the skips (with reasons) it declares.

The project's `.checkov.yaml` in the working directory wins; outside this repo
the package default (landing_zone/scan/default.checkov.yaml) applies. Every
`skip-check` entry must carry its reason as a comment on its line, so the
reasons can be printed next to the results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

PROJECT_CONFIG = ".checkov.yaml"
CHECKS_DIR = Path(__file__).resolve().parent.parent / "checks"
_SKIP_LINE = re.compile(r"^\s*-\s*['\"]?(?P<id>[A-Za-z0-9_*]+)['\"]?\s*(?:#\s*(?P<reason>.*?))?\s*$")


@dataclass(frozen=True)
class Skip:
    check_id: str
    reason: str


@dataclass(frozen=True)
class CheckovConfig:
    path: Path
    skips: tuple[Skip, ...]
    external_checks_dirs: tuple[str, ...]  # as written in the file (checkov resolves them from the cwd)

    @property
    def unexplained_skips(self) -> list[str]:
        return [s.check_id for s in self.skips if not s.reason]


def default_config_path() -> Path:
    return Path(str(resources.files("landing_zone.scan").joinpath("default.checkov.yaml")))


def locate(explicit: str | None = None, cwd: Path | None = None) -> Path:
    """The config file to use: `explicit`, else ./.checkov.yaml, else the package default."""
    if explicit:
        return Path(explicit)
    project = (cwd or Path.cwd()) / PROJECT_CONFIG
    return project if project.is_file() else default_config_path()


def _skip_lines(text: str) -> list[Skip]:
    """`skip-check` list items with the comment on their line as reason."""
    skips, inside = [], False
    for line in text.splitlines():
        if re.match(r"^skip-check\s*:", line):
            inside = True
            continue
        if inside:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if not line[:1].isspace() and not line.startswith("-"):
                break  # the next top-level key
            match = _SKIP_LINE.match(line)
            if match:
                skips.append(Skip(match["id"], (match["reason"] or "").strip()))
    return skips


def read(path: Path) -> CheckovConfig:
    """Parse a checkov config; raises ValueError naming the file when it is unusable."""
    try:
        text = path.read_text("utf-8")
        data = yaml.safe_load(text) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read the checkov config: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a checkov config is a mapping of option: value")
    declared = data.get("skip-check") or []
    declared = [declared] if isinstance(declared, str) else [str(d) for d in declared]
    commented = {s.check_id: s for s in _skip_lines(text)}
    # Ids written inline (`skip-check: [A, B]` or comma lists) have no per-line reason.
    ids = [i.strip() for entry in declared for i in entry.split(",") if i.strip()]
    skips = tuple(commented.get(i, Skip(i, "")) for i in ids)
    dirs = data.get("external-checks-dir") or []
    dirs = (dirs,) if isinstance(dirs, str) else tuple(str(d) for d in dirs)
    return CheckovConfig(path=path, skips=skips, external_checks_dirs=dirs)
