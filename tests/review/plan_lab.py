"""The plan-review lab: real terraform plans of the example against a local AWS API.

One moto server; the example (plus a small overlay this file adds, so the
test cases do not depend on which electives the example happens to enable)
is applied once, then each changed config is synthesized and only the
stacks that differ are planned (`plan -out` + `show -json`). A second,
hand-written stack ("danger lab") holds the logging, security and network
resources the danger rules protect, named as the landing zone names them;
it is applied and then planned without them.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from landing_zone.guardrails.catalog import catalog
from landing_zone.local_aws.endpoints import provider_settings
from landing_zone.terraform import terraform_env

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "environments" / "example.yaml"
ENV_NAME = "example"  # every variant keeps the file name: the state path holds it

# The overlay's names: the cases change exactly these.
CUSTOM_SCP = "review-deny-iam-users"
OVERLAY_OU = "PolicyStaging"
OVERLAY_ACCOUNT = "policy-staging"
ASSIGNMENT = "review-test-access"
NEW_ACCOUNT = "review-new"
NEW_ACCOUNT_OU = "Sandbox"
MOVED_ACCOUNT = "web-nonprod"
MOVED_TO = "Workloads/Prod"
REPLACED_ACCOUNT = "web-prod"
LAB_ACCOUNT_ID = "123456789012"  # moto's default account
DETECTIVE = "detective-guardrails"  # the organization Config rules' stack
# The provider waits for each organization Config rule's status after creating it; at terraform's
# default of 10 operations at once those waits add up over the example's few dozen rules.
RULES_PARALLELISM = "-parallelism=32"
LAB_ORG = "acme"


def example_data() -> dict:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def removed_elective(data: dict) -> str:
    """An elective preventive control the example enables on OUs (the removed-guardrail case drops it)."""
    for control_id, setting in ((data.get("guardrails") or {}).get("controls") or {}).items():
        control = catalog().get(control_id)
        ous = (setting or {}).get("ous") or []
        if control and control.tier == "elective" and control.preventive and ous and "root" not in ous:
            return control_id
    raise AssertionError("the example enables no elective preventive control on an OU: the removed-guardrail case needs one")


def overlay_grant(data: dict) -> tuple[str, str]:
    """A (group, permission set) that the example does not give on the overlay account."""
    from landing_zone.environment import load_environment
    from landing_zone.identity import identity_plan

    plan = identity_plan(load_environment(EXAMPLE).env)
    if not plan.enabled:
        raise AssertionError("the example has no identity: section; the removed-assignment case needs one")
    have = {(g.group, g.permission_set) for g in plan.grants_for(account=OVERLAY_ACCOUNT)}
    # a read-only grant if one is free: the case is about the review, not about power
    permission_sets = sorted(plan.permission_sets, key=lambda p: "ReadOnly" not in p.name)
    for group in plan.groups:
        for permission_set in permission_sets:
            if (group.name, permission_set.name) not in have:
                return group.name, permission_set.name
    raise AssertionError(f"every group already holds every permission set in {OVERLAY_ACCOUNT}")


def baseline(data: dict) -> dict:
    """The example plus the overlay: a custom SCP and one more assignment, both on PolicyStaging."""
    data = copy.deepcopy(data)
    guardrails = data.setdefault("guardrails", {})
    guardrails.setdefault("custom_scps", {})[CUSTOM_SCP] = {
        "title": "No IAM users in the policy staging OU (plan-review test)",
        "ous": [OVERLAY_OU],
        "statements": [{"Effect": "Deny", "Action": ["iam:CreateUser"], "Resource": "*"}],
    }
    group, permission_set = overlay_grant(data)
    data["identity"].setdefault("assignments", []).append(
        {"name": ASSIGNMENT, "group": group, "permission_set": permission_set, "accounts": [OVERLAY_ACCOUNT]}
    )
    return data


def account_entry(data: dict, name: str) -> dict:
    """An account's entry in the environment file: under `accounts:` or an account-factory request."""
    entries = list(data.get("accounts") or []) + list((data.get("account_factory") or {}).get("requests") or [])
    for entry in entries:
        if entry.get("name") == name:
            return entry
    raise AssertionError(f"account {name!r} is not in {EXAMPLE.name} itself (accounts: or account_factory.requests:)")


