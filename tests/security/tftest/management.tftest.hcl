# The management stack of environments/example.yaml, planned against a mocked
# AWS provider: the administrator designations the local AWS API cannot
# create and delete (GuardDuty) or serve at all (Security Hub).

mock_provider "aws" {
  mock_data "aws_ssoadmin_instances" {
    defaults = {
      arns              = ["arn:aws:sso:::instance/ssoins-mock"]
      identity_store_ids = ["d-mock"]
    }
  }
}

mock_provider "aws" {
  alias = "eu-central-1"
}

# The audit account's id is only known after apply; give it one.
override_resource {
  target = aws_organizations_account.account_audit
  values          = { id = "333333333333" }
  override_during = plan
}

run "the_audit_account_administers_guardduty_in_every_governed_region" {
  command = plan

  assert {
    condition     = aws_guardduty_organization_admin_account.guardduty_admin_eu-west-1.admin_account_id == "333333333333"
    error_message = "the audit account must be GuardDuty's administrator in eu-west-1"
  }
  assert {
    condition     = aws_guardduty_organization_admin_account.guardduty_admin_eu-central-1.admin_account_id == "333333333333"
    error_message = "the audit account must be GuardDuty's administrator in eu-central-1"
  }
}

run "the_audit_account_administers_security_hub" {
  command = plan

  assert {
    condition     = aws_securityhub_organization_admin_account.securityhub_admin.admin_account_id == "333333333333"
    error_message = "the audit account must be Security Hub's administrator"
  }
  assert {
    condition     = aws_securityhub_account.securityhub_management_account.enable_default_standards == false
    error_message = "the management account's hub must not subscribe to default standards (the central policy decides)"
  }
}
