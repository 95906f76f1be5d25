"""Every name `landing_zone.constructs` advertises resolves (teams import them from there)."""

from __future__ import annotations

import pytest

import landing_zone.constructs as constructs


@pytest.mark.synth
def test_every_exported_construct_resolves(synth_out):  # synth_out: cdktf is imported once per session anyway
    for name in constructs.__all__:
        assert getattr(constructs, name) is not None, name
    with pytest.raises(AttributeError):
        constructs.NoSuchConstruct  # noqa: B018
