"""The log-archive stack: the central log account (filled by the logging constructs)."""

from __future__ import annotations

from constructs import Construct

from ..derived.stack_layout import LOG_ARCHIVE
from .account_stack import AccountStack
from .logging_services import add_log_archive
from .management import ManagementStack
from .settings import StackSettings


class LogArchiveStack(AccountStack):
    """Deploys into the core log archive account (`core.log_archive_account`)."""

    def __init__(
        self, scope: Construct, settings: StackSettings, *, management: ManagementStack, name: str = LOG_ARCHIVE
    ) -> None:
        super().__init__(scope, name, settings, management=management, account_name=settings.env.core.log_archive_account)
        add_log_archive(self, management)  # sets log_archive (LogArchive) and log_destination
