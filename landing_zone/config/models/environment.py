"""The whole environment file."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from .account_factory import AccountFactory
from .base import StrictModel
from .ci import CI
from .guardrails import Guardrails
from .identity import Identity
from .incident_response import IncidentResponse
from .limits import Limits
from .logging import Logging
from .network import Network
from .organization import Account, Core, Organization, OrganizationalUnit
from .security import SecurityServices
from .self_service import SelfService
from .state import LocalState, StateConfig


class Environment(StrictModel):
    """One environment of the landing zone (environments/<env>.yaml)."""

    extends: Optional[str] = Field(
        None, description="Base file this one extends, relative to it (deep merge; lists of named items merge by name)."
    )
    organization: Organization = Field(description="The organization as a whole.")
    organizational_units: list[OrganizationalUnit] = Field(
        default_factory=list, description="The OU tree, one entry per OU path."
    )
    accounts: list[Account] = Field(default_factory=list, description="Member accounts.")
    account_factory: Optional[AccountFactory] = Field(
        None,
        description="Account vending: defaults and requests (inline or environments/<env>/accounts/*.yaml); each request becomes a member account (default none).",
    )
    core: Core = Field(default_factory=Core, description="The core OU and its log archive and audit accounts.")
    limits: Limits = Field(default_factory=Limits, description="AWS quotas used by the checks (defaults from the package).")
    guardrails: Guardrails = Field(
        default_factory=Guardrails,
        description="Guardrails on top of the mandatory ones: catalog controls, targets, parameters, custom SCPs and Config rules (default: mandatory controls only).",
    )
    identity: Optional[Identity] = Field(
        None,
        description="IAM Identity Center: groups, permission sets and assignments by OU (default none: Identity Center is not managed).",
    )
    logging: Logging = Field(
        default_factory=Logging,
        description="Centralized logging: log archive buckets, organization trail, AWS Config (defaults: everything on).",
    )
    security_services: SecurityServices = Field(
        default_factory=SecurityServices,
        description="GuardDuty, Security Hub, IAM Access Analyzer and security notifications (defaults: everything on, administered by the audit account).",
    )
    incident_response: IncidentResponse = Field(
        default_factory=IncidentResponse,
        description="Incident response: responders that run or offer runbooks on findings and violations (default none).",
    )
    network: Optional[Network] = Field(
        None,
        description="Networking: transit gateways with segments, spoke VPCs, centralized egress, peering, Direct Connect, IPAM (default none).",
    )
    self_service: Optional[SelfService] = Field(
        None,
        description="Self-service: the blueprints of modules/ as Service Catalog products in portfolios shared to OUs (default none).",
    )
    ci: Optional[CI] = Field(
        None,
        description="CI takeover: the repository whose pipelines plan (pull requests) and apply (protected branch or environment) through OIDC roles that `lz bootstrap` creates (default none).",
    )
    state: StateConfig = Field(
        default_factory=LocalState, discriminator="backend", description="Terraform state backend (default local)."
    )
