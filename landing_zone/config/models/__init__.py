"""Typed, strict models of an environment file (no cdktf here)."""
from .account_factory import AccountFactory, AccountNetwork, AccountRequest, BaselineOptions, Budget, DeployRole, FactoryDefaults
from .base import StrictModel
from .environment import Environment
from .guardrails import ControlSetting, CustomConfigRule, CustomScp, Guardrails
from .identity import Assignment, CustomerManagedPolicyRef, Identity, IdentityGroup, PermissionSet, PermissionsBoundary
from .limits import Limits, limit_table
from .logging import AccessLogBucket, ConfigRecording, LogBucket, Logging, ObjectLock, OrganizationTrail
from .network import (
    DirectConnectAssociation, DirectConnectGateway, EgressVpc, FlowLogs, Ipam, IpamPool, Network, Peering, Segment,
    ShareWith, SubnetTier, Subnets, TransitGateway, TransitGatewayRoute, TransitVirtualInterface, Vpc, VpcAttachment,
)
from .organization import Account, AlternateContacts, Contact, Core, ManagementAccount, Organization, OrganizationalUnit
from .security import AccessAnalyzer, GuardDuty, Notifications, SecurityHub, SecurityServices
from .state import LocalState, RemoteState, S3State, StateConfig

__all__ = [
    "AccountFactory", "AccountNetwork", "AccountRequest", "BaselineOptions", "Budget", "DeployRole", "FactoryDefaults",
    "Account", "AlternateContacts", "Contact", "ControlSetting", "Core", "CustomConfigRule", "CustomScp", "Environment", "Guardrails", "Limits", "LocalState",
    "ManagementAccount", "Organization", "OrganizationalUnit", "RemoteState", "S3State", "StateConfig",
    "StrictModel", "limit_table",
    "Assignment", "CustomerManagedPolicyRef", "Identity", "IdentityGroup", "PermissionSet", "PermissionsBoundary",
    "AccessAnalyzer", "AccessLogBucket", "ConfigRecording", "GuardDuty", "LogBucket", "Logging", "Notifications", "ObjectLock",
    "OrganizationTrail", "SecurityHub", "SecurityServices",
    "DirectConnectAssociation", "DirectConnectGateway", "EgressVpc", "FlowLogs", "Ipam", "IpamPool", "Network", "Peering",
    "Segment", "ShareWith", "SubnetTier", "Subnets", "TransitGateway", "TransitGatewayRoute", "TransitVirtualInterface",
    "Vpc", "VpcAttachment",
]