def remove_account(data: dict, name: str) -> None:
    account_entry(data, name)  # fails clearly when it is not in the file itself
    for entries in (data.get("accounts"), (data.get("account_factory") or {}).get("requests")):
        if entries is not None:
            entries[:] = [e for e in entries if e.get("name") != name]


def add_account(data: dict, name: str, ou: str) -> None:
    requests = (data.get("account_factory") or {}).get("requests")
    entry = {"name": name, "email": f"aws+{name}@acme-corp.io", "ou": ou, "tags": {"owner": "review-test"}}
    (requests if requests is not None else data.setdefault("accounts", [])).append(entry)


def routine(base: dict) -> dict:
    """Everyday changes, none dangerous: an added account, a moved account, a changed SCP,
    a removed guardrail and a removed permission-set assignment."""
    data = copy.deepcopy(base)
    add_account(data, NEW_ACCOUNT, NEW_ACCOUNT_OU)
    account_entry(data, MOVED_ACCOUNT)["ou"] = MOVED_TO
    data["guardrails"]["custom_scps"][CUSTOM_SCP]["statements"][0]["Action"].append("iam:CreateLoginProfile")
    del data["guardrails"]["controls"][removed_elective(data)]
    data["identity"]["assignments"] = [a for a in data["identity"]["assignments"] if a["name"] != ASSIGNMENT]
    return data


def email_change(base: dict) -> dict:
    """A changed root email: provider 5.100.0 replaces the account."""
    data = copy.deepcopy(base)
    account = account_entry(data, REPLACED_ACCOUNT)
    account["email"] = f"aws+{REPLACED_ACCOUNT}-new@acme-corp.io"
    return data


def write_env(folder: Path, data: dict, state_dir: Path) -> Path:
    """The variant as <folder>/example.yaml, with the example's side folder (per-account files) beside it."""
    data = copy.deepcopy(data)
    data["state"] = {"backend": "local", "directory": str(state_dir)}
    folder.mkdir(parents=True, exist_ok=True)
    side = EXAMPLE.parent / EXAMPLE.stem
    if side.is_dir():
        shutil.copytree(side, folder / ENV_NAME, dirs_exist_ok=True)
    # The synth's project folder is the variant's folder: the example's self-service blueprints live in modules/.
    modules = folder / "modules"
    if not modules.exists():
        modules.symlink_to(ROOT / "modules", target_is_directory=True)
    path = folder / f"{ENV_NAME}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def changed_stacks(base_out: Path, head_out: Path) -> list[str]:
    """Stacks whose cdk.tf.json differs (new stacks included), in deploy order (`lz affected`'s comparison)."""
    from landing_zone.review.affected import affected_stacks

    return [s.name for s in affected_stacks(base_out, head_out).stacks if s.reason in ("changed", "added")]


