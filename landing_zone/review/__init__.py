"""CI plan review: what a pull request changes, per account, OU and guardrail.

Pure Python (no cdktf): `lz plan-review` and `lz diff` start in well under a
second. The pieces, in the order data flows through them:

- `manifest`     written by `lz synth` next to the stacks: every resource
                 address -> stack, account, OU path, construct path, guardrail
                 ids, permission set, network segment.
- `views`        one shape for a resource, read from cdk.tf.json or from a plan.
- `attribution`  the table that says, per resource type, what a resource is
                 about and which references pass that on.
- `plans`        reads `terraform show -json` output of one or more stacks.
- `changes`      classifies each change and counts it per account and stack.
- `guardrails`, `access`, `network`   the three focused summaries.
- `danger`       the rules that block a merge (exit 3 unless `--allow RULE`).
- `masking`      sensitive values masked, attribute diffs.
- `review`       puts it together; `render` writes markdown, text or JSON.
- `env_diff`     the same kind of summary from two environment files.
- `workflow`     the sample GitHub Actions workflow, rendered from the stacks.
"""
