"""The audit stack: the security tooling account (filled by the security-services constructs)."""

from __future__ import annotations

from constructs import Construct

from ..derived.stack_layout import AUDIT
from .account_stack import AccountStack
from .logging_services import add_audit_services
from .management import ManagementStack
from .settings import StackSettings


class AuditStack(AccountStack):
    """Deploys into the core audit account (`core.audit_account`), the delegated administrator."""

    def __init__(
        self, scope: Construct, settings: StackSettings, *, management: ManagementStack, log_archive, name: str = AUDIT
    ) -> None:
        super().__init__(scope, name, settings, management=management, account_name=settings.env.core.audit_account)
        add_audit_services(self, management, log_archive)
