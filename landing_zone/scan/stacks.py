"""The synthesized stacks under a scan directory, read before checkov runs.

Reading them ourselves (stdlib json, milliseconds) lets the gate refuse input
checkov would silently mis-handle (no stack at all, invalid JSON, a
`terraform.required_version` that crashes its parser, checkov issue 7454) and
name each Python-check finding by its full address (checkov's terraform_json
runner reports them as `resource.<name>`, dropping the type).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

STACK_FILE_SUFFIX = ".tf.json"
IGNORED_DIRS = {".terraform"}


@dataclass
class StackFile:
    """One `*.tf.json` file: its stack name and where each block is declared."""

    name: str
    path: Path
    lines: list[str] = field(default_factory=list)
    # block type ("resource"/"data") -> name -> resource types declaring that name
    types_by_name: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    bucket_names: dict[str, str] = field(default_factory=dict)
    """aws_s3_bucket name -> its `bucket` argument as written (a literal, or with ${...} references)."""
    lifecycle_buckets: list[str] = field(default_factory=list)
    """The `bucket` argument of every aws_s3_bucket_lifecycle_configuration, as written."""
    outputs: dict[str, str] = field(default_factory=dict)
    """Output name -> its value, when a string (the cross-stack outputs other stacks read)."""

    def address(self, reported: str, start_line: int = 0) -> str:
        """`aws_x.name` for checkov's `resource.name` / `data.name`; others unchanged."""
        block, _, name = reported.partition(".")
        candidates = self.types_by_name.get(block, {}).get(name, [])
        if not candidates:
            return reported
        kind = candidates[0] if len(candidates) == 1 else self._type_at_line(candidates, start_line)
        return f"{kind}.{name}" if block == "resource" else f"data.{kind}.{name}"

    def _type_at_line(self, candidates: list[str], start_line: int) -> str:
        # The declaring type is the candidate whose key appears last at or before the block.
        def last_key_line(kind: str) -> int:
            key = f'"{kind}"'
            hits = [i for i, line in enumerate(self.lines[: max(start_line, 1)], 1) if key in line]
            return max(hits, default=-1)

        return max(candidates, key=last_key_line)


def stack_name(path: Path, root: Path) -> str:
    """`stacks/<name>/cdk.tf.json` -> `<name>`; other layouts: the folder path (or the file stem)."""
    relative = path.relative_to(root)
    parts = relative.parts
    if len(parts) >= 3 and parts[-3] == "stacks":
        return parts[-2]
    if len(parts) > 1:
        return "/".join(parts[:-1])
    return relative.name[: -len(STACK_FILE_SUFFIX)]


def find_stack_files(root: Path) -> list[Path]:
    """Every `*.tf.json` under root (what checkov's terraform_json runner scans), sorted."""
    return sorted(
        p for p in root.rglob(f"*{STACK_FILE_SUFFIX}") if p.is_file() and not IGNORED_DIRS.intersection(p.relative_to(root).parts)
    )


def read_stack(path: Path, root: Path) -> StackFile:
    stack = StackFile(name=stack_name(path, root), path=path)
    try:
        text = path.read_text("utf-8")
        document = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        stack.problems.append(f"not valid JSON: {exc}")
        return stack
    stack.lines = text.splitlines()
    if not isinstance(document, dict):
        stack.problems.append("not a Terraform JSON document (expected an object)")
        return stack
    terraform = document.get("terraform")
    if isinstance(terraform, dict) and "required_version" in terraform:
        stack.problems.append(
            "has terraform.required_version, which crashes checkov's terraform_json parser "
            "(checkov issue 7454); pin the Terraform version outside the synthesized JSON"
        )
    for block in ("resource", "data"):
        for kind, named in (document.get(block) or {}).items():
            if isinstance(named, dict):
                for name in named:
                    if name != "//":
                        stack.types_by_name.setdefault(block, {}).setdefault(name, []).append(kind)
    found = document.get("resource")
    resources: dict = found if isinstance(found, dict) else {}
    stack.bucket_names = _string_arguments(resources.get("aws_s3_bucket"), "bucket")
    stack.lifecycle_buckets = list(_string_arguments(resources.get("aws_s3_bucket_lifecycle_configuration"), "bucket").values())
    stack.outputs = _string_arguments(document.get("output"), "value")
    return stack


def _string_arguments(named, argument: str) -> dict[str, str]:
    """name -> the string value of `argument` of each block in `named` (blocks without one are left out)."""
    if not isinstance(named, dict):
        return {}
    return {
        name: body[argument]
        for name, body in named.items()
        if name != "//" and isinstance(body, dict) and isinstance(body.get(argument), str)
    }


def read_stacks(root: Path) -> list[StackFile]:
    return [read_stack(path, root) for path in find_stack_files(root)]
