"""Centralized logging and security services, wired into the stacks from the `logging:` and
`security_services:` sections.

- management stack: the audit account becomes GuardDuty and Security Hub administrator;
- log-archive stack: log key, log bucket, access-log bucket, the account baseline;
- audit stack: GuardDuty, Security Hub, Access Analyzer, the Config aggregator,
  security notifications, the account baseline;
- management-baseline stack (management_baseline.py): organization trail and the
  management account's baseline, once the log archive exists.

Resource types the deploy target does not serve (`settings.target.unserved`: the
local API's gaps, local_aws/target.py) are left out; `terraform test` with a
mocked provider proves them on the full synthesized stacks instead (tests/security).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..config.vending import access_role
from ..constructs.baseline import AccountBaseline, AccountBaselineProps, ConfigDelivery, SupportRoleSpec
from ..constructs.default_vpcs import DefaultVpcs, DefaultVpcsProps
from ..constructs.logging.config_aggregator import ConfigAggregator, ConfigAggregatorProps
from ..constructs.logging.log_archive import LogArchive, LogArchiveProps, WafLogBucketProps
from ..constructs.logging.log_replica import LogReplicaProps
from ..constructs.logging.policies import LogWriters
from ..constructs.security.access_analyzer import OrganizationAccessAnalyzer, OrganizationAccessAnalyzerProps
from ..constructs.security.administration import SecurityAdministration, SecurityAdministrationProps
from ..constructs.security.alerts import AlertRules, AlertRulesProps
from ..constructs.security.guardduty import GuardDutyOrganization, GuardDutyOrganizationProps
from ..constructs.security.notifications import SecurityNotifications, SecurityNotificationsProps
from ..constructs.security.security_hub import SecurityHubOrganization, SecurityHubOrganizationProps
from ..derived.default_vpcs import default_vpc_mode
from ..guardrails.alerts import GLOBAL_EVENTS_REGION, alerts
from ..identity.support_role import SUPPORT_PURPOSE, support_role_trust, support_role_wanted
from ..identity.trust import BREAK_GLASS_PURPOSE
from ..naming import LandingZoneNames
from ..respond.waf import WafNames, waf_accounts
from .base import LandingZoneStack
from .incident_response import add_account_response, add_audit_response, add_config_forwarding, add_waf
from .log_query import add_log_query, log_reader
from .settings import StackSettings

CONFIG_RECORDER_ROLE = "config-recorder"


def served(settings: StackSettings, resource_type: str) -> bool:
    """Whether the stacks' deploy target serves `resource_type` (real AWS serves everything)."""
    return settings.target.serves(resource_type)


def names(settings: StackSettings) -> LandingZoneNames:
    return settings.facts.names


def trail_arn(settings: StackSettings, management_account_id: str) -> str:
    """The organization trail's ARN, known before the trail exists (the log archive's policies name it)."""
    home = settings.env.organization.home_region
    return f"arn:aws:cloudtrail:{home}:{management_account_id}:trail/{names(settings).trail}"


def management_account_id(management) -> str:
    """The configured id when given, else the organization's (a cross-stack reference)."""
    org = management.settings.env.organization
    return org.management_account.id or management.organization.management_account_id


def governed_providers(stack: LandingZoneStack) -> dict:
    return {region: stack.provider_for(region) for region in stack.settings.env.organization.governed_regions}


# --- management stack --------------------------------------------------------


def add_security_administration(management) -> Optional[SecurityAdministration]:
    """The audit account as GuardDuty (every governed region) and Security Hub administrator."""
    settings = management.settings
    services = settings.env.security_services
    guardduty = services.guardduty.enabled and served(settings, "aws_guardduty_organization_admin_account")
    security_hub = services.security_hub.enabled and served(settings, "aws_securityhub_account")
    if not (guardduty or security_hub):
        return None
    return SecurityAdministration(
        management,
        "security_administration",
        SecurityAdministrationProps(
            admin_account_id=management.account(settings.env.core.audit_account).account_id,
            home_region=settings.env.organization.home_region,
            providers=governed_providers(management),
            guardduty=guardduty,
            security_hub=security_hub,
            depends_on=(management.organization.resource,),
        ),
    )


