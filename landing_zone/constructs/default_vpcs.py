"""AWS's default VPC in every governed region of one account: deleted, locked or kept (`organization.default_vpcs`).

- `delete`: a `terraform_data` whose local-exec provisioner runs the delete
  step (landing_zone/live/default_vpcs.py) for every governed region, with
  the stack's credentials and the account's access role. It runs when the
  account's stack is first applied and again whenever the mode, the regions
  or the role change (its `triggers_replace`); a later apply changes nothing.
  The interpreter is `$LZ_PYTHON` (lz sets it to its own Python for
  terraform), else `python3`, which must import landing_zone.
- `lock`: per region, the default VPC's default security group and default
  network ACL without a single rule, and flow logs to the log archive. The
  VPC is found with a data source (`aws_vpcs`, is-default), so a region
  without one gets nothing; `aws_default_vpc` is not used, as it would
  create a default VPC where there is none.
- `keep`: nothing (a documented risk: open security group and ACL, public
  subnets, no flow logs).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from typing import Mapping, Optional

from cdktf import Fn, LocalExecProvisioner, TerraformProvider, TerraformResource, Token
from cdktf_cdktf_provider_aws.data_aws_network_acls import DataAwsNetworkAcls, DataAwsNetworkAclsFilter
from cdktf_cdktf_provider_aws.data_aws_vpcs import DataAwsVpcs, DataAwsVpcsFilter
from cdktf_cdktf_provider_aws.default_network_acl import DefaultNetworkAcl
from cdktf_cdktf_provider_aws.default_security_group import DefaultSecurityGroup
from cdktf_cdktf_provider_aws.flow_log import FlowLog
from constructs import Construct

from ..derived.default_vpcs import ROLE_ARN_VAR, STEP_MODULE
from .ids import logical_id

MODES = ("delete", "lock", "keep")


@dataclass(frozen=True, kw_only=True)
class DefaultVpcsProps:
    """One account's default VPCs; `mode` delete, lock or keep."""

    mode: str
    """delete, lock or keep (organization.default_vpcs)."""
    account_name: str
    """The account, named in the delete step's messages."""
    providers: Mapping[str, TerraformProvider]
    """One provider per governed region (region -> provider)."""
    role_arn: Optional[str] = None
    """delete: the role the step assumes in the account (default none: the stack's own credentials, the management account)."""
    endpoint: Optional[str] = None
    """delete: a local AWS API every call of the step goes to (default none: AWS)."""
    flow_log_destination_arn: Optional[str] = None
    """lock: the S3 bucket ARN flow logs go to (required for lock)."""
    flow_log_max_aggregation_interval: int = 600
    tags: Mapping[str, str] = field(default_factory=dict)


class DefaultVpcs(Construct):
    """Attributes: `step` (the delete step's terraform_data or None), `security_groups`, `network_acls` and
    `flow_logs` (lock, by region)."""

    def __init__(self, scope: Construct, id: str, props: DefaultVpcsProps) -> None:
        super().__init__(scope, id)
        if props.mode not in MODES:
            raise ValueError(f"default VPC mode {props.mode!r} is not one of {', '.join(MODES)}")
        self.props = props
        self.step: Optional[TerraformResource] = None
        self.security_groups: dict[str, DefaultSecurityGroup] = {}
        self.network_acls: dict[str, DefaultNetworkAcl] = {}
        self.flow_logs: dict[str, FlowLog] = {}
        if props.mode == "delete":
            self._delete()
        elif props.mode == "lock":
            if not props.flow_log_destination_arn:
                raise ValueError("default VPC mode 'lock' needs flow_log_destination_arn")
            for region, provider in props.providers.items():
                self._lock(region, provider)

    def _delete(self) -> None:
        props = self.props
        regions = sorted(props.providers)
        words = ["-m", STEP_MODULE, "--account", props.account_name]
        for region in regions:
            words += ["--region", region]
        if props.endpoint:
            words += ["--endpoint", props.endpoint]
        # "$${" is terraform's escape of a literal "${": the shell gets ${LZ_PYTHON:-python3}.
        command = '"$${LZ_PYTHON:-python3}" ' + " ".join(shlex.quote(w) for w in words)
        self.step = TerraformResource(
            self,
            "delete",
            terraform_resource_type="terraform_data",
            provisioners=[
                LocalExecProvisioner(
                    type="local-exec", command=command, environment={ROLE_ARN_VAR: props.role_arn} if props.role_arn else None
                )
            ],
        )
        self.step.add_override("triggers_replace", {"mode": "delete", "regions": regions, "role_arn": props.role_arn or ""})
        self.step.override_logical_id("default_vpcs_delete")

    def _lock(self, region: str, provider: TerraformProvider) -> None:
        props = self.props
        vpcs = DataAwsVpcs(
            self, f"vpcs_{region}", provider=provider, filter=[DataAwsVpcsFilter(name="is-default", values=["true"])]
        )
        vpcs.override_logical_id(logical_id("default_vpc", region))
        present = Token.as_number(Fn.length_of(vpcs.ids))
        vpc_id = Token.as_string(Fn.element(vpcs.ids, 0))
        acls = DataAwsNetworkAcls(
            self,
            f"acls_{region}",
            provider=provider,
            vpc_id=Token.as_string(Fn.one(vpcs.ids)),
            filter=[DataAwsNetworkAclsFilter(name="default", values=["true"])],
        )
        acls.override_logical_id(logical_id("default_vpc_acl", region))
        sg = DefaultSecurityGroup(
            self,
            f"sg_{region}",
            provider=provider,
            count=present,
            vpc_id=vpc_id,
            tags={**props.tags, "Name": "default-vpc-closed"},
        )
        sg.override_logical_id(logical_id("default_vpc_security_group", region))
        self.security_groups[region] = sg
        acl = DefaultNetworkAcl(
            self,
            f"acl_{region}",
            provider=provider,
            count=present,
            default_network_acl_id=Token.as_string(Fn.element(acls.ids, 0)),
            tags={**props.tags, "Name": "default-vpc-closed"},
            # AWS associates the default VPC's subnets with it; the resource only closes its rules.
            lifecycle={"ignore_changes": ["subnet_ids"]},
        )
        acl.override_logical_id(logical_id("default_vpc_network_acl", region))
        self.network_acls[region] = acl
        flow = FlowLog(
            self,
            f"flow_log_{region}",
            provider=provider,
            count=present,
            vpc_id=vpc_id,
            log_destination_type="s3",
            log_destination=props.flow_log_destination_arn,
            traffic_type="ALL",
            max_aggregation_interval=props.flow_log_max_aggregation_interval,
            tags={**props.tags, "Name": "default-vpc-flow-log"},
        )
        flow.override_logical_id(logical_id("default_vpc_flow_log", region))
        self.flow_logs[region] = flow
