"""Issue 24.7: the optional data-perimeter resource control policy (RCP) at the root.

Off in the example (RCPs also bind third parties the organization's resources trust); a variant turns it on.
"""

from __future__ import annotations

import json

import pytest

from landing_zone.derived.management_policies import ORG_ID_PLACEHOLDER, data_perimeter_policy
from landing_zone.guardrails.conditions import conditions_hold
from tests.conftest import EXAMPLE

VARIANT = """
extends: {example}
organization:
  management_policies:
    data_perimeter: true
"""


@pytest.fixture(scope="module")
def management(tmp_path_factory, synth_env):
    folder = tmp_path_factory.mktemp("data_perimeter")
    env_file = folder / "perimeter.yaml"
    env_file.write_text(VARIANT.format(example=EXAMPLE))
    return synth_env(env_file, folder / "out").stacks["management"]


def test_the_example_has_no_rcp(synth_out):
    resources = synth_out.stacks["management"]["resource"]
    assert all(p.get("type") != "RESOURCE_CONTROL_POLICY" for p in resources["aws_organizations_policy"].values())
    (org,) = resources["aws_organizations_organization"].values()
    assert "RESOURCE_CONTROL_POLICY" not in org["enabled_policy_types"]


def test_the_rcp_is_enabled_and_attached_at_the_root_with_the_organizations_id(management):
    resources = management["resource"]
    (org_key,) = resources["aws_organizations_organization"]
    assert "RESOURCE_CONTROL_POLICY" in resources["aws_organizations_organization"][org_key]["enabled_policy_types"]
    [(key, rcp)] = [
        (k, p) for k, p in resources["aws_organizations_policy"].items() if p.get("type") == "RESOURCE_CONTROL_POLICY"
    ]
    assert rcp["name"] == "acme-data-perimeter"
    content = json.loads(rcp["content"])
    assert [s["Sid"] for s in content["Statement"]] == [
        "EnforceOrgIdentities",
        "EnforceConfusedDeputyProtection",
        "EnforceSecureTransport",
    ]
    org_id = f"${{aws_organizations_organization.{org_key}.id}}"
    assert content["Statement"][0]["Condition"]["StringNotEqualsIfExists"] == {"aws:PrincipalOrgID": org_id}
    assert ORG_ID_PLACEHOLDER not in rcp["content"]
    attachments = [
        a
        for a in resources["aws_organizations_policy_attachment"].values()
        if a["policy_id"] == f"${{aws_organizations_policy.{key}.id}}"
    ]
    assert [a["target_id"] for a in attachments] == [f"${{aws_organizations_organization.{org_key}.roots[0].id}}"]


def _denied(context: dict) -> list[str]:
    statements = data_perimeter_policy()["Statement"]
    lowered = {k.lower(): v for k, v in context.items()}
    return [s["Sid"] for s in statements if conditions_hold(s["Condition"], lowered)]


def test_the_perimeter_denies_outsiders_and_plain_http_and_admits_the_organization():
    org = ORG_ID_PLACEHOLDER
    inside = {"aws:PrincipalOrgID": [org], "aws:PrincipalIsAWSService": ["false"], "aws:SecureTransport": ["true"]}
    assert _denied(inside) == []
    assert _denied({**inside, "aws:PrincipalOrgID": ["o-someoneelse"]}) == ["EnforceOrgIdentities"]
    assert _denied({**inside, "aws:SecureTransport": ["false"]}) == ["EnforceSecureTransport"]
    service = {"aws:PrincipalIsAWSService": ["true"], "aws:SecureTransport": ["true"], "aws:SourceAccount": ["111122223333"]}
    assert _denied({**service, "aws:SourceOrgID": [org]}) == []
    assert _denied({**service, "aws:SourceOrgID": ["o-someoneelse"]}) == ["EnforceConfusedDeputyProtection"]
