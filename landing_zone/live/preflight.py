"""`lz preflight ENV`: read-only checks against the target before the first apply, each with its fix.

Every check reads with boto3 (Describe/List/Get calls only) and returns
findings; nothing is created or changed. `AwsClients` gives the clients (real
AWS from the usual credentials, or a local API); tests use moto in-process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Optional

from ..environment import LoadedEnvironment
from ..naming import LandingZoneNames
from ..render import Document
from .trusted_services import DELEGATED_SERVICES, SERVICE_ACCESS_PRINCIPALS

Status = Literal["ok", "problem", "warning"]

POLICIES_PER_ORGANIZATION = 1000  # Organizations quota "policies of each type" (AWS docs, Quotas for Organizations)


@dataclass(frozen=True)
class Finding:
    check: str
    status: Status
    detail: str
    fix: str = ""


@dataclass
class AwsClients:
    """boto3 clients for the target: `endpoint` set, the local API at 127.0.0.1; else the usual credentials,
    or `credentials` (an STS response's, for a session in another account)."""

    endpoint: Optional[str] = None
    region: str = "us-east-1"
    credentials: Optional[dict] = None
    _cache: dict = field(default_factory=dict, repr=False)

    def client(self, service: str, region: Optional[str] = None) -> Any:
        import boto3

        key = (service, region or self.region)
        if key not in self._cache:
            kwargs: dict[str, Any] = {"region_name": key[1]}
            if self.endpoint:
                from ..local_aws.endpoints import check_local_url
                from ..local_aws.server import DUMMY_CREDENTIALS

                kwargs.update(
                    endpoint_url=check_local_url(self.endpoint),
                    aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                    aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
                )
            if self.credentials:
                kwargs.update(
                    aws_access_key_id=self.credentials["AccessKeyId"],
                    aws_secret_access_key=self.credentials["SecretAccessKey"],
                    aws_session_token=self.credentials["SessionToken"],
                )
            self._cache[key] = boto3.client(service, **kwargs)
        return self._cache[key]

    def with_credentials(self, credentials: dict) -> "AwsClients":
        """The same target through another session's credentials (an STS AssumeRole or AssumeRoot response's)."""
        return AwsClients(self.endpoint, self.region, credentials)


def _pages(client, operation: str, key: str, **kwargs) -> list:
    return [item for page in client.get_paginator(operation).paginate(**kwargs) for item in page[key]]


def _error_code(exc: Exception) -> str:
    return getattr(exc, "response", {}).get("Error", {}).get("Code", "")


@dataclass
class _Org:
    """What several checks share: the organization (None: there is none yet) and its accounts."""

    caller: str
    organization: Optional[dict]
    accounts: list[dict]


def _read_org(clients: AwsClients) -> _Org:
    import botocore.exceptions

    caller = clients.client("sts").get_caller_identity()["Account"]
    orgs = clients.client("organizations")
    try:
        organization = orgs.describe_organization()["Organization"]
    except botocore.exceptions.ClientError as exc:
        if _error_code(exc) == "AWSOrganizationsNotInUseException":
            return _Org(caller, None, [])
        raise
    accounts = _pages(orgs, "list_accounts", "Accounts") if organization.get("MasterAccountId") == caller else []
    return _Org(caller, organization, accounts)


def check_credentials(loaded: LoadedEnvironment, clients: AwsClients, org: _Org) -> list[Finding]:
    name = "management credentials"
    configured = loaded.env.organization.management_account.id
    if configured and org.caller != configured:
        return [
            Finding(
                name,
                "problem",
                f"the credentials are account {org.caller}, not the management account {configured} of the file",
                "use the management account's credentials (AWS_PROFILE), or correct organization.management_account.id",
            )
        ]
    if org.organization is None:
        return [Finding(name, "ok", f"account {org.caller} is in no organization: the management stack creates it")]
    master = org.organization["MasterAccountId"]
    if master != org.caller:
        return [
            Finding(
                name,
                "problem",
                f"account {org.caller} is a member of organization {org.organization['Id']}, whose management account is {master}",
                "run with the management account's credentials",
            )
        ]
    return [Finding(name, "ok", f"account {org.caller} manages organization {org.organization['Id']}")]


def check_all_features(loaded: LoadedEnvironment, clients: AwsClients, org: _Org) -> list[Finding]:
    name = "all features"
    if org.organization is None:
        return [Finding(name, "ok", "the management stack creates the organization with all features")]
    feature_set = org.organization.get("FeatureSet")
    if feature_set != "ALL":
        return [
            Finding(
                name,
                "problem",
                f"the organization has feature set {feature_set}: SCPs and trusted access need ALL",
                "enable all features (Organizations console > Settings, or aws organizations enable-all-features) and have every member accept",
            )
        ]
    return [Finding(name, "ok", "the organization has all features")]


def check_trusted_access(loaded: LoadedEnvironment, clients: AwsClients, org: _Org) -> list[Finding]:
    name = "trusted access"
    if org.organization is None or org.organization.get("MasterAccountId") != org.caller:
        return []
    enabled = {
        s["ServicePrincipal"]
        for s in _pages(clients.client("organizations"), "list_aws_service_access_for_organization", "EnabledServicePrincipals")
    }
    missing = [p for p in SERVICE_ACCESS_PRINCIPALS if p not in enabled]
    if missing:
        return [
            Finding(
                name,
                "problem",
                f"trusted access is off for {', '.join(missing)}",
                "aws organizations enable-aws-service-access --service-principal NAME for each (the management stack "
                "also sets them once the organization is adopted: lz adopt)",
            )
        ]
    return [Finding(name, "ok", f"trusted access is on for the {len(SERVICE_ACCESS_PRINCIPALS)} services the landing zone uses")]


def check_conflicts(loaded: LoadedEnvironment, clients: AwsClients, org: _Org) -> list[Finding]:
    import botocore.exceptions

    env, names = loaded.env, LandingZoneNames.of(loaded.env)
    out: list[Finding] = []
    trails = clients.client("cloudtrail", env.organization.home_region).describe_trails(includeShadowTrails=True)["trailList"]
    for trail in trails:
        if trail.get("IsOrganizationTrail") and trail.get("Name") != names.trail:
            out.append(
                Finding(
                    "organization trail",
                    "problem",
                    f"organization trail {trail['Name']!r} exists ({trail.get('HomeRegion', '?')}); the landing zone adds {names.trail!r}: two trails double the cost",
                    "delete it after the landing zone's trail runs, or turn logging.organization_trail off and keep yours",
                )
            )
    for region in env.organization.governed_regions:
        try:
            recorders = clients.client("config", region).describe_configuration_recorders()["ConfigurationRecorders"]
        except botocore.exceptions.ClientError:
            continue
        for recorder in recorders:
            if recorder["name"] != names.config_recorder:
                out.append(
                    Finding(
                        "config recorder",
                        "problem",
                        f"Config recorder {recorder['name']!r} exists in {region}: an account has one recorder per region, so {names.config_recorder!r} cannot be created",
                        "delete it (aws configservice delete-configuration-recorder) or adopt it under the landing zone's name",
                    )
                )
    if org.organization is not None and org.organization.get("MasterAccountId") == org.caller:
        orgs = clients.client("organizations")
        audit = env.core.audit_account
        audit_ids = {a["Id"] for a in org.accounts if a["Name"] == audit}
        for admin in _pages(orgs, "list_delegated_administrators", "DelegatedAdministrators"):
            if admin["Id"] in audit_ids:
                continue
            services = _pages(orgs, "list_delegated_services_for_account", "DelegatedServices", AccountId=admin["Id"])
            clash = sorted(s["ServicePrincipal"] for s in services if s["ServicePrincipal"] in DELEGATED_SERVICES)
            if clash:
                out.append(
                    Finding(
                        "delegated administrator",
                        "problem",
                        f"account {admin['Id']} ({admin.get('Name', '?')}) is delegated administrator of {', '.join(clash)}; the landing zone delegates them to {audit!r}",
                        "deregister it (aws organizations deregister-delegated-administrator) or make that account the audit account",
                    )
                )
    if not out:
        out.append(Finding("conflicts", "ok", "no other organization trail, Config recorder or delegated administrator"))
    return out


def check_quotas(loaded: LoadedEnvironment, clients: AwsClients, org: _Org) -> list[Finding]:
    env, facts = loaded.env, loaded.facts
    limits = env.limits
    out: list[Finding] = []
    live_emails = {a["Email"].lower() for a in org.accounts}
    live_ids = {a["Id"] for a in org.accounts}
    new_accounts = [a for a in env.accounts if not (a.id and a.id in live_ids) and a.email.lower() not in live_emails]
    total = len(org.accounts) + len(new_accounts) + (0 if org.accounts else 1)  # the management account itself
    status: Status = "ok" if total <= limits.accounts_per_organization else "problem"
    out.append(
        Finding(
            "quota: accounts",
            status,
            f"{len(org.accounts)} accounts exist, {len(new_accounts)} to create: {total} of {limits.accounts_per_organization}",
            ""
            if status == "ok"
            else "ask AWS Support to raise 'Maximum number of accounts' (Service Quotas, Organizations), then set limits.accounts_per_organization",
        )
    )
    live_ous = 0
    if org.organization is not None and org.accounts:
        orgs = clients.client("organizations")
        (root,) = orgs.list_roots()["Roots"]
        stack = [root["Id"]]
        while stack:
            children = _pages(orgs, "list_organizational_units_for_parent", "OrganizationalUnits", ParentId=stack.pop())
            live_ous += len(children)
            stack.extend(c["Id"] for c in children)
    wanted = max(live_ous, len(env.organizational_units))
    status = "ok" if wanted <= limits.ous_per_organization else "problem"
    out.append(
        Finding(
            "quota: OUs",
            status,
            f"{live_ous} OUs exist, the file defines {len(env.organizational_units)}: at most {wanted} of {limits.ous_per_organization}",
            "" if status == "ok" else "remove OUs or ask AWS Support for more",
        )
    )
    planned_scps = sum(len(b.result.policies) for b in facts.guardrail_plan.budgets.values())
    live_scps = 0
    if org.organization is not None and org.accounts:
        live_scps = len(_pages(clients.client("organizations"), "list_policies", "Policies", Filter="SERVICE_CONTROL_POLICY"))
    status = "ok" if live_scps + planned_scps <= POLICIES_PER_ORGANIZATION else "problem"
    out.append(
        Finding(
            "quota: SCPs",
            status,
            f"{live_scps} SCPs exist, {planned_scps} to create: {live_scps + planned_scps} of {POLICIES_PER_ORGANIZATION}",
            "" if status == "ok" else "delete unused SCPs",
        )
    )
    return out


def check_regions(loaded: LoadedEnvironment, clients: AwsClients, org: _Org) -> list[Finding]:
    regions = clients.client("ec2", loaded.env.organization.home_region).describe_regions(AllRegions=True)["Regions"]
    status_of = {r["RegionName"]: r.get("OptInStatus", "opt-in-not-required") for r in regions}
    off = [r for r in loaded.env.organization.governed_regions if status_of.get(r) not in ("opt-in-not-required", "opted-in")]
    if off:
        return [
            Finding(
                "governed regions",
                "problem",
                f"not enabled in this account: {', '.join(off)}",
                "enable each (aws account enable-region --region-name NAME) and wait until ENABLED, or drop it from governed_regions",
            )
        ]
    return [
        Finding("governed regions", "ok", f"all {len(loaded.env.organization.governed_regions)} governed regions are enabled")
    ]


def check_emails(loaded: LoadedEnvironment, clients: AwsClients, org: _Org) -> list[Finding]:
    by_email = {a["Email"].lower(): a for a in org.accounts}
    out = []
    for account in loaded.env.accounts:
        live = by_email.get(account.email.lower())
        if live is None or (account.id and account.id == live["Id"]):
            continue
        out.append(
            Finding(
                "account emails",
                "problem",
                f"{account.name}: {account.email} is already the email of account {live['Id']} ({live['Name']}); creating it would fail",
                f"adopt that account (id: '{live['Id']}' on {account.name}, or lz adopt), or give {account.name} another email",
            )
        )
    return out or [Finding("account emails", "ok", "no email of the file belongs to another account of the organization")]


CHECKS: tuple[Callable[[LoadedEnvironment, AwsClients, _Org], list[Finding]], ...] = (
    check_credentials,
    check_all_features,
    check_trusted_access,
    check_conflicts,
    check_quotas,
    check_regions,
    check_emails,
)


def preflight(loaded: LoadedEnvironment, clients: AwsClients) -> list[Finding]:
    """Run every check (read-only) and return the findings in check order."""
    org = _read_org(clients)
    return [finding for check in CHECKS for finding in check(loaded, clients, org)]


def exit_code(findings: list[Finding]) -> int:
    """0 when nothing is a problem, 1 otherwise."""
    return 1 if any(f.status == "problem" for f in findings) else 0


def preflight_document(env_name: str, findings: list[Finding]) -> Document:
    problems = sum(f.status == "problem" for f in findings)
    doc = Document().heading(f"Preflight of {env_name}: {problems} problem(s) in {len(findings)} check(s)")
    doc.table(["check", "status", "detail", "fix"], [[f.check, f.status, f.detail, f.fix] for f in findings])
    return doc


def preflight_data(findings: list[Finding]) -> list[dict]:
    return [{"check": f.check, "status": f.status, "detail": f.detail, "fix": f.fix} for f in findings]
