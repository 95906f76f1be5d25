"""One fixture per class of bad input; each asserts the whole message, file and line included.

Fixtures are validated with --strict semantics so warnings count too. `{file}`
stands for the fixture's path as the user typed it.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from landing_zone.config import ConfigError, load_environment

FIXTURES = Path(__file__).parent / "fixtures" / "bad"

EXPECTED = {
    'account_name_too_long': [
        "{file}:16:11: accounts[name=this-account-name-is-much-longer-than-fifty-characters-allowed].name: 'this-account-name-is-much-longer-than-fifty-characters-allowed' is not a valid account name (expected 1-50 printable characters)",
    ],
    'alias_bomb': [
        '{file}:1:8: document expands to more than 1,000,000 values or 100 levels (runaway or recursive aliases?); refused',
    ],
    'audit_outside_security': [
        "{file}:16:9: accounts[name=audit].ou: the audit account must sit in the core OU 'Security', not 'Workloads'",
    ],
    'bad_account_id': [
        "{file}:13:9: accounts[name=log-archive].id: '12345' is not an AWS account id (expected exactly 12 digits)",
    ],
    'bad_email': [
        "{file}:11:12: accounts[name=log-archive].email: 'ops@' is not a valid email address (expected user@domain, 6-64 characters)",
    ],
    'bad_limit': [
        '{file}:17:13: limits.scp_size: 0 is too small (expected at least 1)',
        "{file}:18:3: limits.scps_per_targt: unknown key 'scps_per_targt' (did you mean 'scps_per_target'?); allowed: ou_depth, scps_per_target, scp_size, policy_description_length, account_name_length, email_min_length, email_max_length, ou_name_length, tags_per_resource, accounts_per_organization, ous_per_organization",
    ],
    'bad_ou_name': [
        "{file}:9:11: organizational_units[path=Workloads//Prod].path: 'Workloads//Prod' is not a valid OU path (expected names of printable characters without leading or trailing spaces, separated by '/', such as 'Workloads/Prod')",
    ],
    'bad_state_backend': [
        "{file}:17:12: state.backend: 'gcs' is not allowed (expected 'local', 's3', 'remote')",
    ],
    'comments_only': [
        "{file}:1:1: file is empty; expected a mapping with an 'organization' section",
    ],
    'doc_domain_email': [
        "{file}:11:12: warning: accounts[name=log-archive].email: 'log-archive@example.com' uses the documentation-only domain 'example.com': mail to it is never delivered (use a mailbox you own)",
    ],
    'duplicate_account_id': [
        "{file}:14:9: accounts[name=log-archive].id: account id '111111111111' is used twice (first at line 7)",
    ],
    'duplicate_account_name': [
        "{file}:16:11: accounts[name=Audit].name: account name 'Audit' is used twice (first at line 13); names are unique, case-insensitively",
    ],
    'duplicate_email': [
        "{file}:14:12: accounts[name=audit].email: email 'AWS+Log@tiny-corp.io' is used twice (first at line 11); emails are unique, case-insensitively",
    ],
    'duplicate_key': [
        "{file}:5:3: organization.name: duplicate key 'name' (first defined at line 2)",
    ],
    'duplicate_ou': [
        "{file}:10:11: organizational_units[path=sandbox].path: OU path 'sandbox' is defined twice (first at line 9)",
    ],
    'email_too_long': [
        "{file}:11:12: accounts[name=log-archive].email: 'aws+a-very-long-mailbox-name-for-the-log-archive-account@tiny-corp.io' is not a valid email address (expected user@domain, 6-64 characters)",
    ],
    'empty': [
        "{file}:1:1: file is empty; expected a mapping with an 'organization' section",
    ],
    'extends_cycle': [
        "{file}:1:10: extends: 'extends_cycle.yaml' extends itself through extends_cycle.yaml",
    ],
    'extends_missing': [
        "{file}:1:10: extends: base file 'no-such-base.yaml' not found (looked for tests/config/fixtures/bad/no-such-base.yaml)",
    ],
    'home_region_not_governed': [
        "{file}:3:16: organization.home_region: home region 'us-east-1' is not in governed_regions (eu-west-1)",
    ],
    'missing_log_archive': [
        "{file}:10:3: accounts: log archive account 'log-archive' (the default of core.log_archive_account) is not defined in accounts (defined: audit)",
    ],
    'missing_parent_ou': [
        "{file}:9:11: organizational_units[path=Workloads/Prod].path: parent OU 'Workloads' of 'Workloads/Prod' is not defined (add it to organizational_units)",
    ],
    'missing_required': [
        "{file}:2:3: organization.home_region: required key 'home_region' is missing",
    ],
    'multiple_documents': [
        "{file}:4:1: file holds several YAML documents ('---'); expected one",
    ],
    'not_utf8': [
        '{file}:2:12: byte 0xe9 is not valid UTF-8 (save the file as UTF-8)',
    ],
    'ou_too_deep': [
        "{file}:11:11: organizational_units[path=A/B/C].path: 'A/B/C' is nested 3 levels deep; at most 2 are allowed (limits.ou_depth)",
    ],
    'python_tag': [
        "{file}:1:15: YAML value error: the tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
    ],
    'syntax_error': [
        "{file}:4:19: YAML syntax error: while parsing a flow sequence did not find expected ',' or ']'",
    ],
    'tag_not_string': [
        "{file}:14:7: accounts[name=log-archive].tags: tag 'cost-center' has the value 1234; tag values must be strings (quote it)",
    ],
    'top_level_list': [
        '{file}:1:1: top level is a list; expected a mapping of sections (organization, accounts, ...)',
    ],
    'unknown_key': [
        "{file}:10:5: accounts[name=log-archive].email: required key 'email' is missing",
        "{file}:11:5: accounts[name=log-archive].emial: unknown key 'emial' (did you mean 'email'?); allowed: name, email, ou, tags, id, alternate_contacts, iam_user_access_to_billing, close_on_deletion",
    ],
    'unknown_ou_reference': [
        "{file}:18:9: accounts[name=app].ou: OU 'Workloads/Prod' is not defined (defined: Security)",
    ],
    'unknown_region': [
        "{file}:4:33: organization.governed_regions[1]: 'eu-wets-2' is not an AWS region (did you mean 'eu-west-2'?)",
    ],
    'unknown_section': [
        "{file}:7:1: organisational_units: unknown key 'organisational_units' (did you mean 'organizational_units'?); allowed: extends, organization, organizational_units, accounts, core, limits, logging, security_services, state",
    ],
    'unquoted_account_id': [
        "{file}:13:9: accounts[name=log-archive].id: 123456789012 must be written in quotes, as a 12-digit string such as '123456789012' (unquoted, YAML reads a number and drops leading zeros)",
    ],
    'wrong_type': [
        "{file}:4:21: organization.governed_regions: 'eu-west-1' is not a list",
    ],
    'security_admin_not_audit': [
        "{file}:17:28: security_services.delegated_administrator: the delegated administrator of GuardDuty, Security Hub, Config and Access Analyzer must be the audit account 'audit', not 'log-archive' (omit the key to use core.audit_account)",
    ],
    'security_hub_without_config': [
        '{file}:18:14: logging.config.enabled: AWS Config recording is off, but Security Hub (security_services.security_hub.enabled) needs Config in the same accounts and regions; turn Config on or Security Hub off',
    ],
    'security_hub_config_regions': [
        "{file}:18:14: logging.config.regions: Security Hub runs in every governed region and needs AWS Config in the same regions, but Config does not record in 'eu-central-1' (add it, or omit logging.config.regions)",
    ],
    'config_region_not_governed': [
        "{file}:18:26: logging.config.regions[1]: 'us-east-1' is not a governed region (governed: eu-west-1)",
    ],
    'trail_log_retention': [
        '{file}:18:37: logging.organization_trail.cloudwatch_logs_retention_days: 90 days is less than the 365 days CIS and checkov (CKV_AWS_338) require (allowed: 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)',
    ],
    'object_lock_outlives_retention': [
        '{file}:19:30: logging.log_bucket.glacier_transition_days: objects would move to Glacier after 1000 days but expire after 1000 (log_bucket.retention_days); the transition must come first',
        '{file}:22:13: logging.log_bucket.object_lock.days: Object Lock keeps each object 2000 days, longer than log_bucket.retention_days (1000); expiry cannot remove locked objects (lower the lock or raise the retention)',
    ],
    'trail_log_key_region': [
        "{file}:18:34: logging.organization_trail.cloudwatch_logs_kms_key_arn: the key is in 'us-east-1'; the trail's log group lives in the home region 'eu-west-1' and needs a key from there",
    ],
    'bad_notification_email': [
        "{file}:19:9: security_services.notifications.emails[0]: 'security@' is not a valid email address (expected user@domain)",
        "{file}:21:9: security_services.notifications.emails[2]: email 'SOC@tiny-corp.io' is listed twice (first at line 20)",
    ],
    'bad_object_lock_mode': [
        "{file}:19:13: logging.log_bucket.object_lock.mode: 'LEGAL_HOLD' is not allowed (expected 'GOVERNANCE' or 'COMPLIANCE')",
    ],
    'duplicate_security_standard': [
        "{file}:20:9: security_services.security_hub.standards[1]: 'cis-aws-foundations-benchmark-v3.0.0' is listed twice",
    ],
    'unknown_guardduty_feature': [
        "{file}:18:32: security_services.guardduty.features[1]: 'EKS_RUNTIME' is not allowed (expected 'S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'LAMBDA_NETWORK_LOGS' or 'RUNTIME_MONITORING')",
    ],
}


def test_every_fixture_has_an_expectation():
    names = {p.stem for p in FIXTURES.glob("*.yaml")}
    assert names == set(EXPECTED)
    assert len(names) >= 25


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input_is_reported_with_file_line_and_path(name, monkeypatch):
    monkeypatch.chdir(FIXTURES.parents[2].parent)  # the project root, so paths print as typed
    path = f"tests/config/fixtures/bad/{name}.yaml"
    with pytest.raises(ConfigError) as caught:
        load_environment(path, strict=True)
    assert [str(p) for p in caught.value.problems] == [line.format(file=path) for line in EXPECTED[name]]
