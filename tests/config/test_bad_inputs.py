"""One fixture per class of bad input; each asserts the whole message, file and line included.

Fixtures are validated with --strict semantics so warnings count too. `{file}`
stands for the fixture's path as the user typed it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from landing_zone.environment import ConfigError, load_environment

FIXTURES = Path(__file__).parent / "fixtures" / "bad"

EXPECTED = {
    "athena_settings": [
        "{file}:20:30: logging.athena.bytes_scanned_cutoff_gb: 0 is too small (expected at least 1)",
        "{file}:21:20: logging.athena.history_since: 'last year' is not a date (YYYY-MM-DD)",
    ],
    "network_blackhole_live": [
        "{file}:8:17: warning: network.transit_gateways[name=hub].routes[0].cidr: blackhole 10.30.0.0/16 in segment 'prod' drops traffic to the whole of shared (10.30.0.0/16), which is attached to 'hub' and propagated into that segment: it is unreachable from there (`lz network` shows it); remove the route, or narrow it to addresses no network uses",
    ],
    "root_ou_name": [
        "{file}:10:11: organizational_units[path=Root].path: 'Root' is reserved: it names the organization's root, which holds every top-level OU (guardrail targets write 'root' for it); give the OU another name",
    ],
    "aws_rejected_values": [
        "{file}:5:9: organization.name: 'tiny-organization-with-a-long-name' makes the log archive's access-log bucket name 'tiny-organization-with-a-long-name-log-archive-access-<account id>' 66 characters long, and S3 allows 63: use at most 31 characters (letters, digits and hyphens)",
        "{file}:23:26: guardrails.custom_config_rules.ssl-only.source_identifier: 'S3_BUCKET_SSL_REQUEST_ONLY' is not an AWS Config managed rule (did you mean 'S3_BUCKET_SSL_REQUESTS_ONLY'?)",
        "{file}:28:26: identity.permission_sets[name=Viewers].managed_policies[0]: 'ViewOnlyAccess' is not an AWS managed policy (did you mean 'job-function/ViewOnlyAccess'?); AWS managed policies are written as their name, with their path when they have one (such as 'ReadOnlyAccess' or 'job-function/ViewOnlyAccess')",
        "{file}:28:42: identity.permission_sets[name=Viewers].managed_policies[1]: 'arn:aws:iam::123456789012:policy/team-read' is not an AWS managed policy (arn:aws:iam::aws:policy/...): name a policy of your own account under customer_managed_policies (name and path) instead",
        "{file}:30:25: identity.permission_sets[name=Viewers].permissions_boundary.managed_policy: 'PowerUserAcess' is not an AWS managed policy (did you mean 'PowerUserAccess'?); AWS managed policies are written as their name, with their path when they have one (such as 'ReadOnlyAccess' or 'job-function/ViewOnlyAccess')",
        "{file}:38:28: account_factory.defaults.baseline.deploy_role.managed_policies[0]: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' is an ARN; write the policy's name here: 'AmazonS3ReadOnlyAccess'",
    ],
    "bad_tag_characters": [
        "{file}:8:9: organization.tags: tag key 'cost#center' has the character '#', which AWS refuses in tags (allowed: letters, digits, spaces and _ . : / = + - @)",
        "{file}:11:11: organizational_units[path=Security].tags: tag 'owner' value 'security;team' has the character ';', which AWS refuses in tags (allowed: letters, digits, spaces and _ . : / = + - @)",
        "{file}:16:11: accounts[name=log-archive].tags: tag 'owner' value 'a<b>' has the character '<', which AWS refuses in tags (allowed: letters, digits, spaces and _ . : / = + - @)",
    ],
    "deny_all_footguns": [
        "{file}:21:18: guardrails.controls.LZ-DENY-ALL: LZ-DENY-ALL needs targets: without ous or accounts it would attach to the root and lock every member account; aim it at the OU of accounts on their way out, such as {{ous: [Suspended]}}",
        "{file}:22:83: guardrails.controls.AWS-GR_RESTRICT_S3_CROSS_REGION_REPLICATION.exclude_ous[0]: OU 'Workloads' is both a target and excluded: the control would attach nowhere there; remove it from ous, or exclude something below it",
        "{file}:25:7: guardrails.custom_scps.stop-everything: stop-everything denies every action and reaches the core OU 'Security' (accounts audit, log-archive): the log archive and audit accounts would stop working; exclude them or aim it elsewhere",
        "{file}:30:7: guardrails.custom_scps.stop-root: stop-root denies every action and is attached to the root: it would lock every member account; attach it only to the OUs or accounts that must stop (such as Suspended)",
    ],
    "remediation_runbook": [
        "{file}:23:30: guardrails.controls.AWS-GR_RESTRICTED_SSH.remediation.runbook: unknown runbook 'LZ-CloseEverything' (known: LZ-BlockS3PublicAccess, LZ-EnableCloudTrailLogging, LZ-EnableEbsEncryptionByDefault, LZ-IsolateEC2Instance, LZ-MakeRdsSnapshotPrivate, LZ-QuarantineIAMPrincipal, LZ-ReleaseEC2Instance, LZ-RequireImdsv2, LZ-RevokeOpenAdminIngress, LZ-WAF-BlockIp)",
        "{file}:26:44: guardrails.controls.AWS-GR_S3_BUCKET_PUBLIC_READ_PROHIBITED.remediation.parameters.Color: runbook LZ-BlockS3PublicAccess does not declare parameter 'Color' (it takes: BucketName)",
        "{file}:28:20: guardrails.controls.AWS-GR_EBS_OPTIMIZED_INSTANCE.remediation: AWS-GR_EBS_OPTIMIZED_INSTANCE has no default runbook; name one with `runbook:` (known: LZ-BlockS3PublicAccess, LZ-EnableCloudTrailLogging, LZ-EnableEbsEncryptionByDefault, LZ-IsolateEC2Instance, LZ-MakeRdsSnapshotPrivate, LZ-QuarantineIAMPrincipal, LZ-ReleaseEC2Instance, LZ-RequireImdsv2, LZ-RevokeOpenAdminIngress, LZ-WAF-BlockIp)",
    ],
    "remediation_rules": [
        "{file}:23:20: guardrails.controls.AWS-GR_RESTRICT_ROOT_USER.remediation: AWS-GR_RESTRICT_ROOT_USER is a preventive control (an SCP): nothing violates it, so nothing is remediated; remediation goes on detective controls (Config rules)",
        "{file}:25:32: guardrails.controls.AWS-GR_RESTRICTED_SSH.remediation.automatic: automatic remediation needs max_attempts (1-25): Config retries a failing fix at most that often",
        "{file}:25:57: guardrails.controls.AWS-GR_RESTRICTED_SSH.remediation.exclude_accounts[0]: account 'nobody' is not defined in accounts",
    ],
    "waf": [
        "{file}:22:21: incident_response.waf.accounts[1]: account 'ghost' is not defined in accounts (member accounts: app, audit, log-archive)",
        "{file}:22:28: incident_response.waf.accounts[2]: account 'management' is the management account, which runs no workloads (member accounts: app, audit, log-archive)",
        "{file}:22:40: incident_response.waf.accounts[3]: account 'app' is listed twice (member accounts: app, audit, log-archive)",
        "{file}:23:26: incident_response.waf.regions[1]: region 'us-east-1' is not a governed region (governed: eu-west-1)",
        "{file}:24:26: incident_response.waf.managed_rule_groups: AWSManagedRulesKnownBadInputsRuleSet is missing: it blocks Log4j (CVE-2021-44228) exploits, and the checkov gate fails a web ACL without it (CKV_AWS_192); add it back",
        "{file}:24:57: incident_response.waf.managed_rule_groups[1]: 'AWSManagedRulesKnownBadInput' is not an AWS managed rule group (did you mean 'AWSManagedRulesKnownBadInputsRuleSet'? known: AWSManagedRulesCommonRuleSet, AWSManagedRulesAdminProtectionRuleSet, AWSManagedRulesKnownBadInputsRuleSet, AWSManagedRulesSQLiRuleSet, AWSManagedRulesLinuxRuleSet, AWSManagedRulesUnixRuleSet, AWSManagedRulesWindowsRuleSet, AWSManagedRulesPHPRuleSet, AWSManagedRulesWordPressRuleSet, AWSManagedRulesAmazonIpReputationList, AWSManagedRulesAnonymousIpList)",
        "{file}:25:25: incident_response.waf.log_retention_days: 500 is not a retention CloudWatch Logs accepts (allowed from a year: 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)",
    ],
    "waf_rate_limit": [
        "{file}:23:17: incident_response.waf.rate_limit: 5 is too small (expected at least 10)",
    ],
    "responders": [
        "{file}:24:29: incident_response.responders[name=ssh].match.control_ids[0]: 'AWS-GR_RESTRICTED_SSHH' is not a control of the catalog nor a custom Config rule: responders match enabled detective controls (enabled: AWS-GR_AUDIT_BUCKET_PUBLIC_READ_PROHIBITED, AWS-GR_AUDIT_BUCKET_PUBLIC_WRITE_PROHIBITED, AWS-GR_ENSURE_CLOUDTRAIL_ENABLED_ON_SHARED_ACCOUNTS)",
        "{file}:28:28: incident_response.responders[name=isolate].match.control_ids: control_ids match Config compliance changes; this responder is on guardduty",
        "{file}:29:15: incident_response.responders[name=isolate].action: unknown runbook 'LZ-Isolate' (known: LZ-BlockS3PublicAccess, LZ-EnableCloudTrailLogging, LZ-EnableEbsEncryptionByDefault, LZ-IsolateEC2Instance, LZ-MakeRdsSnapshotPrivate, LZ-QuarantineIAMPrincipal, LZ-ReleaseEC2Instance, LZ-RequireImdsv2, LZ-RevokeOpenAdminIngress, LZ-WAF-BlockIp)",
        "{file}:30:13: incident_response.responders[name=isolate].mode: custom actions are Security Hub's; this responder is on guardduty",
        "{file}:31:13: incident_response.responders[name=ssh].name: responder name 'ssh' is used twice",
        "{file}:34:13: incident_response.responders[name=ssh].mode: mode 'automatic': automatic responders run on config or guardduty events; securityhub names resources by ARN, which the runbooks do not take (use mode custom_action or notify)",
        "{file}:35:28: incident_response.responders[name=ssh].exclude.accounts[0]: account 'ghost' is not defined in accounts",
    ],
    "responder_tags": [
        "{file}:25:23: incident_response.responders[name=brute-force].exclude.tags: tag exclusions work on Security Hub findings only: GuardDuty findings list tags as key/value pairs, which an event pattern cannot exclude (use source: securityhub, where GuardDuty's findings arrive too)",
        "{file}:29:23: incident_response.responders[name=ssh].exclude.tags: tag exclusions work on Security Hub findings only: Config compliance changes carry no tags",
        "{file}:34:15: incident_response.responders[name=isolate].exclude.tags: 4 tags excluded; at most 3 (the event pattern has a branch per combination)",
        "{file}:34:49: incident_response.responders[name=isolate].exclude.tags.aws:cloudformation:stack-name: 'aws:cloudformation:stack-name' is not a tag key AWS accepts (1-128 letters, digits, spaces and _.:/=+-@; not aws:)",
        "{file}:34:61: incident_response.responders[name=isolate].exclude.tags.owner: 'a|b' is not a tag value AWS accepts (0-256 letters, digits, spaces and _.:/=+-@)",
    ],
    "responder_automatic": [
        "{file}:28:13: incident_response.responders[name=any-violation].mode: mode 'automatic': an automatic responder on config must name its controls (match.control_ids): it fixes one kind of resource",
        "{file}:32:13: incident_response.responders[name=quarantine].mode: mode 'automatic': runbook LZ-QuarantineIAMPrincipal leaves 2 required parameters open (PrincipalType, PrincipalName); the event's resource fills exactly one: give the others in parameters",
        "{file}:36:13: incident_response.responders[name=bucket].mode: mode 'automatic': a guardduty finding does not carry BucketName for runbook LZ-BlockS3PublicAccess (guardduty fills: InstanceId)",
        "{file}:41:13: incident_response.responders[name=ssh].mode: mode 'automatic': runbook LZ-RevokeOpenAdminIngress leaves 2 required parameters open (GroupId, Port); the event's resource fills exactly one: give the others in parameters",
        "{file}:46:13: incident_response.responders[name=ssh-fixed].mode: mode 'automatic': runbook LZ-RevokeOpenAdminIngress does not declare Colour (it takes: GroupId, Port, Cidr)",
        "{file}:58:19: incident_response.responders[name=notify-with-parameters].parameters: parameters are filled in by automatic responders only; this one is notify (`lz respond --param` takes them)",
    ],
    "account_name_too_long": [
        "{file}:16:11: accounts[name=this-account-name-is-much-longer-than-fifty-characters-allowed].name: 'this-account-name-is-much-longer-than-fifty-characters-allowed' is not a valid account name (expected 1-50 printable characters)",
    ],
    "alias_bomb": [
        "{file}:1:8: document expands to more than 1,000,000 values or 100 levels (runaway or recursive aliases?); refused",
    ],
    "audit_outside_security": [
        "{file}:16:9: accounts[name=audit].ou: the audit account must sit in the core OU 'Security', not 'Workloads'",
    ],
    "bad_account_id": [
        "{file}:13:9: accounts[name=log-archive].id: '12345' is not an AWS account id (expected exactly 12 digits)",
    ],
    "bad_contacts": [
        "{file}:8:47: organization.alternate_contacts.security.email: 'security-at-tiny-corp.io' is not an email address AWS accepts for a contact (name@domain.tld, at most 254 characters)",
        "{file}:9:80: organization.alternate_contacts.billing.phone: 'call me' is not a phone number AWS accepts for a contact (digits, spaces, parentheses, + and -; at most 25 characters)",
        "{file}:17:79: accounts[name=log-archive].alternate_contacts.operations.phone: 442079460300 must be written in quotes, such as '+44 20 7946 0000' (unquoted, YAML reads a number)",
    ],
    "bad_email": [
        "{file}:11:12: accounts[name=log-archive].email: 'ops@' is not a valid email address (expected user@domain, 6-64 characters)",
    ],
    "bad_limit": [
        "{file}:17:13: limits.scp_size: 0 is too small (expected at least 1)",
        "{file}:18:3: limits.scps_per_targt: unknown key 'scps_per_targt' (did you mean 'scps_per_target'?); allowed: ou_depth, scps_per_target, scp_size, policy_description_length, account_name_length, email_min_length, email_max_length, ou_name_length, tags_per_resource, accounts_per_organization, ous_per_organization, permission_set_name_length, inline_policy_size, permission_sets_per_account, transit_gateways_per_region, tgw_route_tables, tgw_attachments_per_vpc, dx_gateways_per_tgw, tgws_per_dx_gateway, network_acl_rules",
    ],
    "bad_ou_name": [
        "{file}:9:11: organizational_units[path=Workloads//Prod].path: 'Workloads//Prod' is not a valid OU path (expected names of printable characters without leading or trailing spaces, separated by '/', such as 'Workloads/Prod')",
    ],
    "bad_policy_type": [
        "{file}:7:30: organization.policy_types[1]: 'TAGS_POLICY' is not allowed (expected 'TAG_POLICY', 'BACKUP_POLICY', 'AISERVICES_OPT_OUT_POLICY', 'CHATBOT_POLICY', 'DECLARATIVE_POLICY_EC2' or 'RESOURCE_CONTROL_POLICY')",
    ],
    "default_vpcs_mode": [
        "{file}:8:11: organization.default_vpcs.mode: 'remove' is not allowed (expected 'delete', 'lock' or 'keep')",
        "{file}:10:42: organization.default_vpcs.accounts.audit: 'open' is not allowed (expected 'delete', 'lock' or 'keep')",
    ],
    "default_vpcs_targets": [
        "{file}:9:37: organization.default_vpcs.ous.Sandbox: OU 'Sandbox' is not defined (defined: Security, Workloads)",
        "{file}:10:42: organization.default_vpcs.accounts.ghost: account 'ghost' is not defined (defined: management, log-archive, audit)",
    ],
    "bad_state_backend": [
        "{file}:17:12: state.backend: 'gcs' is not allowed (expected 'local', 's3', 'remote')",
    ],
    "comments_only": [
        "{file}:1:1: file is empty; expected a mapping with an 'organization' section",
    ],
    "doc_domain_email": [
        "{file}:11:12: warning: accounts[name=log-archive].email: 'log-archive@example.com' uses the documentation-only domain 'example.com': mail to it is never delivered (use a mailbox you own)",
    ],
    "duplicate_account_id": [
        "{file}:14:9: accounts[name=log-archive].id: account id '111111111111' is used twice (first at line 7)",
    ],
    "duplicate_account_name": [
        "{file}:16:11: accounts[name=Audit].name: account name 'Audit' is used twice (first at line 13); names are unique, case-insensitively",
    ],
    "duplicate_email": [
        "{file}:14:12: accounts[name=audit].email: email 'AWS+Log@tiny-corp.io' is used twice (first at line 11); emails are unique, case-insensitively",
    ],
    "duplicate_key": [
        "{file}:5:3: organization.name: duplicate key 'name' (first defined at line 2)",
    ],
    "duplicate_ou": [
        "{file}:10:11: organizational_units[path=sandbox].path: OU path 'sandbox' is defined twice (first at line 9)",
    ],
    "email_too_long": [
        "{file}:11:12: accounts[name=log-archive].email: 'aws+a-very-long-mailbox-name-for-the-log-archive-account@tiny-corp.io' is not a valid email address (expected user@domain, 6-64 characters)",
    ],
    "empty": [
        "{file}:1:1: file is empty; expected a mapping with an 'organization' section",
    ],
    "extends_cycle": [
        "{file}:1:10: extends: 'extends_cycle.yaml' extends itself through extends_cycle.yaml",
    ],
    "extends_missing": [
        "{file}:1:10: extends: base file 'no-such-base.yaml' not found (looked for tests/config/fixtures/bad/no-such-base.yaml)",
    ],
    "guardrails_custom_rule_identifier": [
        "{file}:24:26: guardrails.custom_config_rules.tls-only.source_identifier: 's3-bucket-ssl-requests-only' is not an AWS managed rule identifier (upper-case letters, digits and '_', such as 'S3_BUCKET_SSL_REQUESTS_ONLY')",
    ],
    "guardrails_custom_scp_allow": [
        "{file}:26:11: guardrails.custom_scps.allow-everything.statements[0]: Effect is 'Allow'; guardrail statements must be 'Deny' (FullAWSAccess already allows)",
    ],
    "guardrails_custom_scp_unknown_action": [
        "{file}:27:20: guardrails.custom_scps.keep-public-access-block.statements[0].Action[0]: Action 's3:PutAcountPublicAccessBlock': s3 has no action 'PutAcountPublicAccessBlock' (did you mean 's3:PutAccountPublicAccessBlock'?) [UNKNOWN_ACTION]",
    ],
    "guardrails_mandatory_off": [
        "{file}:23:16: guardrails.controls.AWS-GR_CONFIG_ENABLED.enabled: AWS-GR_CONFIG_ENABLED is mandatory and cannot be turned off",
    ],
    "guardrails_region_deny_drops_governed": [
        "{file}:24:26: guardrails.controls.AWS-GR_REGION_DENY.parameters.allowed_regions: the governed region(s) eu-west-1 must stay allowed: the landing zone runs Config and security services there",
    ],
    "guardrails_scp_budget": [
        "{file}:22:13: limits.scp_size: root needs 3 SCPs for 12 statements (4,363 characters) but has 1 free slot(s) of 2,000 characters (limits.scps_per_target 2 minus FullAWSAccess, limits.scp_size 2,000); the mandatory controls alone do not fit: raise limits.scp_size or limits.scps_per_target (AWS allows 10,240 characters and 10 SCPs per target since 2026-05-15)",
    ],
    "guardrails_unknown_target": [
        "{file}:23:13: guardrails.controls.AWS-GR_DISALLOW_VPN_CONNECTIONS.ous[0]: OU 'Workload' is not defined (did you mean 'Workloads'?) (expected 'root' or an OU path from organizational_units)",
    ],
    "home_region_not_governed": [
        "{file}:3:16: organization.home_region: home region 'us-east-1' is not in governed_regions (eu-west-1)",
    ],
    "identity_admin_without_reason": [
        "{file}:24:9: identity.permission_sets[name=BreakGlass].inline_policy: the inline policy allows every action ('*') on every resource; use the AWSAdministratorAccess permission set instead, or say why under allow_admin_reason",
    ],
    "identity_assignment_reaches_nothing": [
        "{file}:22:7: warning: identity.assignments[name=admins-on-workloads-but-app]: assignment 'admins-on-workloads-but-app' reaches no account (its OUs hold no account yet, or every account it targets is excluded)",
    ],
    "identity_bad_source": [
        "{file}:21:11: identity.source: 'okta' is not allowed (expected 'identity_center' or 'external')",
    ],
    "identity_abac_attributes": [
        "{file}:22:20: identity.access_control_attributes.team leader: 'team leader' is not a session tag key (1-128 letters, digits and _.:/=+-@)",
        "{file}:23:18: identity.access_control_attributes.cost-center: 'enterprise.costCenter' is not a user attribute path (expected ${{path:...}}, such as ${{path:enterprise.department}})",
    ],
    "identity_abac_missing": [
        "{file}:26:9: warning: identity.permission_sets[name=TeamSessions].inline_policy: permission set 'TeamSessions' reads aws:PrincipalTag/team, but identity.access_control_attributes has no 'team': Identity Center passes no such session tag, so the condition never holds (add team: ${{path:...}} for the user attribute it comes from)",
    ],
    "identity_boundary_both": [
        "{file}:25:9: identity.permission_sets[name=Bounded].permissions_boundary: a permissions boundary names exactly one policy: managed_policy or customer_managed_policy",
    ],
    "identity_delegated_admin_management": [
        "{file}:21:28: identity.delegated_admin_account: 'management' cannot be the delegated administrator: the management account administers Identity Center anyway; name a member account",
    ],
    "identity_duplicate_group": [
        "{file}:23:13: identity.groups[name=Developers].name: group name 'Developers' is used twice (first at line 22); names are unique, case-insensitively",
    ],
    "identity_duplicate_permission_set": [
        "{file}:24:13: identity.permission_sets[name=appreadonly].name: permission set name 'appreadonly' is used twice (first at line 22); names are unique, case-insensitively",
    ],
    "identity_duplicate_assignment": [
        "{file}:26:13: identity.assignments[name=auditors-everywhere].name: assignment name 'auditors-everywhere' is used twice (first at line 22); names are unique, case-insensitively",
    ],
    "identity_inline_policy_lint": [
        "{file}:27:22: identity.permission_sets[name=LogReader].inline_policy.Statement[0].Action[0]: Action 's3:GetObjcet': s3 has no action 'GetObjcet' (did you mean 's3:GetObject'?) [UNKNOWN_ACTION]",
    ],
    "identity_inline_policy_not_json": [
        "{file}:23:22: identity.permission_sets[name=Broken].inline_policy: the inline policy is not valid JSON (Expecting value at line 1 column 41 of the policy)",
    ],
    "identity_inline_policy_too_large": [
        "{file}:26:9: identity.permission_sets[name=S3Reader].inline_policy: the inline policy is 210 characters minified; at most 100 are allowed (limits.inline_policy_size)",
    ],
    "identity_no_targets": [
        "{file}:22:7: identity.assignments[name=admins-nowhere]: assignment has no targets (expected OU paths under 'ous' or account names under 'accounts')",
    ],
    "identity_permission_set_name_too_long": [
        "{file}:23:13: identity.permission_sets[name=DeveloperAccessForTheWholeWorkloadsOu].name: 'DeveloperAccessForTheWholeWorkloadsOu' is not a valid permission set name (expected 1-32 letters, digits or +=,.@_- characters; limits.permission_set_name_length)",
    ],
    "identity_preset_clash": [
        "{file}:22:13: identity.permission_sets[name=AWSReadOnlyAccess].name: permission set 'AWSReadOnlyAccess' is already defined by the control_tower preset (use another name, or set identity.preset: none to define your own)",
    ],
    "identity_relay_state": [
        "{file}:24:20: identity.permission_sets[name=Console].relay_state: 'http://console.aws.amazon.com/ec2/' is not a relay state (expected an https:// URL of at most 240 characters)",
    ],
    "identity_session_duration": [
        "{file}:23:25: identity.permission_sets[name=LongSessions].session_duration: '24h' is not a session duration of 1 to 12 hours in ISO 8601 (expected such as 'PT1H', 'PT8H' or 'PT1H30M')",
    ],
    "identity_unknown_account": [
        "{file}:26:26: identity.assignments[name=admins-on-workloads].exclude_accounts[0]: account 'ap' is not defined (did you mean 'app'?) (defined: management, log-archive, audit, app)",
    ],
    "identity_unknown_group": [
        "{file}:25:14: identity.assignments[name=devs-on-workloads].group: group 'developer' is not defined (did you mean 'developers'?) (defined: AWSAccountFactory, AWSAuditAccountAdmins, AWSControlTowerAdmins, AWSLogArchiveAdmins, AWSLogArchiveViewers, AWSSecurityAuditors, AWSSecurityAuditPowerUsers, AWSServiceCatalogAdmins, AWSSupportUsers, developers)",
    ],
    "identity_unknown_ou": [
        "{file}:25:13: identity.assignments[name=admins-on-prod].ous[0]: OU 'Workloads/Prod' is not defined (did you mean 'Workloads'?) (defined: Security, Workloads; 'root' for every member account)",
    ],
    "identity_unknown_permission_set": [
        "{file}:24:23: identity.assignments[name=auditors-everywhere].permission_set: permission set 'ReadOnly' is not defined (did you mean 'AWSReadOnlyAccess'?) (defined: AWSAdministratorAccess, AWSPowerUserAccess, AWSReadOnlyAccess, AWSOrganizationsFullAccess, AWSServiceCatalogAdminFullAccess, AWSServiceCatalogEndUserAccess, AWSSupportAccess)",
    ],
    "missing_log_archive": [
        "{file}:10:3: accounts: log archive account 'log-archive' (the default of core.log_archive_account) is not defined in accounts (defined: audit)",
    ],
    "missing_parent_ou": [
        "{file}:9:11: organizational_units[path=Workloads/Prod].path: parent OU 'Workloads' of 'Workloads/Prod' is not defined (add it to organizational_units)",
    ],
    "missing_required": [
        "{file}:2:3: organization.home_region: required key 'home_region' is missing",
    ],
    "multiple_documents": [
        "{file}:4:1: file holds several YAML documents ('---'); expected one",
    ],
    "not_utf8": [
        "{file}:2:12: byte 0xe9 is not valid UTF-8 (save the file as UTF-8)",
    ],
    "ou_too_deep": [
        "{file}:11:11: organizational_units[path=A/B/C].path: 'A/B/C' is nested 3 levels deep; at most 2 are allowed (limits.ou_depth)",
    ],
    "python_tag": [
        "{file}:1:15: YAML value error: the tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
    ],
    "syntax_error": [
        "{file}:4:19: YAML syntax error: while parsing a flow sequence did not find expected ',' or ']'",
    ],
    "tag_not_string": [
        "{file}:14:7: accounts[name=log-archive].tags: tag 'cost-center' has the value 1234; tag values must be strings (quote it)",
    ],
    "top_level_list": [
        "{file}:1:1: top level is a list; expected a mapping of sections (organization, accounts, ...)",
    ],
    "unknown_key": [
        "{file}:10:5: accounts[name=log-archive].email: required key 'email' is missing",
        "{file}:11:5: accounts[name=log-archive].emial: unknown key 'emial' (did you mean 'email'?); allowed: name, email, ou, tags, id, alternate_contacts, iam_user_access_to_billing, close_on_deletion",
    ],
    "unknown_ou_reference": [
        "{file}:18:9: accounts[name=app].ou: OU 'Workloads/Prod' is not defined (defined: Security)",
    ],
    "unknown_region": [
        "{file}:4:33: organization.governed_regions[1]: 'eu-wets-2' is not an AWS region (did you mean 'eu-west-2'?)",
    ],
    "unknown_section": [
        "{file}:7:1: organisational_units: unknown key 'organisational_units' (did you mean 'organizational_units'?); allowed: extends, organization, organizational_units, accounts, account_factory, core, limits, guardrails, identity, logging, security_services, incident_response, network, self_service, ci, state",
    ],
    "unquoted_account_id": [
        "{file}:13:9: accounts[name=log-archive].id: 123456789012 must be written in quotes, as a 12-digit string such as '123456789012' (unquoted, YAML reads a number and drops leading zeros)",
    ],
    "wrong_type": [
        "{file}:4:21: organization.governed_regions: 'eu-west-1' is not a list",
    ],
    "security_admin_not_audit": [
        "{file}:17:28: security_services.delegated_administrator: the delegated administrator of GuardDuty, Security Hub, Config and Access Analyzer must be the audit account 'audit', not 'log-archive' (omit the key to use core.audit_account)",
    ],
    "security_hub_without_config": [
        "{file}:18:14: logging.config.enabled: AWS Config recording is off, but Security Hub (security_services.security_hub.enabled) needs Config in the same accounts and regions; turn Config on or Security Hub off",
        "{file}:18:14: logging.config.enabled: AWS Config recording is off, but the detective guardrails (AWS-GR_AUDIT_BUCKET_PUBLIC_READ_PROHIBITED, AWS-GR_AUDIT_BUCKET_PUBLIC_WRITE_PROHIBITED, AWS-GR_ENSURE_CLOUDTRAIL_ENABLED_ON_SHARED_ACCOUNTS) are organization Config rules, which AWS deploys into every account and which fail where nothing records; turn Config on (mandatory controls are among them)",
    ],
    "security_hub_config_regions": [
        "{file}:18:14: logging.config.regions: Security Hub runs in every governed region and needs AWS Config in the same regions, but Config does not record in 'eu-central-1' (add it, or omit logging.config.regions)",
        "{file}:18:14: logging.config.regions: the detective guardrails' organization Config rules run in 'eu-central-1', where AWS Config does not record, so AWS would fail them there (add the region, or omit logging.config.regions)",
    ],
    "config_region_not_governed": [
        "{file}:18:26: logging.config.regions[1]: 'us-east-1' is not a governed region (governed: eu-west-1)",
    ],
    "trail_log_retention": [
        "{file}:18:37: logging.organization_trail.cloudwatch_logs_retention_days: 90 days is less than the 365 days CIS and checkov (CKV_AWS_338) require (allowed: 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)",
    ],
    "object_lock_shorter_than_retention": [
        "{file}:19:30: logging.log_bucket.glacier_transition_days: objects would move to Glacier after 1000 days but expire after 1000 (log_bucket.retention_days); the transition must come first",
        "{file}:20:32: logging.log_bucket.noncurrent_retention_days: replaced or deleted log versions would be kept 30 days, less than log_bucket.retention_days (1000): a tampered log's original would vanish first (raise it to at least the retention, or omit it)",
        "{file}:23:13: logging.log_bucket.object_lock.days: Object Lock keeps each log 500 days, less than log_bucket.retention_days (1000): logs could be deleted before their retention ends (raise it to at least the retention, or omit it)",
    ],
    "trail_log_key_region": [
        "{file}:18:34: logging.organization_trail.cloudwatch_logs_kms_key_arn: the key is in 'us-east-1'; the trail's log group lives in the home region 'eu-west-1' and needs a key from there",
    ],
    "replication_home_region": [
        "{file}:18:13: logging.replication.region: 'eu-west-1' is the home region, where the log bucket already is; the replica needs a second governed region (add one to organization.governed_regions)",
    ],
    "replication_region_not_governed": [
        "{file}:18:13: logging.replication.region: 'us-east-1' is not a governed region (governed: eu-west-1, eu-central-1); the guardrails deny everything outside them, so the replica would be neither created nor protected",
    ],
    "bad_notification_email": [
        "{file}:19:9: security_services.notifications.emails[0]: 'security@' is not a valid email address (expected user@domain)",
        "{file}:21:9: security_services.notifications.emails[2]: email 'SOC@tiny-corp.io' is listed twice (first at line 20)",
    ],
    "identity_users": [
        "{file}:26:16: identity.users[user_name=dana].groups[0]: group 'developerz' is not defined (did you mean 'developers'?) (defined: AWSAccountFactory, AWSAuditAccountAdmins, AWSControlTowerAdmins, AWSLogArchiveAdmins, AWSLogArchiveViewers, AWSSecurityAuditors, AWSSecurityAuditPowerUsers, AWSServiceCatalogAdmins, AWSSupportUsers, developers)",
        "{file}:27:18: identity.users[user_name=Dana].user_name: user name 'Dana' is used twice (first at line 21); user names are unique, case-insensitively",
        "{file}:31:14: identity.users[user_name=Dana].email: email 'dana@tiny-corp.io' is used twice (first at line 25); emails are unique, case-insensitively",
    ],
    "identity_unknown_support_group": [
        "{file}:18:18: identity.support_group: group 'support-team' is not defined (did you mean 'support-teem'?); add it under identity.groups, or omit the key for the preset's AWSSupportUsers",
    ],
    "management_broad_access": [
        "{file}:21:7: warning: identity.assignments[name=devs-power-in-management]: assignment 'devs-power-in-management' gives group 'developers' PowerUserAccess (AWSPowerUserAccess) in the management account 'management': from there it can assume every member account's access role, which no guardrail binds, and SCPs never bind the management account (leave it to AWSControlTowerAdmins, or target member accounts)",
    ],
    "bad_object_lock_mode": [
        "{file}:19:13: logging.log_bucket.object_lock.mode: 'LEGAL_HOLD' is not allowed (expected 'GOVERNANCE' or 'COMPLIANCE')",
    ],
    "duplicate_security_standard": [
        "{file}:20:9: security_services.security_hub.standards[1]: 'cis-aws-foundations-benchmark-v3.0.0' is listed twice",
    ],
    "unknown_guardduty_feature": [
        "{file}:18:32: security_services.guardduty.features[1]: 'EKS_RUNTIME' is not allowed (expected 'S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'LAMBDA_NETWORK_LOGS' or 'RUNTIME_MONITORING')",
    ],
    "config_regions_without_home": [
        "{file}:18:14: logging.config.regions: the home region 'eu-west-1' must be recorded: AWS Config records global resource types (IAM) there only",
    ],
    "network_asn_public": [
        "{file}:6:12: network.transit_gateways[name=hub].asn: 7224 is not a private ASN; the transit gateway needs one in 64512-65534 or 4200000000-4294967294",
        "{file}:9:12: network.direct_connect_gateways[name=corp].asn: 7224 is not a private ASN; the Direct Connect gateway needs one in 64512-65534 or 4200000000-4294967294",
        "{file}:9:12: network.direct_connect_gateways[name=corp].asn: ASN 7224 is also the ASN of transit gateway 'hub' (at {file}:6:12); BGP needs them to differ",
    ],
    "network_asn_same": [
        "{file}:6:12: network.direct_connect_gateways[name=corp].asn: ASN 64512 is also the ASN of transit gateway 'hub' (its default); BGP needs them to differ",
        "{file}:14:25: network.direct_connect_gateways[name=corp].transit_virtual_interfaces[name=corp-vif].customer_asn: the on-premises router's ASN 64512 equals the gateway's own; BGP needs them to differ",
    ],
    "network_availability_zones": [
        "{file}:8:27: network.vpcs[name=app-dev].availability_zones: 4 availability zones asked for, but eu-west-1 has 3: eu-west-1a, eu-west-1b, eu-west-1c (data/aws_availability_zones.yaml)",
        "{file}:14:40: network.vpcs[name=app-dev-2].availability_zones[1]: 'us-east-1a' is not a zone of eu-west-1; eu-west-1 has 3: eu-west-1a, eu-west-1b, eu-west-1c",
        "{file}:14:52: network.vpcs[name=app-dev-2].availability_zones[2]: zone 'eu-west-1a' is listed twice",
    ],
    "network_bad_cidr": [
        "{file}:7:13: network.vpcs[name=app-dev].cidr: '10.20.0.1/16' has host bits set; the network is '10.20.0.0/16'",
        "{file}:9:27: network.vpcs[name=app-dev].subnets.private.cidrs[0]: '10.20.0.0/33' is not an IPv4 CIDR block (expected a.b.c.d/n such as '10.0.0.0/16')",
    ],
    "network_cidr_and_pool": [
        "{file}:8:18: network.vpcs[name=app-dev].ipam_pool: IPAM pool 'dev' is not defined (defined: none)",
        "{file}:8:18: network.vpcs[name=app-dev].ipam_pool: VPC 'app-dev' has a cidr; give either cidr or ipam_pool with netmask_length, not both",
        "{file}:11:7: network.vpcs[name=app-dev-2]: VPC 'app-dev-2' needs a cidr, or an ipam_pool with a netmask_length (ipam_pool is missing)",
    ],
    "network_duplicate_name": [
        "{file}:11:17: network.transit_gateways[name=edge].segments[name=lab].name: segment 'lab' is defined twice in transit gateway 'edge' (first at line 10)",
        "{file}:13:13: network.vpcs[name=hub-egress].name: VPC name 'hub-egress' is used twice (first at line 6)",
    ],
    "network_dx_association": [
        "{file}:8:20: network.direct_connect_gateways[name=corp].associations[0].segment: segment 'onprem' is not defined in transit gateway 'hub' (defined: prod, dev, shared)",
        "{file}:10:28: network.direct_connect_gateways[name=corp].associations[1].transit_gateway: transit gateway 'edge' is not defined (defined: hub)",
    ],
    "network_egress_missing": [
        "{file}:8:19: network.transit_gateways[name=hub].segments[name=prod].egress: segment 'prod' sends traffic to the egress VPC, but transit gateway 'hub' has no `egress`",
    ],
    "network_ipam": [
        "{file}:7:15: network.ipam.pools[name=dev].cidr: pool 'dev' (10.64.0.0/15) cannot hold the VPCs allocated from it (/16, /16, /24)",
        "{file}:9:15: network.ipam.pools[name=dev-too].cidr: pool 'dev-too' (10.65.0.0/16) overlaps pool 'dev' (10.64.0.0/15, at {file}:7:15)",
        "{file}:11:15: network.ipam.pools[name=small].cidr: pool 'small' (10.80.0.0/17) cannot hold the VPCs allocated from it (/16)",
        "{file}:32:26: network.vpcs[name=app-dev-3].subnets.private.cidrs: VPC 'app-dev-3', private subnets: subnet CIDRs cannot be written out for a VPC whose CIDR comes from IPAM; use netmask",
        "{file}:35:18: network.vpcs[name=app-dev-4].ipam_pool: pool 'small' is in eu-central-1, VPC 'app-dev-4' in eu-west-1; allocate from a pool of the VPC's region",
        "{file}:36:23: network.vpcs[name=app-dev-4].netmask_length: a /16 does not fit in pool 'small' (10.80.0.0/17)",
    ],
    "network_overlap_onprem": [
        "{file}:17:30: network.direct_connect_gateways[name=corp].on_premises_prefixes[0]: the on-premises network of Direct Connect gateway 'corp' (192.168.0.0/16) overlaps VPC 'app-dev' (192.168.0.0/16, at {file}:7:13), and they route to each other (segment 'dev' connects to 'shared' on transit gateway 'hub')",
    ],
    "network_overlap_peering": [
        "{file}:13:13: network.vpcs[name=lab-b].cidr: VPC 'lab-b' (172.16.0.0/20) overlaps VPC 'lab-a' (172.16.0.0/16, at {file}:7:13), and they route to each other (peering 'labs')",
    ],
    "network_overlap_segments": [
        "{file}:7:13: network.vpcs[name=app-prod-2].cidr: VPC 'app-prod-2' (10.10.128.0/20) overlaps VPC 'app-prod' (10.10.0.0/16, at tests/network/fixtures/org.yaml:50:13), and they route to each other (both in segment 'prod' on transit gateway 'hub')",
    ],
    "network_overlap_via_shared": [
        "{file}:7:13: network.vpcs[name=app-dev].cidr: VPC 'app-dev' (10.10.0.0/16) overlaps VPC 'app-prod' (10.10.0.0/16, at tests/network/fixtures/org.yaml:50:13), and VPC 'shared' reaches both (segment 'prod' connects to 'shared' on transit gateway 'hub'; segment 'dev' connects to 'shared' on transit gateway 'hub')",
    ],
    "network_peering_unknown": [
        "{file}:7:17: network.peerings[name=to-nowhere].accepter: VPC 'app-staging' is not defined (defined: shared, app-prod)",
        "{file}:10:17: network.peerings[name=self].accepter: VPC 'shared' cannot peer with itself",
    ],
    "network_region_not_governed": [
        "{file}:7:15: network.vpcs[name=app-dev].region: 'us-east-1' is not a governed region (governed: eu-west-1, eu-central-1)",
        "{file}:17:21: network.vpcs[name=app-eu].attachments[0]: VPC 'app-eu' is in eu-central-1, transit gateway 'hub' in eu-west-1; a VPC attaches to a transit gateway of its own region",
    ],
    "network_route_target": [
        "{file}:13:11: network.transit_gateways[name=hub].routes[0]: route to 10.99.0.0/16 needs exactly one of `vpc: <name>` and `blackhole: true`",
        "{file}:14:53: network.transit_gateways[name=hub].routes[1].vpc: VPC 'lab' is not attached to transit gateway 'hub' (attached: app-prod, shared)",
        "{file}:15:21: network.transit_gateways[name=hub].routes[2].segment: segment 'staging' is not defined in transit gateway 'hub' (defined: prod, dev, shared)",
    ],
    "network_share": [
        "{file}:8:9: network.transit_gateways[name=hub].share_with: share with either the organization (organization: true) or a list of OUs (ous: [...]), exactly one",
        "{file}:9:15: network.transit_gateways[name=hub].share_with.ous[0]: OU 'Workload' is not defined (defined: Security, Infrastructure, Workloads)",
        "{file}:22:11: network.vpcs[name=app-prod].attachments[1]: account 'app-prod' (OU 'Workloads') cannot attach to transit gateway 'edge': it is shared with Infrastructure only",
    ],
    "network_subnet_outside": [
        "{file}:9:41: network.vpcs[name=app-dev].subnets.private.cidrs[1]: VPC 'app-dev', private subnets: 10.21.0.0/20 is not inside the VPC's 10.20.0.0/16",
        "{file}:10:28: network.vpcs[name=app-dev].subnets.isolated.cidrs[0]: VPC 'app-dev', isolated subnets: 10.20.8.0/22 overlaps the private eu-west-1a subnet",
    ],
    "network_subnets_full": [
        "{file}:9:28: network.vpcs[name=app-dev].subnets.private.netmask: VPC 'app-dev', private subnets: no room for a /24 subnet in eu-west-1b: 10.20.0.0/24 is full (use a larger VPC, smaller subnets or fewer zones)",
    ],
    "network_too_many_attachments": [
        "{file}:16:9: network.vpcs[name=app-prod].attachments: VPC 'app-prod' has 3 transit-gateway attachments; at most 1 are allowed (limits.tgw_attachments_per_vpc)",
        "{file}:18:11: network.vpcs[name=app-prod].attachments[2]: VPC 'app-prod' is attached to transit gateway 'hub' twice; a VPC has one attachment per transit gateway",
    ],
    "network_transitive_peering": [
        "{file}:24:41: network.peerings[name=a-b].requester_routes[1]: 172.18.0.0/16 belongs to VPC 'lab-c', which 'lab-b' reaches (peering 'b-c'), not 'lab-a': this route relies on transitive peering, which AWS does not forward; peer 'lab-a' with 'lab-c' directly",
        "{file}:28:25: network.peerings[name=b-c].accepter_routes[0]: 172.19.0.0/16 is not inside VPC 'lab-b' (172.17.0.0/16); a peering route reaches only the peer VPC's own addresses",
    ],
    "network_unknown_account": [
        "{file}:6:16: network.vpcs[name=app-dev].account: account 'app-test' is not defined in accounts (defined: log-archive, audit, network, shared, app-prod, app-dev)",
    ],
    "network_unknown_segment": [
        "{file}:8:25: network.transit_gateways[name=hub].segments[name=dev].connects_to[0]: segment 'shraed' is not defined in transit gateway 'hub' (defined: prod, dev, shared)",
        "{file}:15:31: network.vpcs[name=app-dev].attachments[0].segment: segment 'devel' is not defined in transit gateway 'hub' (defined: prod, dev, shared)",
    ],
    "network_vpc_prefix": [
        "{file}:7:13: network.vpcs[name=app-dev].cidr: '10.0.0.0/8' is a /8; a VPC's CIDR block must be between /16 and /28",
    ],
    "factory_bad_template": [
        "{file}:20:21: account_factory.defaults.email_template: 'aws+{{account}}@tiny-corp.io' must hold {{name}} exactly once, before the '@' (found placeholders: {{account}}); such as 'aws+{{name}}@corp.example'",
    ],
    "factory_close_outside_suspended": [
        "{file}:24:14: account_factory.requests[name=sandbox-a].close: account 'sandbox-a' is in OU 'Sandbox'; move it to 'Suspended' (deny-all) and apply before marking it close: true",
        "{file}:24:14: account_factory.requests[name=sandbox-a].close: no deny-all SCP reaches the suspended OU 'Suspended', so an account closed from there (sandbox-a) can still act until AWS closes it; enable it with guardrails.controls: LZ-DENY-ALL: {{ous: [Suspended]}} (or a custom SCP denying Action '*' on Resource '*' there)",
    ],
    "factory_close_without_deny_all": [
        "{file}:27:14: account_factory.requests[name=sandbox-a].close: no deny-all SCP reaches the suspended OU 'Suspended', so an account closed from there (sandbox-a) can still act until AWS closes it; enable it with guardrails.controls: LZ-DENY-ALL: {{ous: [Suspended]}} (or a custom SCP denying Action '*' on Resource '*' there)",
    ],
    "factory_deploy_role_wildcard": [
        "{file}:23:33: account_factory.defaults.baseline.deploy_role.repository: 'acme/*' is not one repository (expected owner/name, no wildcards)",
        "{file}:23:51: account_factory.defaults.baseline.deploy_role.branch: 'release/*' is not one branch name (no wildcards or spaces)",
    ],
    "factory_deploy_role_scope": [
        "{file}:25:22: account_factory.defaults.baseline.deploy_role.environment: 'prod*' is not one GitHub environment name (letters, digits and ._- only, no wildcards)",
        "{file}:26:28: account_factory.defaults.baseline.deploy_role.services[1]: 'iam' may not be listed: IAM roles come with the boundary, and account, cloudtrail, config, identitystore, organizations, sso, sts are the landing zone's",
        "{file}:26:33: account_factory.defaults.baseline.deploy_role.services[2]: 'lambdda' is not an IAM service prefix (such as lambda, s3, dynamodb)",
    ],
    "factory_deploy_role_broad": [
        "{file}:27:44: warning: account_factory.defaults.baseline.deploy_role.managed_policies[1]: 'PowerUserAccess' gives a CI/CD role broad access (any workflow that obtains a token could read data, rewrite key policies or share snapshots); list the services the pipeline deploys under services: instead",
    ],
    "factory_duplicate_email": [
        "{file}:26:13: accounts[name=sandbox-a].email: email 'AWS+sandbox-a@Tiny-Corp.io' is used twice (first at line 19); emails are unique, case-insensitively",
    ],
    "factory_email_too_long": [
        "{file}:23:13: accounts[name=sandbox-for-the-data-science-experiments-team-two].email: 'aws+sandbox-for-the-data-science-experiments-team-two@tiny-corp.io' is not a valid email address (expected user@domain, 6-64 characters)",
    ],
    "factory_incomplete_request": [
        "{file}:20:13: account_factory.requests[name=sandbox-a].name: request 'sandbox-a' has no email and account_factory.defaults.email_template is not set (give one of them, such as 'aws+{{name}}@corp.example')",
        "{file}:20:13: account_factory.requests[name=sandbox-a].name: request 'sandbox-a' has no ou and account_factory.defaults.ou is not set",
    ],
    "factory_missing_tag": [
        "{file}:25:13: account_factory.requests[name=sandbox-a].tags: request 'sandbox-a' lacks the required tag(s) cost-center (account_factory.defaults.required_tags: owner, cost-center)",
    ],
    "factory_request_file": [
        "tests/config/fixtures/bad/factory_request_file/accounts/sandbox-b.yaml:6:12: account_factory.requests[name=sandbox-b].baseline.budget.monthly_limit: unknown key 'monthly_limit' (did you mean 'monthly_limit_usd'?); allowed: monthly_limit_usd, alert_threshold_percent, notify",
    ],
    "factory_network_bad_cidr": [
        "tests/config/fixtures/bad/factory_network_bad_cidr/accounts/web.yaml:4:9: account_factory.requests[name=web].network.cidr: '10.40.0.1/16' has host bits set; the network is '10.40.0.0/16'",
    ],
    "factory_network_overlap": [
        "tests/config/fixtures/bad/factory_network_overlap/accounts/web.yaml:4:9: account_factory.requests[name=web].network.cidr: VPC 'web' (10.10.128.0/17) overlaps VPC 'app-prod' (10.10.0.0/16, at tests/network/fixtures/org.yaml:50:13), and they route to each other (both in segment 'prod' on transit gateway 'hub')",
    ],
    "factory_network_unknown_segment": [
        "{file}:14:18: account_factory.requests[name=web].network.segment: segment 'devel' is not defined in transit gateway 'hub' (defined: prod, dev, shared)",
    ],
    "factory_network_duplicate": [
        "{file}:11:9: account_factory.requests[name=web].network: VPC 'web' is also defined in network.vpcs (account 'web'); declare it in one place: the request's network block or network.vpcs",
    ],
    "factory_quarantine": [
        "{file}:10:19: warning: account_factory.requests[name=web].quarantine: account 'web' is quarantined: only the landing zone's access roles may act in it; apply the management stack and its account stack, then set quarantine: false and apply the management stack again",
    ],
    "factory_request_file_tags": [
        "tests/config/fixtures/bad/factory_request_file_tags/accounts/sandbox-c.yaml:3:3: account_factory.requests[name=sandbox-c].tags: request 'sandbox-c' lacks the required tag(s) owner (account_factory.defaults.required_tags: owner)",
    ],
    "self_service_unknown_blueprint": [
        "{file}:23:22: self_service.products[name=ec2].versions[name=v1].blueprint: blueprint 'ec2-instanse' is not in modules/ (did you mean 'ec2-instance'?) (defined: ec2-instance, emr-cluster)",
    ],
    "self_service_duplicate_product": [
        "{file}:22:13: self_service.products[name=EC2].name: product name 'EC2' is used twice (first at line 18); names are unique, case-insensitively",
    ],
    "self_service_unknown_ou": [
        "{file}:26:22: self_service.portfolios[name=blueprints].share_to_ous[0]: OU 'Securty' is not defined (did you mean 'Security'?) (defined: Security)",
    ],
    "ci_unknown_provider": [
        "{file}:17:13: ci.provider: 'bitbucket' is not allowed (expected 'github' or 'gitlab')",
    ],
    "ci_bad_repository": [
        "{file}:18:15: ci.repository: 'tiny-corp/*' is not one repository (expected owner/name, no wildcards)",
    ],
    "ci_wildcard_branch": [
        "{file}:19:11: ci.branch: 'release/*' is not one branch name: the apply role trusts exactly one protected branch (no wildcards or spaces)",
    ],
    "ci_gitlab_environment": [
        "{file}:19:16: ci.environment: gitlab's OIDC subject does not name an environment; remove environment (the apply role trusts the branch)",
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
