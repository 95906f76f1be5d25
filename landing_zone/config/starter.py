"""The smallest valid landing zone (issue 23 B.1): what `lz init` writes and environments/minimal.yaml holds.

An organization with its management account, the core OU and the two core accounts (log archive and audit);
everything else takes its secure default. Pure text: the caller validates it like any environment file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .problems import ConfigError, Location, Problem

_NAME = re.compile(r"^[a-z][a-z0-9-]{0,30}$")
_DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_REGION = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d$")

TEMPLATE = """\
# yaml-language-server: $schema={schema}
# The smallest valid landing zone: the management account and the core OU
# with the log archive and audit accounts; every other section takes its
# secure default (environments/example.yaml shows them all). Check it with
# `lz validate {path}`.
organization:
  name: {name}                  # short name in resource names and tags (at most 31 characters)
  home_region: {region}
  governed_regions: [{region}]
  management_account:
    email: aws+management@{domain}
organizational_units:
  - path: Security
accounts:
  - name: log-archive
    email: aws+log-archive@{domain}
    ou: Security
  - name: audit
    email: aws+audit@{domain}
    ou: Security
"""


def _refuse(message: str) -> ConfigError:
    return ConfigError([Problem(Location("lz init"), "", message)])


def starter_environment(path: str | os.PathLike, name: str, domain: str, region: str, schema: str) -> str:
    """The text of the smallest valid environment file (ConfigError for a bad name, domain or region)."""
    bad = []
    if not _NAME.match(name):
        bad.append(f"--name {name!r}: expected 1-31 lower-case letters, digits and hyphens, starting with a letter")
    if not _DOMAIN.match(domain):
        bad.append(f"--email-domain {domain!r}: expected a mail domain you own, such as corp.example.com")
    if not _REGION.match(region):
        bad.append(f"--region {region!r}: expected an AWS region such as eu-west-1")
    if bad:
        raise ConfigError([Problem(Location("lz init"), "", message) for message in bad])
    return TEMPLATE.format(name=name, domain=domain, region=region, schema=schema, path=Path(path).as_posix())


def schema_reference(path: Path, schema: Path) -> str:
    """The schema's path relative to the environment file's folder (what the editor resolves)."""
    try:
        return Path(os.path.relpath(schema.resolve(), path.resolve().parent)).as_posix()
    except ValueError:  # another drive (Windows)
        return schema.resolve().as_posix()


def refuse_existing(path: Path) -> None:
    if path.exists() or path.is_symlink():
        raise _refuse(f"{path}: already exists; lz init never overwrites a file (choose another path or remove it)")