# --- every account stack -------------------------------------------------------


@dataclass(frozen=True)
class LogDestination:
    """Where an account's Config delivers: the log archive's bucket and key (tokens of the log-archive stack)."""

    bucket_name: str
    kms_key_arn: str
    depends_on: tuple = ()
    waf_log_bucket_arn: str | None = None
    """The web ACLs' log bucket (`incident_response.waf`; default none)."""


def add_account_baseline(stack: LandingZoneStack, account_id: str, destination: LogDestination) -> AccountBaseline:
    """The account baseline with AWS Config delivering to the log archive."""
    settings = stack.settings
    env = settings.env
    n = names(settings)
    regions = env.logging.config_regions(env.organization.governed_regions)
    config = (
        ConfigDelivery(
            bucket_name=destination.bucket_name,
            kms_key_arn=destination.kms_key_arn,
            recorder_name=n.config_recorder,
            delivery_channel_name=n.config_delivery_channel,
            role_name=n.role(CONFIG_RECORDER_ROLE),
            service_linked_role=env.logging.config.service_linked_role,
            regions=tuple(regions),
            delivery_frequency=env.logging.config.delivery_frequency,
            depends_on=destination.depends_on,
        )
        if regions
        else None
    )
    baseline = AccountBaseline(
        stack,
        "baseline",
        AccountBaselineProps(
            account_id=account_id,
            home_region=env.organization.home_region,
            providers=governed_providers(stack),
            imdsv2_required=served(settings, "aws_ec2_instance_metadata_defaults"),
            config=config,
            support_role=support_role_spec(stack),
        ),
    )
    add_default_vpcs(stack, destination)
    # Incident response: every account forwards Config compliance changes; member accounts get their roles.
    add_config_forwarding(stack, account_id, baseline)
    if getattr(stack, "account_name", None) is not None:
        stack.incident_response = add_account_response(stack, baseline)  # type: ignore[attr-defined]  # AccountStack only (it has account_name)
        stack.web_acls = add_waf(stack, destination.waf_log_bucket_arn)  # type: ignore[attr-defined]
    return baseline


def support_role_spec(stack: LandingZoneStack) -> Optional[SupportRoleSpec]:
    """The IAM support role where Identity Center's support permission set does not give AWSSupportAccess."""
    env = stack.settings.env
    if not support_role_wanted(env):
        return None
    management_id = management_account_id(stack.management)  # type: ignore[attr-defined]  # every baseline's stack has it
    return SupportRoleSpec(
        name=names(stack.settings).role(SUPPORT_PURPOSE),
        trust=support_role_trust(env, management_id),
    )


def add_default_vpcs(stack: LandingZoneStack, destination: LogDestination) -> DefaultVpcs:
    """The account's default VPCs deleted, locked or kept (organization.default_vpcs), in every governed region."""
    settings = stack.settings
    env = settings.env
    member = getattr(stack, "account_name", None)  # None: the management account's stack, its own credentials
    account = member or env.organization.management_account.name
    # The access role itself, never the CI plan role a member provider may take: plans run no provisioner.
    role_arn = f"arn:aws:iam::{stack.account_id}:role/{access_role(env, member)}" if member else None  # type: ignore[attr-defined]
    flow = env.network.flow_logs if env.network else None
    return DefaultVpcs(
        stack,
        "default_vpcs",
        DefaultVpcsProps(
            mode=default_vpc_mode(env, account),
            account_name=account,
            providers=governed_providers(stack),
            role_arn=role_arn,
            endpoint=settings.target.endpoint,
            # The log archive bucket's ARN without a /prefix/, as the network's VPCs (DESIGN.md: moto rejects one).
            flow_log_destination_arn=f"arn:aws:s3:::{destination.bucket_name}",
            flow_log_max_aggregation_interval=flow.max_aggregation_interval if flow else 600,
        ),
    )


