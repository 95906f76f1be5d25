"""`lz simulate` (issue 23 A.8): a malformed request exits 2 with what is allowed (it read as ALLOWED before),
and an ALLOWED request lists the Deny statements that name its action but miss it (near misses)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from landing_zone.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "environments" / "example.yaml")
GOOD = {"--action": "s3:GetObject", "--resource": "*", "--principal": "root", "--region": "eu-west-1"}

BAD = [
    ("--action", "s3:Get:Object", "is not one API action"),
    ("--action", "s3:Get Object", "is not one API action"),
    ("--action", "s3:*", "no wildcards"),
    ("--action", "*", "is not one API action"),
    ("--action", "GetObject", "expected service:Action"),
    ("--action", "s3:GetObjekt", "s3 has no action 'GetObjekt' (did you mean 's3:GetObject'?)"),
    ("--action", "s4:GetObject", "unknown service 's4'"),
    ("--resource", "my bucket", "is not an ARN"),
    ("--resource", "arn:aws:s3", "is not an ARN"),
    ("--resource", "arn:aws:iam::12345:role/x", "is not an ARN"),
    ("--principal", "bob", "is not a principal ARN"),
    ("--principal", "arn:aws:iam::123456789012:group/admins", "is not a principal ARN"),
    ("--principal", "arn:aws:s3:::bucket", "is not a principal ARN"),
    ("--region", "eu-west-9", "is not an AWS region (did you mean 'eu-west-3'?)"),
    ("--region", "EU-WEST-1", "is not an AWS region"),
]


def _args(**override) -> list[str]:
    values = {**GOOD, **override}
    return ["simulate", EXAMPLE, "--account", "web-prod", *[x for k, v in values.items() for x in (k, v)]]


@pytest.mark.parametrize("option, value, message", BAD, ids=[f"{o[2:]}={v}" for o, v, _ in BAD])
def test_a_malformed_request_exits_2_with_what_is_allowed(capsys, option, value, message):
    assert main(_args(**{option: value})) == 2
    err = capsys.readouterr().err
    assert f"lz simulate: {option} {value!r}" in err and message in err and "Traceback" not in err


def test_every_bad_part_is_reported_at_once(capsys):
    assert main(_args(**{"--action": "s3:*", "--resource": "x", "--principal": "y", "--region": "z"})) == 2
    assert "4 error(s)" in capsys.readouterr().err


@pytest.mark.parametrize(
    "resource, principal",
    [
        ("arn:aws:s3:::my-bucket/key", "arn:aws:iam::123456789012:role/Dev"),
        ("arn:aws:cloudtrail:eu-west-1:123456789012:trail/x", "arn:aws:sts::123456789012:assumed-role/Dev/me"),
        ("arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::123456789012:user/alice"),
    ],
)
def test_well_formed_requests_are_evaluated(capsys, resource, principal):
    assert main(_args(**{"--resource": resource, "--principal": principal})) in (0, 1)
    assert capsys.readouterr().out.startswith(("ALLOWED: s3:GetObject on ", "DENIED: s3:GetObject on "))


def test_allowed_lists_the_near_misses(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")  # whole lines: text output wraps at the width (tests/render/test_width.py)
    args = _args(**{"--action": "cloudtrail:StopLogging", "--principal": "arn:aws:iam::123456789012:role/Dev"})
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("ALLOWED: cloudtrail:StopLogging on *")
    assert "Near misses: these statements deny this action, but not for this request:" in out
    assert (
        "AWS-GR_CLOUDTRAIL_CHANGE_PROHIBITED" in out
        and "denies it only on arn:aws:cloudtrail:*:*:trail/acme-organization-trail" in out
    )
    # on the trail itself that control denies it
    trail = "arn:aws:cloudtrail:eu-west-1:123456789012:trail/acme-organization-trail"
    dev = "arn:aws:iam::123456789012:role/Dev"
    assert main(_args(**{"--action": "cloudtrail:StopLogging", "--principal": dev, "--resource": trail})) == 1
    out = capsys.readouterr().out
    assert out.startswith("DENIED") and "AWS-GR_CLOUDTRAIL_CHANGE_PROHIBITED" in out and "Near misses" not in out


def test_near_misses_in_json_and_none_for_an_action_nothing_denies(capsys):
    base = _args(**{"--action": "cloudtrail:StopLogging", "--principal": "arn:aws:iam::123456789012:role/Dev"})
    assert main([*base, "--format", "json"]) == 0
    misses = json.loads(capsys.readouterr().out)["near_misses"]
    trail = next(m for m in misses if "AWS-GR_CLOUDTRAIL_CHANGE_PROHIBITED" in m["controls"])
    assert trail["attached_to"] == "root" and trail["denies_only"].startswith("on arn:aws:cloudtrail:")
    assert (
        main([*_args(**{"--action": "s3:GetObject", "--principal": "arn:aws:iam::123456789012:role/Dev"}), "--format", "json"])
        == 0
    )
    assert all("s3:GetObject" not in m["denies_only"] for m in json.loads(capsys.readouterr().out)["near_misses"])
