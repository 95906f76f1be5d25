"""Every danger rule blocks a real plan (exit 3, the reason at the top) and passes when allowed."""

from __future__ import annotations

import pytest
from conftest import run_lz

from landing_zone.review.danger import RULE_NAMES

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

# The lab case whose plan fires each rule (see plan_lab.py and conftest.py).
RULE_CASE = {
    "organization-replace": "org-replace",
    "organization-delete": "destroy",
    "ou-replace": "org-replace",
    "ou-delete": "destroy",
    "account-replace": "email",
    "account-delete": "destroy",
    "log-archive-bucket-delete": "danger",
    "organization-trail-delete": "danger",
    "kms-key-delete": "danger",
    "config-recorder-delete": "danger",
    "config-aggregator-delete": "danger",
    "security-admin-delete": "danger",
    "mandatory-guardrail-detach": "destroy",
    "transit-gateway-delete": "danger",
    "peering-delete": "danger",
    "vpc-delete": "danger",
    "catalog-product-delete": "danger",
    "catalog-portfolio-delete": "danger",
    "catalog-share-delete": "danger",
}
FIRED = {
    "routine": set(),
    "email": {"account-replace"},
    # The example shares its self-service portfolio to OUs by ARN: a replaced OU takes its share with it.
    "org-replace": {"organization-replace", "ou-replace", "catalog-share-delete"},
    # GuardDuty's and Security Hub's administrators are designated through their own APIs, which the local
    # API does not serve (LOCAL_API_GAPS): the destroy plan has none; the danger lab covers the rule. The
    # example's self-service catalog (products, portfolio, shares, its templates bucket's key) goes too.
    "destroy": {
        "organization-delete",
        "ou-delete",
        "account-delete",
        "mandatory-guardrail-detach",
        "catalog-product-delete",
        "catalog-portfolio-delete",
        "catalog-share-delete",
        "kms-key-delete",
    },
    "danger": {
        "log-archive-bucket-delete",
        "organization-trail-delete",
        "kms-key-delete",
        "config-recorder-delete",
        "config-aggregator-delete",
        "security-admin-delete",
        "transit-gateway-delete",
        "peering-delete",
        "vpc-delete",  # the spoke VPC goes with its subnet, attachment and peering
        "catalog-product-delete",
        "catalog-portfolio-delete",
        "catalog-share-delete",
    },
}


def test_every_rule_has_a_case():
    assert set(RULE_CASE) == set(RULE_NAMES)
    for rule, case in RULE_CASE.items():
        assert rule in FIRED[case]


@pytest.mark.parametrize("case", sorted(FIRED))
def test_each_case_fires_exactly_its_rules(review_of, case):
    assert {d.rule for d in review_of(case).dangers} == FIRED[case]


@pytest.mark.parametrize("rule", RULE_NAMES)
def test_rule_blocks(review_lab, rule):
    case = RULE_CASE[rule]
    others = sorted(FIRED[case] - {rule})
    code, out, err = run_lz(
        "plan-review", *review_lab.args(case), "--format", "text", *[a for other in others for a in ("--allow", other)]
    )
    assert code == 3, err
    lines = out.splitlines()
    assert lines[2].startswith("BLOCKED: ")
    blocking = lines[3 : lines.index("", 3)]  # the reasons, up to the next blank line
    assert blocking and all(line.startswith(f"  [{rule}] ") for line in blocking)
    assert err.strip().endswith(f"BLOCKED by {rule} (allow with --allow {rule})")


@pytest.mark.parametrize("rule", RULE_NAMES)
def test_rule_allowed(review_lab, rule):
    case = RULE_CASE[rule]
    code, out, err = run_lz("plan-review", *review_lab.args(case), "--allow", ",".join(sorted(FIRED[case])))
    assert code == 0, err
    assert "[!CAUTION]" not in out
    assert f"> - `{rule}`: " in out.split("\n**")[0]
    assert rule in err.strip().split("; allowed: ")[1].split(", ")


def test_the_log_archive_access_bucket_is_not_the_log_archive_bucket(review_of):
    review = review_of("danger")
    flagged = [d.address for d in review.dangers if d.rule == "log-archive-bucket-delete"]
    assert flagged == ["aws_s3_bucket.log_bucket"]


def test_the_transit_gateway_and_peering_are_flagged_for_their_attachments(review_of):
    review = review_of("danger")
    tgw = next(d for d in review.dangers if d.rule == "transit-gateway-delete")
    assert "aws_ec2_transit_gateway_vpc_attachment.spoke" in tgw.message
    peering = next(d for d in review.dangers if d.rule == "peering-delete")
    assert "aws_route.spoke_to_peer" in peering.message
    (vpc,) = [d for d in review.dangers if d.rule == "vpc-delete"]  # the peer VPC holds nothing of its own
    assert vpc.address == "aws_vpc.hub_spoke" and "aws_subnet.spoke_transit" in vpc.message