# --- log-archive stack ---------------------------------------------------------


def add_log_archive(stack, management) -> LogArchive:
    """Log key and buckets, then the log archive account's own baseline (Config delivers locally)."""
    settings = stack.settings
    env = settings.env
    n = names(settings)
    logging = env.logging
    mgmt_id = management_account_id(management)
    lock = logging.log_bucket.object_lock
    archive = LogArchive(
        stack,
        "log_archive",
        LogArchiveProps(
            account_id=stack.account_id,
            region=env.organization.home_region,
            writers=LogWriters(
                organization_id=management.organization.organization_id,
                trail_arn=trail_arn(settings, mgmt_id),
                management_account_id=mgmt_id,
                # with Config's service-linked role, Config delivers as its service principal: no role to admit
                config_role_name=None if env.logging.config.service_linked_role else n.role(CONFIG_RECORDER_ROLE),
            ),
            log_bucket_name=n.log_bucket(stack.account_id),
            access_log_bucket_name=n.access_log_bucket(stack.account_id),
            key_alias=n.kms_alias,
            retention_days=logging.log_bucket.retention_days,
            glacier_transition_days=logging.log_bucket.glacier_transition_days,
            noncurrent_retention_days=logging.log_bucket.noncurrent_days,
            access_log_retention_days=logging.access_log_bucket.retention_days,
            object_lock_mode=lock.mode if lock else None,
            object_lock_days=logging.log_bucket.lock_days,
            # Only the role that deploys the log archive may delete, disable, re-policy or grant the log key.
            key_guardian_arns=(f"arn:aws:iam::{stack.account_id}:role/{access_role(env, env.core.log_archive_account)}",),
            key_deletion_window_days=logging.kms_deletion_window_days,
            prevent_destroy=not settings.allow_destroy,
            force_destroy=settings.allow_destroy and settings.target.disposable,
            replica=LogReplicaProps(
                region=logging.replication.region,
                bucket_name=n.replica_log_bucket(stack.account_id),
                access_log_bucket_name=n.replica_access_log_bucket(stack.account_id),
                key_alias=n.kms_alias,  # aliases are per region: the replica key carries the log key's alias there
                role_name=n.role("log-replication"),
                provider=stack.provider_for(logging.replication.region),
            )
            if logging.replication
            else None,
            reader=log_reader(settings, management),
            waf_logs=waf_log_bucket(stack, management),
            lifecycles_elsewhere=True,  # in the log-archive-lifecycle stack (stacks/lifecycle.py)
        ),
    )
    stack.log_archive = archive
    waf = archive.waf_log_bucket
    stack.log_destination = LogDestination(
        archive.log_bucket_name,
        archive.key_arn,
        (archive.log_bucket.policy,),
        waf_log_bucket_arn=waf.bucket_arn if waf else None,
    )
    add_account_baseline(stack, stack.account_id, stack.log_destination)
    return archive


def waf_log_bucket(stack, management) -> WafLogBucketProps | None:
    """The web ACLs' log bucket when `incident_response.waf` lists accounts: only theirs may deliver to it."""
    env = stack.settings.env
    waf = env.incident_response.waf
    if waf is None:
        return None
    return WafLogBucketProps(
        bucket_name=WafNames(names(stack.settings)).log_bucket(stack.account_id),
        source_account_ids=tuple(management.account(name).account_id for name in waf_accounts(env)),
        retention_days=waf.log_retention_days,
    )


def log_destination_of(log_archive_stack) -> LogDestination:
    """The log archive as seen from another stack (cross-stack references, so cdktf orders the stacks)."""
    archive: LogArchive = log_archive_stack.log_archive
    waf = archive.waf_log_bucket
    return LogDestination(archive.log_bucket_name, archive.key_arn, waf_log_bucket_arn=waf.bucket_arn if waf else None)


