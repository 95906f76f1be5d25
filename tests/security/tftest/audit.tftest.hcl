# The audit stack of environments/example.yaml, planned against a mocked AWS
# provider: proves what the local AWS API (moto) does not serve. The test
# writes the override_data blocks for the cross-stack reads next to this file.

mock_provider "aws" {}

mock_provider "aws" {
  alias = "eu-central-1"
}

# The access role is imported (imports.tf, issue 24.1); a mocked provider cannot import.
override_resource {
  target = aws_iam_role.access_role
}

# The tamper alerts' forwarding rules (issue 24.5): global services' events arrive in us-east-1.
mock_provider "aws" {
  alias = "us-east-1"
}

run "guardduty_auto_enables_every_member_with_its_features" {
  command = plan

  assert {
    condition     = aws_guardduty_organization_configuration.guardduty_organization_eu-west-1.auto_enable_organization_members == "ALL" && aws_guardduty_organization_configuration.guardduty_organization_eu-central-1.auto_enable_organization_members == "ALL"
    error_message = "GuardDuty must be auto-enabled for ALL members in every governed region"
  }
  assert {
    condition = alltrue([for k, f in {
      a = aws_guardduty_organization_configuration_feature.guardduty_organization_feature_eu-west-1-s3_data_events,
      b = aws_guardduty_organization_configuration_feature.guardduty_organization_feature_eu-central-1-eks_audit_logs,
      c = aws_guardduty_organization_configuration_feature.guardduty_organization_feature_eu-west-1-ebs_malware_protection,
      d = aws_guardduty_organization_configuration_feature.guardduty_organization_feature_eu-central-1-rds_login_events,
      e = aws_guardduty_organization_configuration_feature.guardduty_organization_feature_eu-west-1-lambda_network_logs,
    } : f.auto_enable == "ALL"])
    error_message = "every GuardDuty feature must be auto-enabled for ALL members"
  }
  assert {
    condition     = aws_guardduty_detector_feature.guardduty_feature_eu-central-1-s3_data_events.status == "ENABLED"
    error_message = "the administrator's own detector runs the features too"
  }
}

run "security_hub_is_configured_centrally_with_the_standards" {
  command = plan

  assert {
    condition     = aws_securityhub_organization_configuration.securityhub_organization_configuration.organization_configuration[0].configuration_type == "CENTRAL"
    error_message = "Security Hub must use central configuration"
  }
  assert {
    condition     = aws_securityhub_account.securityhub_account.control_finding_generator == "SECURITY_CONTROL" && !aws_securityhub_account.securityhub_account.enable_default_standards
    error_message = "the audit account's hub uses consolidated control findings and no default standards"
  }
  assert {
    condition     = aws_securityhub_configuration_policy.securityhub_configuration_policy.configuration_policy[0].service_enabled
    error_message = "the configuration policy must enable Security Hub"
  }
  assert {
    condition = toset(aws_securityhub_configuration_policy.securityhub_configuration_policy.configuration_policy[0].enabled_standard_arns) == toset([
      "arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0",
      "arn:aws:securityhub:eu-west-1::standards/cis-aws-foundations-benchmark/v/3.0.0",
    ])
    error_message = "the policy must enable FSBP and CIS v3.0.0"
  }
  assert {
    condition     = aws_securityhub_configuration_policy_association.securityhub_policy_root_association.target_id == "r-mock"
    error_message = "the policy must be associated with the organization's root"
  }
  assert {
    condition     = aws_securityhub_finding_aggregator.securityhub_finding_aggregator.linking_mode == "SPECIFIED_REGIONS" && toset(aws_securityhub_finding_aggregator.securityhub_finding_aggregator.specified_regions) == toset(["eu-central-1"])
    error_message = "findings of the other governed region must be aggregated into the home region"
  }
}

run "access_analyzers_cover_the_organization_in_every_region" {
  command = plan

  assert {
    condition     = aws_accessanalyzer_analyzer.access_analyzer_eu-west-1.type == "ORGANIZATION" && aws_accessanalyzer_analyzer.access_analyzer_eu-central-1.type == "ORGANIZATION"
    error_message = "an ORGANIZATION analyzer must exist in every governed region"
  }
}

run "imdsv2_is_required_by_default_in_every_region" {
  command = plan

  assert {
    condition     = aws_ec2_instance_metadata_defaults.instance_metadata_defaults_eu-west-1.http_tokens == "required" && aws_ec2_instance_metadata_defaults.instance_metadata_defaults_eu-central-1.http_tokens == "required"
    error_message = "IMDSv2 must be required by default"
  }
}

run "remediation_runs_as_the_remediation_role_and_custom_actions_exist" {
  command = plan

  assert {
    condition     = can(regex("^arn:aws:iam::[0-9]{12}:role/acme-lz-remediation$", one([for p in aws_config_remediation_configuration.remediation_AWS-GR_RESTRICTED_SSH_eu-west-1.parameter : p.static_value if p.name == "AutomationAssumeRole"])))
    error_message = "automatic remediation must run as the account's remediation role (AutomationAssumeRole)"
  }
  assert {
    condition     = aws_config_remediation_configuration.remediation_AWS-GR_RESTRICTED_SSH_eu-west-1.automatic && aws_config_remediation_configuration.remediation_AWS-GR_RESTRICTED_SSH_eu-west-1.maximum_automatic_attempts == 3 && aws_config_remediation_configuration.remediation_AWS-GR_RESTRICTED_SSH_eu-west-1.config_rule_name == "acme-lz-aws-gr-restricted-ssh"
    error_message = "SSH remediation is automatic, bounded to 3 attempts, on the account rule"
  }
  assert {
    condition     = !aws_config_remediation_configuration.remediation_AWS-GR_S3_BUCKET_PUBLIC_READ_PROHIBITED_eu-central-1.automatic && endswith(aws_config_remediation_configuration.remediation_AWS-GR_S3_BUCKET_PUBLIC_READ_PROHIBITED_eu-central-1.target_id, ":document/LZ-BlockS3PublicAccess")
    error_message = "public-read remediation is on demand with the region's shared document"
  }
  assert {
    condition     = toset([aws_securityhub_action_target.security_hub_action_isolate-instance.name, aws_securityhub_action_target.security_hub_action_quarantine-principal.name]) == toset(["Isolate instance", "Quarantine principal"])
    error_message = "the custom actions Isolate instance and Quarantine principal exist"
  }
}
