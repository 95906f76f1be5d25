"""Fixtures of the respond tests."""

from __future__ import annotations

import pytest

from tests.conftest import EXAMPLE

WAF_VARIANT = """
extends: {example}
incident_response:
  waf:
    accounts: [web-prod, payments-prod]
    regions: [eu-west-1, eu-central-1]
    rate_limit: 2000
"""


@pytest.fixture(scope="session")
def waf_variant(tmp_path_factory, synth_env):
    """The example with a baseline web ACL in web-prod and payments-prod, both governed regions, a rate limit (one synth)."""
    folder = tmp_path_factory.mktemp("waf_variant")
    env_file = folder / "waf.yaml"
    env_file.write_text(WAF_VARIANT.format(example=EXAMPLE))
    return synth_env(env_file, folder / "out")
