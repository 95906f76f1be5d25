"""Incremental synth (issue 21.2): which stacks a synth must build again, by a key per stack.

A stack's key hashes everything its JSON depends on: the package's version
and files, cdktf's and the AWS provider binding's versions, the synth
options (with the self-service blueprints' files), and its slice of the
environment:

- an account stack (`account-<name>`) without a VPC: the environment without
  its member accounts and account requests, plus its own account's entry and
  request;
- one that owns a VPC: that, plus the id and requested network of every
  account that owns a VPC (routes, peerings and attachments are planned
  across them; `network:` itself is in the environment part);
- every other stack (management, log-archive, audit, management-baseline,
  network, detective-guardrails) and the self-service catalog's account
  stack: the whole environment (they hold every account).

An account's own fields (OWN_FIELDS: its tags) reach one resource only,
its `aws_organizations_account` in the management stack. They are left out
of every slice above, and each account's own fields have a key of their own
(`SynthKeys.own`): when only those differ from the previous synth, the
management stack's earlier JSON is patched (speed/management_splice.py)
instead of the 10,000-resource stack being built again.

What a stack reads from another stack it reads by a stable output name
(stacks/published_outputs.py), so no other stack's content enters its key.
`lz synth` keeps the keys in `<out>/lz-synth-keys.json`; a stack whose key is
unchanged and whose folder is there is reused, the rest are built (with the
producers they read from) and written. Pure Python: no cdktf.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

KEYS_FILE = "lz-synth-keys.json"
MANAGEMENT_STACK = "management"  # derived.stack_layout.MANAGEMENT (not imported: this module stays standalone)
ACCOUNT_STACK_PREFIX = "account-"
OWN_FIELDS = ("tags",)
"""The fields of an account's entry (under `accounts:` or `account_factory.requests`) that only that account's
`aws_organizations_account` in the management stack reads (the factory's default tags are shared: they stay in
every key). tests/scale/test_incremental_synth.py edits them at random and compares with a full synth."""


def versions() -> dict[str, str]:
    """The versions whose change changes every stack: this package, cdktf and the AWS provider binding."""
    from .. import __version__

    out = {"landing_zone": __version__, "landing_zone files": tree_digest(Path(__file__).resolve().parents[1])}
    for dist in ("cdktf", "cdktf-cdktf-provider-aws", "constructs"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "absent"
    return out


def tree_digest(folder: Path) -> str:
    """A digest of every file under `folder` (relative path and content; __pycache__ left out): what the
    synth reads from there, so an edit to the package's code or data, or to a blueprint, is a new key even
    when no version number moved."""
    digest = hashlib.sha256()
    root = Path(folder)
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _digest(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _account_entries(dump: Mapping[str, Any]) -> dict[str, list]:
    """Account name -> its `accounts:` entry and its `account_factory.requests` entry (whichever exist)."""
    out: dict[str, list] = {}
    for account in dump.get("accounts") or ():
        out.setdefault(account["name"], []).append(account)
    for request in (dump.get("account_factory") or {}).get("requests") or ():
        out.setdefault(request["name"], []).append(request)
    return out


def _without_own(dump: dict[str, Any]) -> dict[str, Any]:
    """`dump` with OWN_FIELDS taken out of every account entry and account request (in place: the dump is this
    module's own)."""
    for entry in (*(dump.get("accounts") or ()), *((dump.get("account_factory") or {}).get("requests") or ())):
        for key in OWN_FIELDS:
            entry.pop(key, None)
    return dump


def _own_parts(dump: Mapping[str, Any]) -> dict[str, list]:
    """Account name -> the OWN_FIELDS of its entries (in `_account_entries`' order)."""
    return {
        name: [{key: entry.get(key) for key in OWN_FIELDS} for entry in entries]
        for name, entries in _account_entries(dump).items()
    }


def _network_part(entry: Mapping[str, Any]) -> dict[str, Any]:
    """What of another VPC account's entry a VPC stack reads: its id (peering providers) and its request's network."""
    return {key: entry.get(key) for key in ("name", "id", "network")}


def _without_accounts(dump: Mapping[str, Any]) -> dict[str, Any]:
    shared = {key: value for key, value in dump.items() if key != "accounts"}
    factory = shared.get("account_factory")
    if factory:
        shared["account_factory"] = {key: value for key, value in factory.items() if key != "requests"}
    return shared


@dataclass(frozen=True)
class SynthKeys:
    """`stacks`: stack name -> key (deploy order). `shared`: the key of everything but the accounts' own fields;
    `own`: account name -> the key of its own fields. The management stack's key is made of those two."""

    stacks: dict[str, str]
    shared: str = ""
    own: dict[str, str] = field(default_factory=dict)
    counts: dict[str, list[int]] = field(default_factory=dict)
    """Stack -> [resources, data sources, outputs], as a previous synth recorded them (read_previous)."""


def synth_keys(loaded, options: Mapping[str, Any], catalog_account: str | None = None) -> SynthKeys:
    """The keys of every stack of `loaded` (a LoadedEnvironment), and those of the management stack's parts.

    `options`: what else shapes the output (target, allow_destroy, project and output folders, digests of the
    files the synth reads outside the environment such as the self-service blueprints), as JSON-able values;
    `catalog_account`: the member account whose stack holds the self-service catalog (every account's ids), if any.
    """
    dump = loaded.env.model_dump(mode="json")
    own = {name: _digest(parts) for name, parts in _own_parts(dump).items()}
    dump = _without_own(dump)
    base = _digest(versions(), dict(options), loaded.name)
    whole = _digest(base, dump)
    shared = _digest(base, _without_accounts(dump))  # digested once: hashing it per stack is quadratic in accounts
    entries = _account_entries(dump)
    network_plan = loaded.facts.network_plan if loaded.env.network is not None else None
    with_vpc = sorted({v.account for v in network_plan.vpcs.values()}) if network_plan is not None else []
    vpc_accounts = set(with_vpc)
    network = _digest({name: [_network_part(e) for e in entries.get(name, [])] for name in with_vpc})
    keys: dict[str, str] = {}
    for stack in loaded.facts.deploy_order:
        account = stack[len(ACCOUNT_STACK_PREFIX) :] if stack.startswith(ACCOUNT_STACK_PREFIX) else None
        if stack == MANAGEMENT_STACK:
            keys[stack] = _digest(whole, own)
        elif account is None or account == catalog_account or account not in entries:
            keys[stack] = whole
        elif account in vpc_accounts:
            keys[stack] = _digest(shared, account, entries[account], network)
        else:
            keys[stack] = _digest(shared, account, entries[account])
    return SynthKeys(keys, whole, own)


def read_previous(out_dir: Path) -> SynthKeys:
    """What a previous synth recorded in `out_dir`'s keys file, read once: every stack's key, the management stack's
    part keys and each stack's counts (each empty when absent or unreadable)."""
    try:
        data = json.loads((Path(out_dir) / KEYS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return SynthKeys({})
    if not isinstance(data, dict):
        return SynthKeys({})
    stacks = data.get("stacks")
    keys = {str(k): str(v) for k, v in stacks.items()} if isinstance(stacks, dict) else {}
    try:
        parts = data["management parts"]
        shared, own = str(parts["shared"]), {str(k): str(v) for k, v in parts["own"].items()}
    except (TypeError, KeyError, AttributeError):
        shared, own = "", {}
    try:
        counts = {
            str(name): [int(n) for n in value]
            for name, value in data["counts"].items()
            if isinstance(value, list) and len(value) == 3
        }
    except (TypeError, KeyError, AttributeError, ValueError):
        counts = {}
    return SynthKeys(keys, shared, own, counts)


def read_keys(out_dir: Path) -> dict[str, str]:
    """The keys a previous synth wrote into `out_dir` ({} when there are none or they are unreadable)."""
    return read_previous(out_dir).stacks


def read_parts(out_dir: Path) -> SynthKeys:
    """The management stack's part keys a previous synth wrote into `out_dir` (empty when there are none)."""
    previous = read_previous(out_dir)
    return SynthKeys({}, previous.shared, previous.own)


def keys_document(
    keys: Mapping[str, str], parts: Optional[SynthKeys] = None, counts: Optional[Mapping[str, list[int]]] = None
) -> str:
    """The keys file: every stack's key and, given them, the management stack's part keys and each stack's counts
    (resources, data sources, outputs: a later synth's summary of a stack it copies, without reading it)."""
    data: dict[str, Any] = {"stacks": dict(keys)}
    if parts is not None:
        data["management parts"] = {"shared": parts.shared, "own": dict(parts.own)}
    if counts is not None:
        data["counts"] = {name: list(value) for name, value in counts.items()}
    return json.dumps(data, indent=2) + "\n"


def own_changes(keys: SynthKeys, previous: SynthKeys) -> Optional[list[str]]:
    """The accounts whose own fields alone changed since `previous`, when nothing else did (the same shared key and
    the same accounts, in the same order); None otherwise. An empty list: nothing changed."""
    if not previous.shared or previous.shared != keys.shared or list(previous.own) != list(keys.own):
        return None
    return [name for name, key in keys.own.items() if previous.own[name] != key]


def reusable(keys: Mapping[str, str], previous: Mapping[str, str], present: Iterable[str]) -> set[str]:
    """Stacks whose key is unchanged and whose synthesized folder is still there."""
    there = set(present)
    return {name for name, key in keys.items() if previous.get(name) == key and name in there}


def stable_stringify(node: Any, level: int = 0, space: str = "  ") -> str:
    """JSON as cdktf writes manifest.json (json-stable-stringify with `space`: keys sorted, `[` and `{` always
    followed by a new line), so a merged manifest is byte-identical to the one a full synth writes."""
    indent = "\n" + space * level
    if isinstance(node, dict):
        items = [
            f"{indent}{space}{json.dumps(key, ensure_ascii=False)}: {stable_stringify(node[key], level + 1, space)}"
            for key in sorted(node)
        ]
        return "{" + ",".join(items) + indent + "}"
    if isinstance(node, (list, tuple)):
        return "[" + ",".join(f"{indent}{space}{stable_stringify(item, level + 1, space)}" for item in node) + indent + "]"
    return json.dumps(node, ensure_ascii=False)


def merged_manifest(
    top: Mapping[str, Any],
    stacks: Mapping[str, Any],
    order: list[str],
    last: str,
    rebuilt: Iterable[str],
    last_dependencies: Iterable[str],
) -> str:
    """cdktf's manifest.json of a synth that built only some stacks, or built them in parts: `top` (its keys but
    `stacks`) and `stacks` (every stack's entry, from the synth that wrote it). `last` (detective-guardrails, which
    depends on nearly every other stack), when rebuilt, gets `last_dependencies` (in `order`): a partial app lacked
    most."""
    entries = {name: dict(stacks[name]) for name in order}
    if last in entries and last in set(rebuilt):
        wanted = set(last_dependencies)
        entries[last]["dependencies"] = [other for other in order if other in wanted]
    return stable_stringify({**top, "stacks": entries})
