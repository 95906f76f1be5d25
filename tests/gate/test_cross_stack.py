"""CKV2_AWS_61 across stacks (issue 23 B.3): a bucket whose lifecycle configuration a lifecycle stack holds passes;
one without any, or held only under another name, still fails."""

from __future__ import annotations

import json
from pathlib import Path

from landing_zone.scan.cross_stack import canonical, lifecycle_elsewhere
from landing_zone.scan.stacks import read_stacks

REMOTE = "${data.terraform_remote_state.cross-stack-reference-input-management.outputs.cross-stack-output-acct}"


def _write(root: Path, name: str, document: dict) -> None:
    folder = root / "stacks" / name
    folder.mkdir(parents=True)
    (folder / "cdk.tf.json").write_text(json.dumps(document), encoding="utf-8")


def _output(root: Path, lifecycle_bucket: str) -> list:
    _write(root, "management", {"output": {"cross-stack-output-acct": {"value": "${aws_organizations_account.a.id}"}}})
    _write(
        root,
        "log-archive",
        {
            "resource": {
                "aws_s3_bucket": {
                    "logs": {"bucket": f"acme-logs-{REMOTE}"},
                    "other": {"bucket": "acme-no-lifecycle"},
                    "local": {"bucket": "acme-local"},
                },
                "aws_s3_bucket_lifecycle_configuration": {"local_lifecycle": {"bucket": "${aws_s3_bucket.local.id}"}},
            }
        },
    )
    _write(
        root,
        "log-archive-lifecycle",
        {"resource": {"aws_s3_bucket_lifecycle_configuration": {"logs_lifecycle": {"bucket": lifecycle_bucket}}}},
    )
    return read_stacks(root)


def test_a_bucket_named_through_the_same_cross_stack_output_is_held_elsewhere(tmp_path):
    stacks = _output(tmp_path, f"acme-logs-{REMOTE}")
    assert lifecycle_elsewhere(stacks) == {("log-archive", "logs")}
    by_name = {s.name: s for s in stacks}
    assert canonical(f"x-{REMOTE}", by_name["log-archive"], by_name) == "x-${management:aws_organizations_account.a.id}"


def test_the_producers_own_reference_and_a_remote_read_of_it_are_the_same_bucket(tmp_path):
    """The management stack names its catalog bucket with a local reference; its lifecycle stack with the output."""
    _write(
        tmp_path,
        "management",
        {
            "output": {"cross-stack-output-acct": {"value": "${aws_organizations_account.a.id}"}},
            "resource": {"aws_s3_bucket": {"catalog": {"bucket": "cat-${aws_organizations_account.a.id}"}}},
        },
    )
    _write(
        tmp_path,
        "management-lifecycle",
        {"resource": {"aws_s3_bucket_lifecycle_configuration": {"catalog_lifecycle": {"bucket": f"cat-{REMOTE}"}}}},
    )
    assert lifecycle_elsewhere(read_stacks(tmp_path)) == {("management", "catalog")}


def test_another_name_or_another_account_is_not_the_same_bucket(tmp_path):
    stacks = _output(tmp_path, "acme-logs-${data.aws_caller_identity.current.account_id}")
    assert lifecycle_elsewhere(stacks) == set()  # the same-looking reference, computed in another stack


def test_the_example_passes_the_lifecycle_check_for_the_buckets_the_lifecycle_stacks_hold(synth_out):
    held = lifecycle_elsewhere(read_stacks(synth_out.dir))
    assert held == {
        ("log-archive", "log_bucket"),
        ("log-archive", "access_log_bucket"),
        ("log-archive", "waf_log_bucket"),
        ("management", "catalog_templates_bucket"),
        ("management", "catalog_access_log_bucket"),
    }


def test_the_lifecycle_stacks_hold_what_their_owners_forget(synth_out):
    """The owners keep no lifecycle configuration and a removed block (destroy = false) per moved address in
    removed.tf (not in cdk.tf.json, which checkov would then skip whole); the lifecycle stacks hold the same
    addresses, in the same account, after their owner."""
    lifecycle = "aws_s3_bucket_lifecycle_configuration"
    manifest = json.loads((synth_out.dir / "manifest.json").read_text(encoding="utf-8"))["stacks"]
    for owner, holder in (("management", "management-lifecycle"), ("log-archive", "log-archive-lifecycle")):
        assert lifecycle not in synth_out.stacks[owner]["resource"] and "removed" not in synth_out.stacks[owner]
        held = sorted(synth_out.stacks[holder]["resource"][lifecycle])
        removed = (synth_out.stack_dir(owner) / "removed.tf").read_text(encoding="utf-8")
        assert sorted(line.split("= ")[1] for line in removed.splitlines() if "from =" in line) == [
            f"{lifecycle}.{name}" for name in held
        ]
        assert removed.count("destroy = false") == len(held)
        assert owner in manifest[holder]["dependencies"]
        assert synth_out.stacks[holder]["provider"]["aws"][0].get("assume_role") == synth_out.stacks[owner]["provider"]["aws"][
            0
        ].get("assume_role")
        for rule in (r for body in synth_out.stacks[holder]["resource"][lifecycle].values() for r in body["rule"]):
            assert rule["status"] == "Enabled" and rule["abort_incomplete_multipart_upload"] and rule["expiration"]
    # the addresses these configurations had in their owners before the move: what the removed blocks must name
    assert sorted(synth_out.stacks["log-archive-lifecycle"]["resource"][lifecycle]) == [
        "access_log_bucket_lifecycle",
        "log_bucket_lifecycle",
        "waf_log_bucket_lifecycle",
    ]
    assert sorted(synth_out.stacks["management-lifecycle"]["resource"][lifecycle]) == [
        "catalog_access_log_bucket_lifecycle",
        "catalog_templates_bucket_lifecycle",
    ]


def test_two_reads_of_one_output_match_without_the_producer_in_the_scan(tmp_path):
    """A scan of the log archive and its lifecycle stack alone (no management folder)."""
    _output(tmp_path, f"acme-logs-{REMOTE}")
    import shutil

    shutil.rmtree(tmp_path / "stacks" / "management")
    assert lifecycle_elsewhere(read_stacks(tmp_path)) == {("log-archive", "logs")}
