"""The `bootstrap` stack: applied once, with the management account's credentials and local
state, before every other stack. It creates what the others need to run from CI: the state
bucket (which `state:` then names), the OIDC provider, the CI plan and apply roles and the
deployment role. It lives in its own cdktf App and folder (cdktf.out.bootstrap/), so a synth
of the landing zone never touches it and its state never sits in the bucket it creates.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable

from cdktf import App, LocalBackend, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from constructs import Construct

from ..constructs.aws_provider import AwsProviderProps, aws_provider
from ..constructs.bootstrap import CiRoles, CiRolesProps, StateBucket, StateBucketProps
from ..deploy_target import AWS, DeployTarget
from ..environment import LoadedEnvironment
from ..identity.ci_roles import ci_identity, state_access_log_bucket_name, state_bucket_name
from ..naming import MANAGED_TAG_KEY, MANAGED_TAG_VALUE, LandingZoneNames
from ..render import Document

BOOTSTRAP = "bootstrap"
DEFAULT_OUT = Path("cdktf.out.bootstrap")
STATE_DIRECTORY = "terraform-state"


class BootstrapError(ValueError):
    """The environment cannot be bootstrapped as written (message for people)."""


@dataclass(frozen=True, kw_only=True)
class BootstrapOptions:
    out_dir: Path = DEFAULT_OUT
    """Synth folder; the stack is <out_dir>/stacks/bootstrap (default cdktf.out.bootstrap)."""
    project_dir: Path = Path(".")
    """Folder the local state lives under: <project>/terraform-state/<env>/bootstrap.tfstate."""
    target: DeployTarget = AWS
    """Real AWS (default) or a local AWS API."""


class BootstrapStack(TerraformStack):
    """Local state; the caller's (management) credentials; outputs for the `state:` note."""

    def __init__(self, scope: Construct, loaded: LoadedEnvironment, options: BootstrapOptions) -> None:
        super().__init__(scope, BOOTSTRAP)
        env = loaded.env
        ident = ci_identity(env)
        if ident is None:
            raise BootstrapError(f"{loaded.file}: no ci: section; lz bootstrap needs one (provider, repository, branch)")
        self.stack_name = BOOTSTRAP
        LocalBackend(self, path=_state_path(options, loaded.name))
        org = env.organization
        aws_provider(
            self,
            "aws",
            AwsProviderProps(
                region=org.home_region,
                allowed_account_ids=(org.management_account.id,) if org.management_account.id else (),
                default_tags={**org.tags, MANAGED_TAG_KEY: MANAGED_TAG_VALUE},
                overrides=options.target.provider_overrides,
            ),
        )
        account_id = org.management_account.id or DataAwsCallerIdentity(self, "caller").account_id
        names = LandingZoneNames.of(env)
        bucket_name = state_bucket_name(env, account_id)
        disposable = options.target.disposable
        self.state = StateBucket(
            self,
            "state",
            StateBucketProps(
                bucket_name=bucket_name,
                access_log_bucket_name=state_access_log_bucket_name(env, account_id),
                account_id=account_id,
                key_alias=names.kms_key_alias("tfstate"),
                prevent_destroy=not disposable,
                force_destroy=disposable,
            ),
        )
        self.roles = CiRoles(
            self,
            "ci",
            CiRolesProps(
                identity=ident, account_id=account_id, state_bucket_arn=self.state.bucket_arn, state_key_arn=self.state.key.arn
            ),
        )
        outputs = {
            "state_bucket": (self.state.bucket_name, "S3 bucket for every other stack's state: name it under state: bucket."),
            "state_region": (org.home_region, "Region of the state bucket."),
            "state_kms_key_arn": (self.state.key.arn, "KMS key of the state bucket (state: kms_key_id)."),
            "oidc_provider_arn": (self.roles.oidc_provider.arn, "The CI OIDC provider."),
            "apply_role_arn": (self.roles.apply_role.arn, "LZ_APPLY_ROLE_ARN of the CI workflow."),
            "deployment_role_arn": (self.roles.deployment_role.arn, "The role the apply role assumes to deploy."),
        }
        if self.roles.plan_role is not None:
            outputs["plan_role_arn"] = (self.roles.plan_role.arn, "LZ_PLAN_ROLE_ARN of the CI workflow.")
        for key, (value, description) in outputs.items():
            TerraformOutput(self, key, value=value, description=description, static_id=True)


def _state_path(options: BootstrapOptions, env_name: str) -> str:
    target = Path(options.project_dir).resolve() / STATE_DIRECTORY / env_name / f"{BOOTSTRAP}.tfstate"
    working_dir = Path(options.out_dir).resolve() / "stacks" / BOOTSTRAP
    try:
        return PurePosixPath(Path(os.path.relpath(target, working_dir))).as_posix()
    except ValueError:  # another drive (Windows)
        return target.as_posix()


