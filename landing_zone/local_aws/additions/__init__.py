"""Small in-process additions to moto for calls the landing zone makes and moto 5.2 lacks.

`moto_app` installs them before the server starts. Each module covers one
service, reproduces the documented AWS behaviour only as far as terraform's
AWS provider needs it (create, read back, update, delete, waiters), keeps its
state on moto's own per-account, per-region backend (so `POST
/moto-api/reset` clears it), and is tested in tests/local_aws/test_additions.py.
"""

from __future__ import annotations

from . import (  # network (tests/network/test_moto_additions.py)
    athena,  # Athena over the log archive (tests/logging/test_log_query_local.py)
    budgets,  # account factory (tests/account_factory/test_moto_budgets.py)
    cloudformation_stack_sets,  # the catalog's launch-role stack set (tests/catalog/test_local_api.py)
    cloudtrail,  # logging (tests/logging/test_moto_additions.py)
    config_rules,
    direct_connect,
    event_automation,  # incident response: EventBridge starts SSM Automation (tests/respond/test_automatic.py)
    event_patterns,  # EventBridge patterns into arrays of objects (tests/respond/test_routing.py)
    event_topic_targets,  # EventBridge delivers to SNS topics (tests/respond/test_routing.py)
    iam_root_access,  # centralized root access (tests/local_aws/test_additions.py)
    organizations,
    ram,
    retried_requests,  # an SDK's repeated invocation answered once (tests/local_aws/test_retried_requests.py)
    root_sessions,  # AssumeRoot and member root credentials (tests/outside_audit/test_root_credentials.py)
    s3_secure_transport,  # self-service templates bucket (tests/catalog/test_local_api.py)
    server_speed,  # moto's own CPU per request, not an AWS behaviour (tests/local_aws/test_server_speed.py)
    service_catalog,  # self-service (tests/catalog/test_local_api.py)
    ssm_automation,  # incident response (tests/respond/test_local_automation.py)
    sso_admin,
    sso_admin_abac,  # ABAC attributes (tests/local_aws/test_additions.py)
    subnets,  # only the default VPC's subnets are default ones (tests/network/test_moto_additions.py)
    transit_gateways,
)

MODULES = (
    server_speed,
    retried_requests,
    organizations,
    iam_root_access,
    root_sessions,
    config_rules,
    sso_admin,
    sso_admin_abac,
    transit_gateways,
    subnets,
    direct_connect,
    ram,
    cloudtrail,
    budgets,
    ssm_automation,
    event_automation,
    event_topic_targets,
    event_patterns,
    service_catalog,
    s3_secure_transport,
    cloudformation_stack_sets,
    athena,
)


def install() -> None:
    """Apply every addition (idempotent)."""
    for module in MODULES:
        module.install()
