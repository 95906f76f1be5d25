"""Patch the management stack's earlier cdk.tf.json for accounts whose own fields alone changed (issue 21).

An account's own fields (synth_cache.OWN_FIELDS: its tags) reach one
resource, its `aws_organizations_account` in the management stack. When an
edit changed nothing else:

- `retag`: where each account had tags and keeps some, their new value is
  written in place of the old, computed without any build by the function
  the Account construct writes them with (derived.account_tags): no cdktf;
- `splice`: otherwise `lz synth` builds the management stack in its read-only
  form, with those accounts alone, and copies their resources from it into
  the earlier document instead of building all 10,000 again.

Each resource's text is replaced where it stands, so the keys keep their
order, and the new text is laid out as cdktf lays it out (JSON.stringify with
two spaces, which `json.dumps(indent=2, ensure_ascii=False)` matches byte for
byte); the old text must read exactly so, or nothing is patched. The result
is what a full synth writes (tests/scale/test_incremental_synth.py compares
them). Pure Python.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

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
    (the same stack's document from a read-only build). SpliceError when either lacks one of them, or when
    `previous` is not laid out as cdktf writes it."""
    names = list(names)
    old = account_resources(json.loads(previous), stack, names)
    new = account_resources(built, stack, names)
    if set(old) != set(new) or len(new) != len(names):
        raise SpliceError(f"{stack}: account resources differ ({sorted(set(old) ^ set(new)) or names})")
    return _replace(previous, stack, old, new)


def retag(previous: str, stack: str, tags: Mapping[str, Mapping[str, str]]) -> str:
    """The text of `previous` (a cdk.tf.json of `stack`) with the `tags` of each account named in `tags` replaced
    (derived.account_tags computes them as the Account construct does): no build, so no cdktf. Only where the
    value changes in place: SpliceError when an account lacks its resource, or had no tags or would have none (the
    key's place among the others is cdktf's to say: such an edit is patched from a build)."""
    old = account_resources(json.loads(previous), stack, tags)
    by_name = {str(body["//"]["metadata"]["path"]).split("/")[1]: logical_id for logical_id, body in old.items()}
    if set(by_name) != set(tags) or len(old) != len(tags):
        raise SpliceError(f"{stack}: account resources differ ({sorted(set(by_name) ^ set(tags))})")
    new = {}
    for name, logical_id in by_name.items():
        if not old[logical_id].get("tags") or not tags[name]:
            raise SpliceError(f"{stack}: account {name} gains or loses its tags")
        new[logical_id] = {**old[logical_id], "tags": dict(tags[name])}  # the key keeps its place
    return _replace(previous, stack, old, new)


def _replace(previous: str, stack: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    """`previous` with each resource `old[logical_id]` of the account resource type replaced by `new[logical_id]`."""
    # Text, not the whole document re-encoded: json.dumps with an indent runs in pure Python (0.5 s for the
    # 8.6 MB of a 1,000-account stack). A value's text at depth d is its own indented text with every line
    # after the first indented by 2 d more spaces, so each resource is replaced where it stands.
    block = previous.find(f"\n{_INDENT * 2}{_key(ACCOUNT_RESOURCE)} {{\n")  # "resource" > the type
    end = previous.find(f"\n{_INDENT * 2}}}", block)
    spans = []
    for logical_id in old:
        head = f"\n{_INDENT * 3}{_key(logical_id)} "
        start = previous.find(head, block, end)
        stop = previous.find(f"\n{_INDENT * 3}}}", start, end)
        if (
            block < 0
            or start < 0
            or stop < 0
            or previous[start + len(head) : stop + len(_INDENT * 3) + 2] != _text(old[logical_id], 3)
        ):
            raise SpliceError(f"{stack}: resource {logical_id} is not laid out as cdktf writes it")
        spans.append((start + len(head), stop + len(_INDENT * 3) + 2, _text(new[logical_id], 3)))
    out, at = [], 0
    for start, stop, text in sorted(spans):
        out += [previous[at:start], text]
        at = stop
    return "".join(out) + previous[at:]


_INDENT = "  "


def _key(name: str) -> str:
    return json.dumps(name, ensure_ascii=False) + ":"


def _text(value: Any, depth: int) -> str:
    """`value` as it reads at `depth` in a document that json.dumps(indent=2) (cdktf's layout) wrote."""
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + _INDENT * depth)
