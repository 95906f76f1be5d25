"""Typed, strict models of an environment file (no cdktf here)."""
from .base import StrictModel
from .environment import Environment
from .limits import Limits, limit_table
from .organization import Account, AlternateContacts, Contact, Core, ManagementAccount, Organization, OrganizationalUnit
from .state import LocalState, RemoteState, S3State, StateConfig

__all__ = [
    "Account", "AlternateContacts", "Contact", "Core", "Environment", "Limits", "LocalState",
    "ManagementAccount", "Organization", "OrganizationalUnit", "RemoteState", "S3State", "StateConfig",
    "StrictModel", "limit_table",
]