# -- terraform ----------------------------------------------------------------------
@dataclass
class Runner:
    """terraform with the lab's environment; every run's output kept for failure messages."""

    env: dict
    timings: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.env = terraform_env(self.env)

    def run(self, folder: Path, label: str, *args: str, ok=(0,), stdout=None) -> subprocess.CompletedProcess:
        start = time.monotonic()
        result = subprocess.run(
            ["terraform", *args],
            cwd=folder,
            env=self.env,
            text=True,
            stdout=stdout or subprocess.PIPE,
            stderr=subprocess.PIPE,
            timeout=1800,
        )
        self.timings[label] = self.timings.get(label, 0.0) + time.monotonic() - start
        if result.returncode not in ok:
            tail = ((result.stdout or "") + result.stderr)[-4000:]
            raise AssertionError(f"terraform {' '.join(args)} in {folder} exited {result.returncode}:\n{tail}")
        return result

    def init(self, folder: Path) -> None:
        self.run(folder, f"init {folder.name}", "init", "-input=false", "-no-color")

    def apply(self, folder: Path, label: str, *extra: str) -> None:
        self.init(folder)
        self.run(folder, f"apply {label}", "apply", "-input=false", "-no-color", "-auto-approve", *extra)

    def apply_plan(self, folder: Path, plan_file: Path, label: str) -> None:
        """Apply a saved plan (the one just reviewed), in the folder it was made in."""
        self.run(folder, f"apply {label}", "apply", "-input=false", "-no-color", str(plan_file))

    def plan_json(self, folder: Path, target: Path, label: str, *extra: str) -> Path:
        """`plan -out` then `show -json` (the state was just applied: no refresh needed)."""
        self.init(folder)
        plan_file = target.with_suffix(".tfplan")
        self.run(
            folder,
            f"plan {label}",
            "plan",
            "-input=false",
            "-no-color",
            "-lock=false",
            "-refresh=false",
            f"-out={plan_file}",
            *extra,
        )
        with target.open("w", encoding="utf-8") as handle:
            self.run(folder, f"show {label}", "show", "-json", "-no-color", str(plan_file), stdout=handle)
        return target


def copy_stack(folder: Path, target: Path) -> Path:
    """A copy of a synthesized stack folder (its state path is absolute), for a second plan in parallel."""
    shutil.copytree(folder, target, symlinks=True, ignore=shutil.ignore_patterns(".terraform", "*.tfplan"))
    return target


# -- the danger lab: what the logging, security and network stacks protect -------------
def _name_tag(name: str) -> dict:
    return {"Name": name}


