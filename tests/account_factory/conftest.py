"""Small environment files for the account factory tests, written per test."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

BASE = """\
organization:
  name: tiny
  home_region: eu-west-1
  governed_regions: [eu-west-1]
  management_account:
    email: aws+management@tiny-corp.io
organizational_units:
  - path: Security
  - path: Sandbox
  - path: Workloads
  - path: Suspended
accounts:
  - name: log-archive
    email: aws+log-archive@tiny-corp.io
    ou: Security
  - name: audit
    email: aws+audit@tiny-corp.io
    ou: Security
account_factory:
  defaults:
    email_template: aws+{{name}}@tiny-corp.io
    ou: Sandbox
    tags: {{cost-center: platform}}
  requests:
{requests}
"""


def request(name: str, **fields) -> str:
    """One inline request as YAML list item text."""
    lines = [f"    - name: {name}", f"      tags: {{owner: team-{name}}}"]
    lines += [f"      {key}: {value}" for key, value in fields.items()]
    return "\n".join(lines)


@pytest.fixture
def write_env(tmp_path):
    """write_env(name, *request_texts, files={stem: yaml}) -> path of environments/<name>.yaml in a fresh folder."""

    def write(name: str, *requests: str, files: dict | None = None, text: str | None = None) -> Path:
        folder = tmp_path / name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "env.yaml"
        body = text if text is not None else BASE.format(requests="\n".join(requests) if requests else "    []")
        if not requests and text is None:
            body = body.replace("  requests:\n    []\n", "  requests: []\n")
        path.write_text(body, encoding="utf-8")
        for stem, content in (files or {}).items():
            target = folder / "env" / "accounts" / f"{stem}.yaml"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(content), encoding="utf-8")
        return path

    return write