def synth_bootstrap(loaded: LoadedEnvironment, options: BootstrapOptions | None = None) -> Path:
    """Write the bootstrap stack; returns its folder (<out_dir>/stacks/bootstrap)."""
    options = options or BootstrapOptions()
    out_dir = Path(options.out_dir).resolve()  # absolute: the jsii runtime keeps the cwd it started in
    out_dir.mkdir(parents=True, exist_ok=True)
    app = App(outdir=str(out_dir), stack_traces=False)
    BootstrapStack(app, loaded, options)
    app.synth()
    return out_dir / "stacks" / BOOTSTRAP


def planned_resources(stack_dir: Path) -> list[tuple[str, str]]:
    """(address, name or description) of every resource the synthesized stack creates, in address order."""
    doc = json.loads((Path(stack_dir) / "cdk.tf.json").read_text(encoding="utf-8"))
    out = []
    for rtype, items in sorted((doc.get("resource") or {}).items()):
        for name, body in sorted(items.items()):
            keys = ("bucket",) if rtype == "aws_s3_bucket" else ("name", "url", "policy_arn", "description")
            label = next((body[k] for k in keys if isinstance(body.get(k), str)), "")
            out.append((f"{rtype}.{name}", str(label)))
    return out


@dataclass(frozen=True)
class BootstrapResult:
    """What `lz bootstrap` did (or, printed only, would do)."""

    env_name: str
    stack_dir: Path
    resources: tuple[tuple[str, str], ...]
    """(address, name) of every resource of the stack."""
    applied: bool
    outputs: dict
    """The stack's outputs after apply ({} when only printed)."""
    home_region: str


def run_bootstrap(
    loaded: LoadedEnvironment,
    options: BootstrapOptions | None = None,
    *,
    print_only: bool = False,
    terraform_env: dict | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> BootstrapResult:
    """Synthesize the bootstrap stack, then (unless `print_only`) `terraform init` and `apply` it.

    Idempotent: a second run applies no change. terraform errors raise TerraformError.
    """
    from ..terraform.runner import Terraform

    options = options or BootstrapOptions()
    folder = synth_bootstrap(loaded, options)
    resources = tuple(planned_resources(folder))
    outputs: dict = {}
    if not print_only:
        tf = Terraform(folder, env=terraform_env, progress=progress)
        tf.init()
        tf.apply()
        outputs = tf.output_json()
    return BootstrapResult(loaded.name, folder, resources, not print_only, outputs, loaded.env.organization.home_region)


def bootstrap_document(result: BootstrapResult) -> Document:
    doc = Document()
    if result.applied:
        doc.heading(f"Bootstrapped {result.env_name} ({len(result.resources)} resources, state in {result.stack_dir})")
    else:
        doc.heading(f"lz bootstrap {result.env_name} would create {len(result.resources)} resources (nothing applied)")
    doc.table(["resource", "name"], [list(r) for r in result.resources])
    out = result.outputs
    if result.applied:
        doc.table(["output", "value"], [[k, v] for k, v in sorted(out.items())])
        doc.heading("Next: point state: at the bucket", level=4)
        doc.paragraph(
            "Every other stack keeps its state in the new bucket from now on. Put this in the environment file, "
            "then run lz preflight, plan, review and deploy:"
        )
        doc.bullets(
            [
                "state:",
                "  backend: s3",
                f"  bucket: {out.get('state_bucket')}",
                f"  region: {out.get('state_region', result.home_region)}",
                f"  kms_key_id: {out.get('state_kms_key_arn')}",
                "  use_lockfile: true",
            ]
        )
        ci_vars = [f"LZ_PLAN_ROLE_ARN={out['plan_role_arn']}"] if "plan_role_arn" in out else []
        ci_vars.append(f"LZ_APPLY_ROLE_ARN={out.get('apply_role_arn')}")
        ci_vars.append(f"LZ_DEPLOYMENT_ROLE_ARN={out.get('deployment_role_arn')}")  # the apply role chains into it
        doc.paragraph("Give the CI workflow these variables (lz ci-workflow renders it):")
        doc.bullets(ci_vars)
    else:
        doc.paragraph("Run without --print to apply (local state: terraform-state/<env>/bootstrap.tfstate; keep it).")
    return doc


def bootstrap_data(result: BootstrapResult) -> dict:
    return {
        "environment": result.env_name,
        "applied": result.applied,
        "stack_dir": str(result.stack_dir),
        "resources": [{"address": a, "name": n} for a, n in result.resources],
        "outputs": result.outputs,
    }
