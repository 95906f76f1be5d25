"""The review manifest: every synthesized resource -> what it is about.

`lz synth` writes `<out>/lz-manifest.json` next to cdktf's own manifest.json:

    {"version": 1,
     "environment": {...},           # ReviewFacts: accounts and OUs, stack accounts, SCP Sids
     "stacks": {"management": {"account": "management", "depends_on": [], "directory": "stacks/management"}},
     "resources": {"management": {"aws_organizations_account.account_web-prod": {
         "type": "aws_organizations_account", "construct_path": "management/web-prod/account",
         "kind": "account", "account": "web-prod", "ou": "Workloads/Prod"}, ...}}}

`lz plan-review` reads it to name the stack, account, OU, construct path,
guardrail, permission set or segment of each planned change. Pure Python:
built from the synthesized cdk.tf.json files and the environment.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Optional

from ..facts import Facts
from ..input_files import InputFileError, read_limited
from .attribution import Attribution, Attributor
from .facts import ReviewFacts, review_facts
from .plan_input import MAX_PLAN_BYTES
from .refs import REMOTE_STATE, Ref, refs_in_value
from .views import ResourceView, views_from_synth

MANIFEST_FILE = "lz-manifest.json"
VERSION = 1


class ManifestError(ValueError):
    """The manifest is missing or unreadable (message for people)."""


@dataclass
class ManifestEntry:
    stack: str
    address: str
    type: str
    construct_path: Optional[str]
    attribution: Attribution

    def to_json(self) -> dict:
        out = {"type": self.type}
        if self.construct_path:
            out["construct_path"] = self.construct_path
        out.update(self.attribution.to_json())
        return out


@dataclass
class Manifest:
    facts: ReviewFacts = field(default_factory=ReviewFacts)
    stacks: dict[str, dict] = field(default_factory=dict)
    resources: dict[str, dict[str, ManifestEntry]] = field(default_factory=dict)
    path: Optional[Path] = None
    reused: dict[str, dict] = field(default_factory=dict)
    """Stack -> its `resources` section as an earlier manifest wrote it (incremental synth); written as it is."""

    def entry(self, stack: str, address: str) -> Optional[ManifestEntry]:
        return self.resources.get(stack, {}).get(address)

    def guess_stack(self, addresses: set[str]) -> Optional[str]:
        """The stack whose resources overlap most with `addresses` (None when none do)."""
        best, score = None, 0
        for stack, entries in sorted(self.resources.items()):
            overlap = len(addresses & set(entries))
            if overlap > score:
                best, score = stack, overlap
        return best

    def to_json(self) -> dict:
        return {
            "version": VERSION,
            "environment": self.facts.to_json(),
            "stacks": self.stacks,
            "resources": {
                stack: self._resources_json(stack) for stack in dict.fromkeys([*self.stacks, *self.resources, *self.reused])
            },
        }

    def _resources_json(self, stack: str) -> dict:
        if stack in self.reused:
            return self.reused[stack]
        return {address: entry.to_json() for address, entry in sorted(self.resources.get(stack, {}).items())}

    @classmethod
    def from_json(cls, data: dict, path: Optional[Path] = None) -> "Manifest":
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise ManifestError(
                f"{path or 'manifest'}: not a landing-zone review manifest of version {VERSION} "
                "(synthesize again with `lz synth`)"
            )
        resources = {}
        for stack, entries in (data.get("resources") or {}).items():
            resources[stack] = {
                address: ManifestEntry(
                    stack,
                    address,
                    body.get("type", address.split(".")[0]),
                    body.get("construct_path"),
                    Attribution.from_json(body),
                )
                for address, body in entries.items()
            }
        return cls(ReviewFacts.from_json(data.get("environment") or {}), dict(data.get("stacks") or {}), resources, path)


def read_manifest(path: str | Path) -> Manifest:
    path = Path(path)
    try:
        raw = read_limited(path, MAX_PLAN_BYTES)
    except InputFileError as exc:
        if exc.reason == "file not found":
            raise ManifestError(f"{path}: no such manifest (`lz synth ENV` writes {MANIFEST_FILE} next to the stacks)") from None
        raise ManifestError(f"{path}: {exc.reason}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, RecursionError, ValueError) as exc:  # JSONDecodeError is a ValueError
        raise ManifestError(f"{path}: not JSON ({exc})") from None
    try:
        return Manifest.from_json(data, path)
    except (AttributeError, TypeError, KeyError, IndexError, ValueError) as exc:
        if isinstance(exc, ManifestError):
            raise
        raise ManifestError(
            f"{path}: a malformed review manifest ({type(exc).__name__}: {exc}); synthesize again with `lz synth`"
        ) from None


def _stack_docs(out_dir: Path) -> dict[str, dict]:
    """Stack name -> parsed cdk.tf.json, from cdktf's manifest.json."""
    cdktf = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    docs = {}
    for name, entry in sorted((cdktf.get("stacks") or {}).items()):
        stack_file = out_dir / entry.get("synthesizedStackPath", f"stacks/{name}/cdk.tf.json")
        docs[name] = json.loads(stack_file.read_text(encoding="utf-8"))
    return docs


