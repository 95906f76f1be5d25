"""IAM Access Analyzer with the organization as zone of trust, in every governed region (CIS 1.20)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from cdktf import TerraformProvider
from cdktf_cdktf_provider_aws.accessanalyzer_analyzer import AccessanalyzerAnalyzer
from constructs import Construct

from ..ids import logical_id


@dataclass(frozen=True, kw_only=True)
class OrganizationAccessAnalyzerProps:
    """Analyzers in the Access Analyzer delegated administrator (audit) account."""

    providers: Mapping[str, TerraformProvider]
    """Administrator-account provider per governed region (region -> provider)."""
    analyzer_name: str
    """Analyzer name, the same in every region."""


class OrganizationAccessAnalyzer(Construct):
    """One `aws_accessanalyzer_analyzer` of type ORGANIZATION per region. Attributes: `analyzers` (by region)."""

    def __init__(self, scope: Construct, id: str, props: OrganizationAccessAnalyzerProps) -> None:
        super().__init__(scope, id)
        self.props = props
        self.analyzers: dict[str, AccessanalyzerAnalyzer] = {}
        for region, provider in props.providers.items():
            analyzer = AccessanalyzerAnalyzer(
                self, region, provider=provider, analyzer_name=props.analyzer_name, type="ORGANIZATION"
            )
            analyzer.override_logical_id(logical_id("access_analyzer", region))
            self.analyzers[region] = analyzer
