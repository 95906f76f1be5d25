"""The web ACL's plan as data (landing_zone/respond/waf.py): defaults, rule order, names."""

from __future__ import annotations

from landing_zone.config.models import Waf
from landing_zone.environment import load_environment
from landing_zone.naming import LandingZoneNames
from landing_zone.respond.waf import MANAGED_RULE_GROUPS, WafNames, waf_regions, waf_rules
from tests.conftest import EXAMPLE


def test_defaults_are_the_three_baseline_groups_in_the_home_region_without_a_rate_rule():
    env = load_environment(EXAMPLE).env
    waf = Waf(accounts=["web-prod"])
    assert waf_regions(env, waf) == ("eu-west-1",)
    assert [(r.name, r.priority, r.kind) for r in waf_rules(waf)] == [
        ("block-list", 0, "block_list"),
        ("AWSManagedRulesCommonRuleSet", 1, "managed"),
        ("AWSManagedRulesKnownBadInputsRuleSet", 2, "managed"),
        ("AWSManagedRulesAmazonIpReputationList", 3, "managed"),
    ]
    assert all(g in MANAGED_RULE_GROUPS for g in waf.managed_rule_groups)
    assert waf.rate_limit is None and waf.log_retention_days == 365


def test_a_rate_limit_comes_right_after_the_block_list():
    rules = waf_rules(Waf(accounts=["web-prod"], rate_limit=500, managed_rule_groups=["AWSManagedRulesSQLiRuleSet"]))
    assert [(r.name, r.priority) for r in rules] == [("block-list", 0), ("rate-limit", 1), ("AWSManagedRulesSQLiRuleSet", 2)]


def test_the_log_bucket_carries_the_prefix_aws_waf_requires_and_fits_s3s_limit():
    names = WafNames(LandingZoneNames("acme"))
    assert names.log_bucket("111122223333") == "aws-waf-logs-acme-111122223333"
    # the longest organization name the rules allow (rules/aws_values.py) still makes a valid bucket name
    longest = LandingZoneNames("a" * 31)
    assert len(longest.access_log_bucket("1" * 12)) == 63
    assert len(WafNames(longest).log_bucket("1" * 12)) <= 63
    assert (names.web_acl, names.block_list) == ("acme-lz-baseline", "acme-lz-block-list")