def _remote_resolver(all_views: dict[str, dict[str, ResourceView]], docs: Mapping[str, dict]):
    """Resolve `data.terraform_remote_state.X.outputs.<output>` to the producing stack's resource. The outputs are
    read at the first reference resolved (a manifest that attributes no stack again reads no stack's document)."""

    @functools.cache
    def producers() -> dict[str, tuple[str, Ref]]:
        found_by_output: dict[str, tuple[str, Ref]] = {}
        for stack in sorted(docs):  # the first stack by name wins an output name
            for output, body in (docs[stack].get("output") or {}).items():
                found = refs_in_value(body.get("value") if isinstance(body, dict) else None)
                if len(found) == 1:
                    found_by_output.setdefault(output, (stack, found[0]))
        return found_by_output

    def resolve(ref: Ref) -> Optional[tuple[ResourceView, str]]:
        if not ref.address.startswith(REMOTE_STATE) or not ref.attr.startswith("outputs."):
            return None
        output = ref.attr.split(".")[1]
        if output not in producers():
            return None
        stack, target = producers()[output]
        view = all_views.get(stack, {}).get(target.address)
        return (view, target.attr) if view else None

    return resolve


class _LazyViews(dict[str, dict[str, ResourceView]]):
    """Stack name -> its views, each built from its document the first time it is asked for (an incremental
    manifest needs the views of the stacks it attributes again and of the producers they read from, not all)."""

    def __init__(self, docs: Mapping[str, dict]) -> None:
        super().__init__()
        self._docs = docs

    def __missing__(self, stack: str) -> dict[str, ResourceView]:
        if stack not in self._docs:
            raise KeyError(stack)
        views = self[stack] = views_from_synth(stack, self._docs[stack])
        return views

    def get(self, stack, default=None):
        return self[stack] if stack in self._docs else default