# --- audit stack ---------------------------------------------------------------


def add_audit_services(stack, management, log_archive_stack) -> None:
    """The audit account's baseline and the organization-wide services it administers."""
    settings = stack.settings
    env = settings.env
    n = names(settings)
    services = env.security_services
    home = env.organization.home_region
    providers = governed_providers(stack)
    add_account_baseline(stack, stack.account_id, log_destination_of(log_archive_stack))
    if services.guardduty.enabled:
        stack.guardduty = GuardDutyOrganization(
            stack,
            "guardduty",
            GuardDutyOrganizationProps(
                providers=providers,
                features=tuple(services.guardduty.features) if served(settings, "aws_guardduty_detector_feature") else (),
                finding_publishing_frequency=services.guardduty.finding_publishing_frequency,
                organization_configuration=served(settings, "aws_guardduty_organization_configuration"),
            ),
        )
    if services.security_hub.enabled and served(settings, "aws_securityhub_account"):
        stack.security_hub = SecurityHubOrganization(
            stack,
            "security_hub",
            SecurityHubOrganizationProps(
                provider=providers[home],
                home_region=home,
                linked_regions=tuple(r for r in env.organization.governed_regions if r != home),
                root_id=management.organization.root_id,
                policy_name=f"{n.prefix}security-hub",
                standards=tuple(services.security_hub.standards),
            ),
        )
    if services.access_analyzer.enabled and served(settings, "aws_accessanalyzer_analyzer"):
        stack.access_analyzer = OrganizationAccessAnalyzer(
            stack, "access_analyzer", OrganizationAccessAnalyzerProps(providers=providers, analyzer_name=n.access_analyzer)
        )
    if env.logging.config.enabled and env.logging.config.aggregator:
        stack.config_aggregator = ConfigAggregator(
            stack,
            "config_aggregator",
            ConfigAggregatorProps(
                account_id=stack.account_id,
                aggregator_name=n.config_aggregator,
                role_name=n.role("config-aggregator"),
                provider=providers[home],
            ),
        )
    notify = services.notifications
    stack.notifications = SecurityNotifications(
        stack,
        "security_notifications",
        SecurityNotificationsProps(
            account_id=stack.account_id,
            home_region=home,
            providers=providers,
            topic_name=n.security_topic,
            key_alias=n.kms_key_alias("security-notifications"),
            rule_prefix=n.prefix,
            forwarding_role_name=n.role("security-findings-forwarding"),
            emails=tuple(notify.emails),
            severity_threshold=notify.severity_threshold,
            guardduty=services.guardduty.enabled,
            security_hub=services.security_hub.enabled,
        ),
    )
    add_audit_response(stack, stack.notifications.topic_arn)
    stack.log_query = add_log_query(stack, management, log_archive_stack)
    if notify.tamper_alerts:
        stack.alert_rules = add_alert_rules(stack, stack.account_id, stack.notifications.topic_arn)


def add_alert_rules(stack: LandingZoneStack, account_id: str, topic_arn: str) -> AlertRules:
    """Tamper alerts (issue 24.5) to `topic_arn` in the home region; from us-east-1, where global services'
    events arrive, forwarded to the home region first."""
    settings = stack.settings
    env = settings.env
    n = names(settings)
    home = env.organization.home_region
    return AlertRules(
        stack,
        "alert_rules",
        AlertRulesProps(
            account_id=account_id,
            home_region=home,
            topic_arn=topic_arn,
            rule_prefix=n.prefix,
            alerts=alerts(
                access_role_name=env.organization.access_role_name,
                break_glass_role_name=n.role(BREAK_GLASS_PURPOSE) if env.organization.manage_access_role else None,
            ),
            home_provider=stack.provider,
            global_provider=stack.provider_for(GLOBAL_EVENTS_REGION) if home != GLOBAL_EVENTS_REGION else None,
            forwarding_role_name=n.role("security-alerts-forwarding"),
        ),
    )
