"""The deploy target of a local AWS API (moto on 127.0.0.1) for the app and its stacks."""

from __future__ import annotations

from ..deploy_target import DeployTarget
from .endpoints import check_local_url, provider_settings

# Resource types moto 5.2 (the local AWS API) does not serve, as probed with
# provider 5.100.0: left out of local deployments, proven by `terraform test`
# on the full synthesized stacks instead (tests/security).
LOCAL_API_GAPS: dict[str, str] = {
    "aws_ec2_instance_metadata_defaults": "ModifyInstanceMetadataDefaults answers HTTP 500",
    "aws_securityhub_account": "UpdateSecurityHubConfiguration answers HTTP 500",
    "aws_securityhub_organization_admin_account": "needs aws_securityhub_account",
    "aws_securityhub_finding_aggregator": "CreateFindingAggregator is missing",
    "aws_securityhub_organization_configuration": "central configuration is missing",
    "aws_securityhub_configuration_policy": "configuration policies are missing",
    "aws_securityhub_configuration_policy_association": "configuration policies are missing",
    "aws_guardduty_organization_admin_account": "DisableOrganizationAdminAccount is missing (HTTP 404): destroy fails",
    "aws_guardduty_organization_configuration": "UpdateOrganizationConfiguration is missing (HTTP 404)",
    "aws_guardduty_organization_configuration_feature": "UpdateOrganizationConfiguration is missing (HTTP 404)",
    "aws_guardduty_detector_feature": "GetDetector returns no features (empty result)",
    "aws_accessanalyzer_analyzer": "moto has no IAM Access Analyzer",
    "aws_config_remediation_configuration": "PutRemediationConfigurations is missing",
    "aws_securityhub_action_target": "CreateActionTarget is missing",
}


def local_api(url: str) -> DeployTarget:
    """The target of the local AWS API at `url` (ValueError unless http://127.0.0.1:PORT or localhost)."""
    url = check_local_url(url)
    return DeployTarget(
        name=f"local API at {url}",
        endpoint=url,
        provider_overrides=provider_settings(url),
        unserved=LOCAL_API_GAPS,
        disposable=True,
    )