def lab_config(url: str, full: bool) -> dict:
    """Terraform JSON: `full` has every protected resource; otherwise only the SSM parameter, with a new value."""
    names = {
        "bucket": f"{LAB_ORG}-log-archive-{LAB_ACCOUNT_ID}",
        "access": f"{LAB_ORG}-log-archive-access-{LAB_ACCOUNT_ID}",
        "trail": f"{LAB_ORG}-organization-trail",
        "recorder": f"{LAB_ORG}-config-recorder",
        "aggregator": f"{LAB_ORG}-config-aggregator",
    }
    provider = {"region": "eu-west-1", **provider_settings(url)}
    resources: dict = {
        "aws_ssm_parameter": {
            "lab_secret": {"name": "/lab/secret", "type": "SecureString", "value": "s3cr3t-before" if full else "s3cr3t-after"}
        },
    }
    if full:
        resources.update(
            {
                "aws_kms_key": {"log_archive_key": {"description": "lab log archive key", "deletion_window_in_days": 7}},
                "aws_s3_bucket": {
                    "log_bucket": {"bucket": names["bucket"], "force_destroy": True},
                    "log_bucket_access": {"bucket": names["access"], "force_destroy": True},
                },
                "aws_cloudtrail": {
                    "organization_trail": {"name": names["trail"], "s3_bucket_name": "${aws_s3_bucket.log_bucket.id}"}
                },
                "aws_iam_role": {
                    "config_recorder_role": {
                        "name": f"{LAB_ORG}-lz-config-recorder",
                        "assume_role_policy": json.dumps(
                            {
                                "Version": "2012-10-17",
                                "Statement": [
                                    {
                                        "Effect": "Allow",
                                        "Principal": {"Service": "config.amazonaws.com"},
                                        "Action": "sts:AssumeRole",
                                    }
                                ],
                            }
                        ),
                    }
                },
                "aws_config_configuration_recorder": {
                    "config_recorder_eu-west-1": {
                        "name": names["recorder"],
                        "role_arn": "${aws_iam_role.config_recorder_role.arn}",
                    }
                },
                "aws_config_configuration_aggregator": {
                    "config_aggregator": {
                        "name": names["aggregator"],
                        "account_aggregation_source": [{"account_ids": [LAB_ACCOUNT_ID], "all_regions": True}],
                    }
                },
                "aws_guardduty_detector": {"guardduty_detector": {"enable": True}},
                "aws_guardduty_organization_admin_account": {
                    "guardduty_admin": {
                        "admin_account_id": LAB_ACCOUNT_ID,
                        "depends_on": ["aws_guardduty_detector.guardduty_detector"],
                    }
                },
                "aws_vpc": {
                    "hub_spoke": {"cidr_block": "10.20.0.0/16", "tags": {"Name": "spoke", "segment": "prod"}},
                    "peer": {"cidr_block": "10.30.0.0/16", "tags": _name_tag("peer")},
                },
                "aws_subnet": {
                    "spoke_transit": {
                        "vpc_id": "${aws_vpc.hub_spoke.id}",
                        "cidr_block": "10.20.0.0/28",
                        "availability_zone": "eu-west-1a",
                    }
                },
                "aws_ec2_transit_gateway": {"hub": {"description": "lab hub", "tags": _name_tag("hub")}},
                "aws_ec2_transit_gateway_vpc_attachment": {
                    "spoke": {
                        "transit_gateway_id": "${aws_ec2_transit_gateway.hub.id}",
                        "vpc_id": "${aws_vpc.hub_spoke.id}",
                        "subnet_ids": ["${aws_subnet.spoke_transit.id}"],
                        "tags": {"Name": "spoke-tgw", "segment": "prod"},
                    }
                },
                "aws_vpc_peering_connection": {
                    "spoke_to_peer": {
                        "vpc_id": "${aws_vpc.hub_spoke.id}",
                        "peer_vpc_id": "${aws_vpc.peer.id}",
                        "auto_accept": True,
                        "tags": _name_tag("spoke-to-peer"),
                    }
                },
                # The self-service catalog (the local API's Service Catalog is our moto addition).
                "aws_servicecatalog_portfolio": {
                    "catalog_portfolio_blueprints": {"name": "blueprints", "provider_name": "Platform team"}
                },
                "aws_servicecatalog_product": {
                    "catalog_product_ec2-instance": {
                        "name": "ec2-instance",
                        "owner": "platform-team",
                        "type": "CLOUD_FORMATION_TEMPLATE",
                        "provisioning_artifact_parameters": [
                            {
                                "name": "v1",
                                "type": "CLOUD_FORMATION_TEMPLATE",
                                "template_url": "https://lab-catalog.s3.eu-west-1.amazonaws.com/template.yaml",
                            }
                        ],
                    }
                },
                "aws_servicecatalog_portfolio_share": {
                    "catalog_share_blueprints_audit": {
                        "portfolio_id": "${aws_servicecatalog_portfolio.catalog_portfolio_blueprints.id}",
                        "principal_id": "210987654321",
                        "type": "ACCOUNT",
                    }
                },
                "aws_route_table": {"spoke_private": {"vpc_id": "${aws_vpc.hub_spoke.id}", "tags": _name_tag("spoke-private")}},
                "aws_route": {
                    "spoke_to_peer": {
                        "route_table_id": "${aws_route_table.spoke_private.id}",
                        "destination_cidr_block": "10.30.0.0/16",
                        "vpc_peering_connection_id": "${aws_vpc_peering_connection.spoke_to_peer.id}",
                    }
                },
            }
        )
    return {
        "terraform": {
            "required_providers": {"aws": {"source": "hashicorp/aws", "version": "5.100.0"}},
            "backend": {"local": {"path": "lab.tfstate"}},
        },
        "provider": {"aws": [provider]},
        "resource": resources,
    }


def write_lab(folder: Path, url: str, full: bool) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.tf.json").write_text(json.dumps(lab_config(url, full), indent=2), encoding="utf-8")
    return folder
