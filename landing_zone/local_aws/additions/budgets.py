"""Budgets DescribeSubscribersForNotification and resource tags.

The AWS provider (5.x) reads a budget's notifications and then each one's
subscribers; moto 5.2 stores the subscribers with CreateBudget but has no
DescribeSubscribersForNotification, so reading a budget with an alert (every
vended account's baseline) fails with HTTP 500. It then lists the budget's
tags (ListTagsForResource, also missing); tags arrive with CreateBudget
(ResourceTags) or TagResource and are kept per budget ARN.
"""

from __future__ import annotations

import json

from ._helpers import add_actions, json_error, state

_KEYS = ("NotificationType", "ComparisonOperator", "ThresholdType")


def _same(a: dict, b: dict) -> bool:
    return all(a.get(k) == b.get(k) for k in _KEYS) and float(a.get("Threshold", 0)) == float(b.get("Threshold", 0))


def describe_subscribers_for_notification(self) -> str:
    account_id = self._get_param("AccountId")
    name = self._get_param("BudgetName")
    wanted = self._get_param("Notification") or {}
    budget = self.backend.budgets.get(account_id, {}).get(name)
    if budget is None:
        raise json_error("NotFoundException", f"Unable to get budget: {name} - the budget doesn't exist.")
    for notification in budget.notifications:
        if _same(notification.details, wanted):
            return json.dumps({"Subscribers": list(notification.subscribers), "NextToken": None})
    raise json_error("NotFoundException", f"Unable to find the notification of budget {name}.")


def _tags(self) -> dict:
    return state(self.backend, "budget_tags")


def _put_tags(self, arn: str, tags: list) -> None:
    current = _tags(self).setdefault(arn, {})
    current.update({t["Key"]: t["Value"] for t in tags or []})


def list_tags_for_resource(self) -> str:
    arn = self._get_param("ResourceARN")
    tags = _tags(self).get(arn, {})
    return json.dumps({"ResourceTags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())]})


def tag_resource(self) -> str:
    _put_tags(self, self._get_param("ResourceARN"), self._get_param("ResourceTags"))
    return json.dumps({})


def untag_resource(self) -> str:
    current = _tags(self).get(self._get_param("ResourceARN"), {})
    for key in self._get_param("ResourceTagKeys") or []:
        current.pop(key, None)
    return json.dumps({})


def install() -> None:
    from moto.budgets.responses import BudgetsResponse

    add_actions(BudgetsResponse, describe_subscribers_for_notification, list_tags_for_resource, tag_resource, untag_resource)
    original = BudgetsResponse.create_budget
    if getattr(original, "_lz_tags", False):
        return

    def create_budget(self) -> str:
        out = original(self)
        name = (self._get_param("Budget") or {}).get("BudgetName")
        account_id = self._get_param("AccountId")
        _put_tags(self, f"arn:aws:budgets::{account_id}:budget/{name}", self._get_param("ResourceTags"))
        return out

    create_budget._lz_tags = True  # type: ignore[attr-defined]  # marks moto's patched code so it is patched once
    BudgetsResponse.create_budget = create_budget  # type: ignore[method-assign]  # patches moto's class at run time
