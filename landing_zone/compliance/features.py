"""Which landing-zone features are on in an environment, for the CIS mapping. Pure Python.

Each feature maps an `Environment` to (on, how to turn it on). The mapping
(landing_zone/data/cis_aws_foundations_v3.yaml) names features by key; a
key missing here is a bug the tests catch.
"""

from __future__ import annotations

from typing import Callable

FSBP = "aws-foundational-security-best-practices"
CIS_V3 = "cis-aws-foundations-benchmark-v3.0.0"


def _always(env) -> tuple[bool, str]:
    return True, ""


def _trail_events(kinds: tuple[str, ...], hint: str) -> Callable:
    def feature(env) -> tuple[bool, str]:
        return env.logging.organization_trail.s3_data_events in kinds, hint

    return feature


def _cis_alarms(env) -> tuple[bool, str]:
    return env.logging.organization_trail.cis_alarms, "set logging.organization_trail.cis_alarms: true"


def _config_every_region(env) -> tuple[bool, str]:
    governed = env.organization.governed_regions
    on = env.logging.config_regions(governed) == list(governed)
    return on, "set logging.config.enabled: true and record every governed region (omit logging.config.regions)"


def _security_hub(env) -> tuple[bool, str]:
    return env.security_services.security_hub.enabled, "set security_services.security_hub.enabled: true"


def _security_hub_standard(standard: str) -> Callable:
    def feature(env) -> tuple[bool, str]:
        hub = env.security_services.security_hub
        return (
            hub.enabled and standard in hub.standards,
            f"enable Security Hub with the standard {standard!r} (security_services.security_hub.standards)",
        )

    return feature


def _access_analyzer(env) -> tuple[bool, str]:
    return env.security_services.access_analyzer.enabled, "set security_services.access_analyzer.enabled: true"


def _identity_center(env) -> tuple[bool, str]:
    return getattr(env, "identity", None) is not None, "add an identity: section (IAM Identity Center)"


def _support_role(env) -> tuple[bool, str]:
    from ..identity.support_role import support_role_wanted

    identity = getattr(env, "identity", None)
    return (
        (identity is not None and identity.preset == "control_tower") or support_role_wanted(env),
        "add an identity: section with the control_tower preset (its support group holds AWSSupportAccess "
        "everywhere), or set organization.support_role.create: always (an IAM role in every account)",
    )


def _alternate_contacts(env) -> tuple[bool, str]:
    # The organization's default reaches every account, the management account included (derived/contacts.py).
    default = env.organization.alternate_contacts
    return (
        default is not None and default.security is not None,
        "set organization.alternate_contacts.security (every account, the management account included)",
    )


def _network_acls(env) -> tuple[bool, str]:
    network = getattr(env, "network", None)
    has_vpcs = network is not None and bool(network.vpcs or any(t.egress for t in network.transit_gateways))
    return has_vpcs, "define VPCs in a network: section (each subnet tier gets its network ACL)"


def _default_vpcs(env) -> tuple[bool, str]:
    from ..derived.default_vpcs import default_vpc_modes

    kept = [name for name, mode in default_vpc_modes(env).items() if mode == "keep"]
    return not kept, f"set organization.default_vpcs to delete or lock for {', '.join(kept) or 'every account'}"


def _network(attribute: str, hint: str) -> Callable:
    def feature(env) -> tuple[bool, str]:
        network = getattr(env, "network", None)
        return bool(network is not None and getattr(network, attribute, None)), hint

    return feature


FEATURES: dict[str, Callable] = {
    "organization": _always,
    "account_baseline": _always,
    "log_archive": _always,
    "organization_trail": _always,
    "cis_alarms": _cis_alarms,
    "trail_s3_write_events": _trail_events(("write", "all"), "set logging.organization_trail.s3_data_events: write (or all)"),
    "trail_s3_read_events": _trail_events(("read", "all"), "set logging.organization_trail.s3_data_events: read (or all)"),
    "config_every_region": _config_every_region,
    "security_hub": _security_hub,
    "security_hub_cis": _security_hub_standard(CIS_V3),
    "security_hub_fsbp": _security_hub_standard(FSBP),
    "access_analyzer": _access_analyzer,
    "identity_center": _identity_center,
    "support_role": _support_role,
    "alternate_contacts": _alternate_contacts,
    "network_acls": _network_acls,
    "default_vpcs": _default_vpcs,
    "network_vpcs": _network("vpcs", "define VPCs in a network: section"),
    "network_peerings": _network("peerings", "define peerings in a network: section"),
}
