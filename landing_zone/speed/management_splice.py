"""Patch the management stack's earlier cdk.tf.json for accounts whose own fields alone changed (issue 21).

An account's own fields (synth_cache.OWN_FIELDS: its tags) reach one
resource, its `aws_organizations_account` in the management stack. When an
edit changed nothing else, `lz synth` builds the management stack in its
read-only form (organization, OUs and accounts: about a tenth of its
resources at 1,000 accounts) and copies those accounts' resources from it
into the earlier document instead of building all 10,000 again.

Each resource is replaced in place, so the keys keep their order, and the
document is written as cdktf writes it (JSON.stringify with two spaces, which
`json.dumps(indent=2, ensure_ascii=False)` matches byte for byte): the result
is what a full synth writes (tests/scale/test_incremental_synth.py compares
them). Pure Python.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

ACCOUNT_RESOURCE = "aws_organizations_account"


class SpliceError(ValueError):
    """The two documents do not hold the same account resources: the stack must be built in full."""


def account_resources(doc: dict[str, Any], stack: str, names: Iterable[str]) -> dict[str, Any]:
    """Logical id -> body of each `aws_organizations_account` of `doc` (stack `stack`) that belongs to one of the
    accounts `names` (the Account construct's id is the account's name: its resource's path is `<stack>/<name>/...`)."""
    wanted = set(names)
    out = {}
    for logical_id, body in ((doc.get("resource") or {}).get(ACCOUNT_RESOURCE) or {}).items():
        path = str(((body.get("//") or {}).get("metadata") or {}).get("path", "")).split("/")
        if len(path) > 2 and path[0] == stack and path[1] in wanted:
            out[logical_id] = body
    return out


def splice(previous: str, built: dict[str, Any], stack: str, names: Iterable[str]) -> str:
    """The text of `previous` (a cdk.tf.json of `stack`) with the account resources of `names` taken from `built`
    (the same stack's document from a read-only build). SpliceError when either lacks one of them."""
    names = list(names)
    doc = json.loads(previous)
    old = account_resources(doc, stack, names)
    new = account_resources(built, stack, names)
    if set(old) != set(new) or len(new) != len(names):
        raise SpliceError(f"{stack}: account resources differ ({sorted(set(old) ^ set(new)) or names})")
    resources = doc["resource"][ACCOUNT_RESOURCE]
    for logical_id, body in new.items():
        resources[logical_id] = body
    return json.dumps(doc, indent=2, ensure_ascii=False)
