"""The account factory's part of the app: each vended account's `account-<name>` stack and its extras.

`build_factory_stacks` adds the account baseline and `AccountExtras` to the `account-<name>` stack the
network already built for a vended account, builds a `FactoryAccountStack`
for every other vended account, and a `BaselineAccountStack` for every other
member account without a stack (names and order from `stacks.factory_layout`,
which runners read without cdktf).
"""

from __future__ import annotations

from typing import Callable, Iterable

from constructs import Construct

from ..config.vending import account_alias, effective_baseline, vended_names
from ..constructs.account_extras import AccountExtras, AccountExtrasProps, BudgetSpec, DeployRoleSpec
from ..derived.stack_layout import baseline_only_names, factory_stack_name
from ..identity.deploy_roles import boundary_name, deploy_boundary
from ..naming import LandingZoneNames
from .account_stack import AccountStack


def extras_props(env, name: str) -> AccountExtrasProps:
    """The extras of vended account `name` from its request and the factory defaults."""
    options = effective_baseline(env, name)
    account = next(a for a in env.accounts if a.name == name)
    alias = account_alias(env, name)
    budget = options.budget
    deploy = options.deploy_role
    names = LandingZoneNames.of(env)
    return AccountExtrasProps(
        account_alias=alias if options.account_alias else None,
        budget=BudgetSpec(
            name=f"{alias}-monthly",
            limit_usd=budget.monthly_limit_usd,
            threshold_percent=budget.alert_threshold_percent,
            alert_emails=tuple(budget.notify) or (account.email,),
        ),
        access_analyzer_name=f"{alias}-analyzer" if options.access_analyzer else None,
        deploy_role=DeployRoleSpec(
            role_name=deploy.role_name,
            repository=deploy.repository,
            branch=deploy.branch,
            environment=deploy.environment,
            provider_url=deploy.provider_url,
            audience=deploy.audience,
            services=tuple(deploy.services),
            boundary_name=boundary_name(names, deploy.role_name),
            boundary_policy=deploy_boundary(deploy.services, names, deploy.role_name),
            managed_policies=tuple(deploy.managed_policies),
        )
        if deploy
        else None,
    )


def add_vended_account(stack: AccountStack, name: str, log_archive) -> AccountExtras:
    """The account baseline (unless the stack has one) and the vended account's extras (`stack.account_extras`)."""
    stack.ensure_baseline(log_archive)
    stack.account_extras = AccountExtras(stack, "account_extras", extras_props(stack.settings.env, name))
    return stack.account_extras


class FactoryAccountStack(AccountStack):
    """`account-<name>` of a vended account without a VPC: its baseline and extras."""

    def __init__(self, scope: Construct, name: str, settings, *, management, log_archive, account_name: str) -> None:
        super().__init__(scope, name, settings, management=management, account_name=account_name)
        add_vended_account(self, account_name, log_archive)


class BaselineAccountStack(AccountStack):
    """`account-<name>` of a member account that is neither core nor vended and owns no VPC: the account baseline."""

    def __init__(self, scope: Construct, name: str, settings, *, management, log_archive, account_name: str) -> None:
        super().__init__(scope, name, settings, management=management, account_name=account_name)
        self.ensure_baseline(log_archive)


def build_factory_stacks(
    scope: Construct,
    settings,
    *,
    management,
    log_archive,
    existing: Iterable,
    timed: Callable = lambda build: build(),
    wanted: Callable[[str], bool] = lambda name: True,
) -> list[AccountStack]:
    """Baseline and extras into the existing `account-<name>` stacks of vended accounts; new stacks for the
    others, in request order; then a baseline stack for every other member account without a stack (each only
    when `wanted(stack name)`)."""
    by_name = {stack.stack_name: stack for stack in existing}
    stacks: list[AccountStack] = []
    for account in vended_names(settings.env):
        stack_name = factory_stack_name(account)
        if stack_name in by_name:
            add_vended_account(by_name[stack_name], account, log_archive)
        elif wanted(stack_name):
            stacks.append(
                timed(
                    lambda: FactoryAccountStack(
                        scope, stack_name, settings, management=management, log_archive=log_archive, account_name=account
                    )
                )
            )
    for account in baseline_only_names(settings.env, list(by_name)):
        if not wanted(factory_stack_name(account)):
            continue
        stacks.append(
            timed(
                lambda: BaselineAccountStack(
                    scope,
                    factory_stack_name(account),
                    settings,
                    management=management,
                    log_archive=log_archive,
                    account_name=account,
                )
            )
        )
    return stacks
