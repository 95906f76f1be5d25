"""The launch role every account a portfolio reaches gets (no cdktf): a CloudFormation template, deployed by a
service-managed stack set to the shared OUs, so an account that joins an OU later gets it too."""

from __future__ import annotations

import json
import re
from typing import Optional

INLINE_POLICY_LIMIT = 10_240  # IAM: aggregate inline policy size of a role


def _policy_name(blueprint: str) -> str:
    return "blueprint-" + re.sub(r"[^A-Za-z0-9+=,.@_-]", "-", blueprint)


def launch_role_template(role_name: str, policies: dict[str, dict], terraform_engine_account: Optional[str] = None) -> dict:
    """The template of the launch role `role_name`: trusted by Service Catalog (and, with Terraform products,
    by the Terraform engine's execution role in `terraform_engine_account`), with each blueprint's launch
    policy (`policies`: blueprint -> IAM policy) and nothing else."""
    trust = [{"Effect": "Allow", "Principal": {"Service": "servicecatalog.amazonaws.com"}, "Action": "sts:AssumeRole"}]
    if terraform_engine_account:
        trust.append(
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{terraform_engine_account}:root"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringLike": {
                        "aws:PrincipalArn": [
                            f"arn:aws:iam::{terraform_engine_account}:role/TerraformEngine/TerraformExecutionRole*",
                            f"arn:aws:iam::{terraform_engine_account}:role/TerraformEngine/ServiceCatalogExternalParameterParserRole*",
                        ]
                    }
                },
            }
        )
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"Service Catalog launch role {role_name}: provisions the landing zone's blueprints, nothing else",
        "Resources": {
            "LaunchRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": role_name,
                    "Description": "Service Catalog launch constraint role of the landing zone's self-service portfolios",
                    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": trust},
                    "Policies": [
                        {"PolicyName": _policy_name(name), "PolicyDocument": policies[name]} for name in sorted(policies)
                    ],
                },
            }
        },
        "Outputs": {"LaunchRoleArn": {"Value": {"Fn::GetAtt": ["LaunchRole", "Arn"]}}},
    }


def inline_policy_size(policies: dict[str, dict]) -> int:
    """Characters the role's inline policies take, minified (IAM counts them together)."""
    return sum(len(json.dumps(p, separators=(",", ":"))) for p in policies.values())
