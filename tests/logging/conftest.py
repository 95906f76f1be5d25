"""Fixtures of the logging tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def env(synth_out):
    """The example environment the session synthesized."""
    return synth_out.loaded.env
