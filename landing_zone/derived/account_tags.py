"""The tags an account's `aws_organizations_account` carries: what the Account construct writes and what a synth
that patches the management stack for a tag edit computes (app.synthesis), from one function. Pure Python."""

from __future__ import annotations

from typing import Mapping

CLOSE_ALLOWED_TAG = ("lz:close-on-deletion", "allowed")
"""The checkov gate (CKV_LZ_2) accepts close_on_deletion only on an account that carries this tag: the synthesized
JSON is all checkov sees of the config."""


def account_tags(tags: Mapping[str, str], close_on_deletion: bool) -> dict[str, str]:
    """The account's tags with CLOSE_ALLOWED_TAG when it closes on deletion, sorted by key (as written)."""
    out = dict(tags)
    if close_on_deletion:
        out[CLOSE_ALLOWED_TAG[0]] = CLOSE_ALLOWED_TAG[1]
    return dict(sorted(out.items()))