def build_manifest(
    out_dir: str | Path,
    env_facts: Optional[Facts] = None,
    docs: Optional[Mapping[str, dict]] = None,
    reuse: Optional[dict[str, dict]] = None,
) -> Manifest:
    """The manifest of a synthesized output folder; `env_facts` (an environment's) adds accounts, OUs and stack accounts.
    `docs`: its stacks' parsed cdk.tf.json by name, when the caller has read them already (else read here).
    `reuse`: stack name -> that stack's `resources` section of an earlier manifest, still true (`reusable_entries`);
    those stacks are not attributed again (their entries stay JSON, as read)."""
    out_dir = Path(out_dir)
    facts = review_facts(env_facts) if env_facts is not None else ReviewFacts()
    docs = _stack_docs(out_dir) if docs is None else docs  # a Mapping that reads a document when asked is fine
    reuse = reuse or {}
    all_views = _LazyViews(docs)
    remote = _remote_resolver(all_views, docs)
    cdktf = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest = Manifest(facts=facts)
    for stack in sorted(docs):
        entry = (cdktf.get("stacks") or {}).get(stack, {})
        manifest.stacks[stack] = {
            "account": facts.account_of_stack(stack),
            "depends_on": list(entry.get("dependencies") or facts.stack_dependencies.get(stack, [])),
            "directory": entry.get("workingDirectory", f"stacks/{stack}"),
        }
        if stack in reuse:
            manifest.reused[stack] = reuse[stack]
            continue
        views = all_views[stack]
        attributor = Attributor(views, facts, remote=remote)
        manifest.resources[stack] = {
            address: ManifestEntry(stack, address, view.type, view.construct_path, attributor.attribute(address))
            for address, view in views.items()
            if view.mode == "managed"
        }
    return manifest


def reusable_entries(
    previous: Path, reused: Iterable[str], outputs_unchanged: bool, facts: ReviewFacts, name: str
) -> dict[str, dict]:
    """The entries of the earlier manifest `previous` that an incremental synth may keep: those of the `reused`
    stacks (their JSON is the same), provided that what attribution reads beside a stack's own JSON is the same
    too: the environment's review facts and, through cross-stack references, the other stacks' outputs
    (`outputs_unchanged`: the same stacks, and every rebuilt one with the outputs it had). Otherwise, or when
    the earlier manifest cannot be read, nothing (every stack is attributed again)."""
    if not outputs_unchanged:
        return {}
    try:
        data = json.loads(previous.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return {}
    if data.get("environment") != {**facts.to_json(), "name": name}:
        return {}
    resources = data.get("resources")
    if not isinstance(resources, dict):
        return {}
    return {stack: resources[stack] for stack in reused if isinstance(resources.get(stack), dict)}


def write_manifest(
    out_dir: str | Path, loaded, docs: Optional[Mapping[str, dict]] = None, reuse: Optional[dict[str, dict]] = None
) -> Path:
    """Build the manifest of `out_dir` for a LoadedEnvironment and write it there; returns its path.
    `reuse`: see `build_manifest`."""
    out_dir = Path(out_dir)
    data = _manifest_json(out_dir, loaded, docs, reuse)
    target = out_dir / MANIFEST_FILE
    target.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return target


def _manifest_json(out_dir: Path, loaded, docs: Optional[Mapping[str, dict]], reuse: Optional[dict[str, dict]]) -> dict:
    data = build_manifest(out_dir, loaded.facts, docs, reuse).to_json()
    data["environment"]["name"] = loaded.name  # not the file's path: two synths stay byte-identical
    return data


def keep_unchanged_manifest(out_dir: str | Path, loaded, docs: Mapping[str, dict], previous: Path) -> bool:
    """For a synth that copied every stack (or patched it without changing what attribution reads): write the earlier
    manifest `previous` into `out_dir` again, when its head (version, environment, stacks) is the one this synth's
    manifest has; True when written. Its entries then hold as they are (`reusable_entries`' conditions: the same
    version, review facts, stacks and outputs), so the 25 MB of a 1,000-account manifest are neither parsed nor
    encoded again."""
    out_dir = Path(out_dir)
    data = _manifest_json(out_dir, loaded, docs, {name: {} for name in docs})  # the head alone: nothing attributed
    head = json.dumps({key: value for key, value in data.items() if key != "resources"}, indent=2, sort_keys=False)
    try:
        text = previous.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if not (text.startswith(head[: -len("\n}")] + ',\n  "resources": {\n') and text.endswith("\n  }\n}\n")):
        return False
    (out_dir / MANIFEST_FILE).write_text(text, encoding="utf-8")
    return True
