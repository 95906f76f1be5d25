"""Pure helpers behind the stacks: terraform names from YAML keys, and the stack layout."""

from __future__ import annotations

import re

from landing_zone.constructs.ids import logical_id
from landing_zone.derived.stack_layout import (
    AUDIT,
    DETECTIVE_GUARDRAILS,
    LOG_ARCHIVE,
    LOG_ARCHIVE_LIFECYCLE,
    MANAGEMENT,
    MANAGEMENT_ACCOUNT_STACKS,
    MANAGEMENT_LIFECYCLE,
    WAIT_ONLY_STACKS,
    deploy_order,
    destroy_order,
    stack_plans,
)
from landing_zone.environment import load_environment

from . import EXAMPLE

TERRAFORM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def test_plain_keys_stay_readable():
    assert logical_id("account", "log-archive") == "account_log-archive"
    assert logical_id("ou", "Security") == "ou_Security"


def test_unsafe_characters_are_replaced_and_disambiguated():
    keys = ["Workloads/Prod", "Workloads_Prod", "Workloads Prod", "Workloads.Prod", "workloads/prod"]
    names = [logical_id("ou", k) for k in keys]
    assert all(TERRAFORM_NAME.match(n) for n in names), names
    assert len(set(names)) == len(keys), names
    assert names[1] == "ou_Workloads_Prod"
    assert names[0].startswith("ou_Workloads_Prod_") and names[0] == logical_id("ou", "Workloads/Prod")  # stable


def test_layout_puts_management_first_and_every_dependency_before_its_dependents():
    env = load_environment(EXAMPLE).env
    order = deploy_order(env)
    assert order[0] == MANAGEMENT and set(order) >= {MANAGEMENT, LOG_ARCHIVE, AUDIT}
    for plan in stack_plans(env):
        for dep in plan.depends_on:
            assert order.index(dep) < order.index(plan.name)
        assert plan.assumes_role == (plan.name not in MANAGEMENT_ACCOUNT_STACKS)
    assert destroy_order(env) == list(reversed(order))
    # the organization Config rules wait for every stack (each but management creates a Config recorder), but the
    # lifecycle stacks, which nothing waits for (issue 23 B.3)
    plans = {p.name: p for p in stack_plans(env)}
    assert order[-1] == DETECTIVE_GUARDRAILS
    assert set(plans[DETECTIVE_GUARDRAILS].depends_on) == set(order[:-1]) - WAIT_ONLY_STACKS
    assert not any(set(p.depends_on) & WAIT_ONLY_STACKS for p in plans.values())
    assert plans[MANAGEMENT_LIFECYCLE].depends_on == (MANAGEMENT,) and not plans[MANAGEMENT_LIFECYCLE].assumes_role
    assert plans[LOG_ARCHIVE_LIFECYCLE].depends_on == (MANAGEMENT, LOG_ARCHIVE)
    assert plans[LOG_ARCHIVE_LIFECYCLE].account == env.core.log_archive_account
    assert plans[DETECTIVE_GUARDRAILS].account == env.organization.management_account.name
    accounts = {p.name: p.account for p in stack_plans(env)}
    assert accounts[LOG_ARCHIVE] == env.core.log_archive_account and accounts[AUDIT] == env.core.audit_account


def test_a_management_lifecycle_stack_only_where_the_management_stack_holds_the_catalog():
    env = load_environment(EXAMPLE).env
    assert MANAGEMENT_LIFECYCLE in deploy_order(env)
    no_catalog = env.model_copy(update={"self_service": None})
    assert MANAGEMENT_LIFECYCLE not in deploy_order(no_catalog) and LOG_ARCHIVE_LIFECYCLE in deploy_order(no_catalog)
    delegated = env.model_copy(
        update={"self_service": env.self_service.model_copy(update={"catalog_account": "shared-services"})}
    )
    assert MANAGEMENT_LIFECYCLE not in deploy_order(delegated)
