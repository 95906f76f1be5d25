"""IAM centralized root access: the organizations features of `aws_iam_organizations_features`.

moto 5.2 lacks IAM's Enable/DisableOrganizationsRootCredentialsManagement,
Enable/DisableOrganizationsRootSessions and ListOrganizationsFeatures, and
refuses iam.amazonaws.com as a trusted service. As on AWS, the calls need
the caller's organization with IAM's trusted access on
(ServiceAccessNotEnabledException otherwise; OrganizationNotFoundException
without an organization). The enabled features are kept on the caller's IAM
backend, which moto's reset clears.
"""

from __future__ import annotations

from ._helpers import add_actions, state

IAM_PRINCIPAL = "iam.amazonaws.com"
FEATURES = {"RootCredentialsManagement", "RootSessions"}


def _features(response) -> tuple[set, str]:
    from moto.iam.exceptions import IAMException
    from moto.organizations.models import organizations_backends

    org = organizations_backends[response.current_account][response.partition]
    if org.org is None:
        raise IAMException(
            "OrganizationNotFoundException", "The request was rejected because no organization is associated with your account."
        )
    if not any(s["ServicePrincipal"] == IAM_PRINCIPAL for s in org.services):
        raise IAMException(
            "ServiceAccessNotEnabledException",
            "The request was rejected because trusted access is not enabled for IAM in AWS Organizations.",
        )
    enabled = state(response.backend, "organizations_features").setdefault("enabled", set())
    return enabled, org.org.id


def _answer(response, enabled: set, org_id: str):
    from moto.core.responses import ActionResult

    return ActionResult({"OrganizationId": org_id, "EnabledFeatures": sorted(enabled)})


def _switch(feature: str, on: bool):
    def action(self):
        enabled, org_id = _features(self)
        (enabled.add if on else enabled.discard)(feature)
        return _answer(self, enabled, org_id)

    return action


def list_organizations_features(self):
    enabled, org_id = _features(self)
    return _answer(self, enabled, org_id)


enable_organizations_root_credentials_management = _switch("RootCredentialsManagement", True)
enable_organizations_root_credentials_management.__name__ = "enable_organizations_root_credentials_management"
disable_organizations_root_credentials_management = _switch("RootCredentialsManagement", False)
disable_organizations_root_credentials_management.__name__ = "disable_organizations_root_credentials_management"
enable_organizations_root_sessions = _switch("RootSessions", True)
enable_organizations_root_sessions.__name__ = "enable_organizations_root_sessions"
disable_organizations_root_sessions = _switch("RootSessions", False)
disable_organizations_root_sessions.__name__ = "disable_organizations_root_sessions"


def install() -> None:
    from moto.iam.responses import IamResponse
    from moto.organizations.models import FakeServiceAccess

    if IAM_PRINCIPAL not in FakeServiceAccess.TRUSTED_SERVICES:
        FakeServiceAccess.TRUSTED_SERVICES.append(IAM_PRINCIPAL)
    add_actions(
        IamResponse,
        list_organizations_features,
        enable_organizations_root_credentials_management,
        disable_organizations_root_credentials_management,
        enable_organizations_root_sessions,
        disable_organizations_root_sessions,
    )
