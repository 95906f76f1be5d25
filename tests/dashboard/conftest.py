"""The example's dashboard, written once per session, and a small environment with every kind of account."""

from __future__ import annotations

from pathlib import Path

import pytest

from landing_zone.dashboard.site import build_dashboard
from landing_zone.environment import load_environment

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "environments" / "example.yaml"

KINDS_ENV = """\
organization:
  name: kinds
  home_region: eu-west-1
  governed_regions: [eu-west-1]
  management_account:
    email: aws+management@kinds-corp.io
organizational_units:
  - path: Security
  - path: Sandbox
  - path: Suspended
accounts:
  - name: log-archive
    email: aws+log-archive@kinds-corp.io
    ou: Security
  - name: audit
    email: aws+audit@kinds-corp.io
    ou: Security
  - name: legacy
    email: aws+legacy@kinds-corp.io
    ou: Sandbox
    id: "210987654321"
  - name: built
    email: aws+built@kinds-corp.io
    ou: Sandbox
account_factory:
  defaults:
    email_template: aws+{name}@kinds-corp.io
    ou: Sandbox
    tags: {owner: platform}
  requests:
    - name: fresh
      quarantine: true
    - name: leaving
      ou: Suspended
"""


@pytest.fixture(scope="session")
def example_loaded():
    return load_environment(EXAMPLE)


@pytest.fixture(scope="session")
def example_site(example_loaded, tmp_path_factory):
    """(index.html, model) of the example's dashboard."""
    out = tmp_path_factory.mktemp("dashboard") / "site"
    return build_dashboard(example_loaded.facts, "environments/example.yaml", example_loaded.name, out)


@pytest.fixture(scope="session")
def kinds_env(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("kinds") / "kinds.yaml"
    path.write_text(KINDS_ENV)
    return path
