"""Checks checkov runs per folder but that hold across the stacks of one output.

checkov's CKV2_AWS_61 wants each S3 bucket connected to a lifecycle
configuration in the same folder. The lifecycle stacks (stacks/lifecycle.py)
hold the management and log-archive buckets' configurations in a folder of
their own, naming the bucket through the producing stack's cross-stack output.
`lifecycle_elsewhere` finds the buckets whose name, with every cross-stack
reference resolved to the expression the producing stack outputs, is the
name some other stack's lifecycle configuration writes to: for those the gate
counts the check as passed instead of failed.
"""

from __future__ import annotations

import re

from .stacks import StackFile

LIFECYCLE_CHECK = "CKV2_AWS_61"
"""checkov: Ensure that an S3 bucket has a lifecycle configuration."""

_REFERENCE = re.compile(r"\$\{([^{}]*)\}")
_REMOTE_OUTPUT = re.compile(
    r"^data\.terraform_remote_state\.cross-stack-reference-input-(?P<stack>[^.]+)\.outputs\.(?P<output>[^.]+)$"
)


def canonical(value: str, stack: StackFile, by_name: dict[str, StackFile]) -> str:
    """`value` with each `${expr}` spelled as `${<stack>:expr}` in the stack that computes it: a read of another
    stack's cross-stack output becomes that output's own expression there (or `${<stack>:output.<name>}` when that
    stack is not among `by_name`)."""

    def resolve(match: re.Match) -> str:
        expression = match.group(1)
        remote = _REMOTE_OUTPUT.match(expression)
        if remote is None:
            return f"${{{stack.name}:{expression}}}"
        producer = by_name.get(remote["stack"])
        inner = _REFERENCE.fullmatch(producer.outputs.get(remote["output"], "")) if producer is not None else None
        if inner is not None:
            return f"${{{remote['stack']}:{inner.group(1)}}}"
        # the producer is not in this scan: two reads of its same output are still the same value
        return f"${{{remote['stack']}:output.{remote['output']}}}"

    return _REFERENCE.sub(resolve, value)


def lifecycle_elsewhere(stacks: list[StackFile]) -> set[tuple[str, str]]:
    """(stack name, aws_s3_bucket name) of every bucket whose lifecycle configuration another stack holds."""
    by_name = {s.name: s for s in stacks}
    covered: dict[str, set[str]] = {}
    for stack in stacks:
        for bucket in stack.lifecycle_buckets:
            covered.setdefault(canonical(bucket, stack, by_name), set()).add(stack.name)
    found = set()
    for stack in stacks:
        for name, bucket in stack.bucket_names.items():
            holders = covered.get(canonical(bucket, stack, by_name), set())
            if holders - {stack.name}:
                found.add((stack.name, name))
    return found
