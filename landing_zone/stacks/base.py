"""What every landing-zone stack has: a state backend and AWS providers."""

from __future__ import annotations

from typing import Optional

from cdktf import TerraformBackend, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from constructs import Construct

from ..constructs.aws_provider import AwsProviderProps, aws_provider
from ..speed.backend_lookup import known_backend
from .backend import add_backend
from .settings import StackSettings


class LandingZoneStack(TerraformStack):
    """A TerraformStack with its backend and a default AWS provider in the home region.

    `role_arn` set: every provider of the stack assumes that role (a member
    account); omitted: the caller's credentials (the management account).
    `provider_for(region)` gives an aliased provider for another region with
    the same role and tags.
    """

    def __init__(
        self,
        scope: Construct,
        name: str,
        settings: StackSettings,
        *,
        role_arn: Optional[str] = None,
        allowed_account_ids: tuple[str, ...] = (),
    ) -> None:
        super().__init__(scope, name)
        self.stack_name = name
        self.settings = settings
        self._role_arn = role_arn
        self._allowed_account_ids = allowed_account_ids
        self.backend = add_backend(self, name, settings)
        self.home_region = settings.env.organization.home_region
        self.provider = aws_provider(self, "aws", self._provider_props(self.home_region, alias=None))
        self._regional: dict[str, AwsProvider] = {self.home_region: self.provider}
        self.imports: list[tuple[str, str]] = []
        """(resource address, import id) pairs written to the stack folder's imports.tf by the app (write_imports)."""
        self.removed: list[str] = []
        """Addresses another stack now manages, written as `removed` blocks to removed.tf (write_imports)."""

    @property
    def role_arn(self) -> Optional[str]:
        """The role every provider of the stack assumes (None: the caller's credentials, the management account)."""
        return self._role_arn

    @property
    def allowed_account_ids(self) -> tuple[str, ...]:
        return self._allowed_account_ids

    def add_credentials_variable(self) -> None:
        """With a CI plan role (`ci:` on GitHub): the `lz_credentials` variable the member providers' role
        ARNs read (identity.ci_roles.member_role_name): `deploy` (default) or `plan`."""
        from cdktf import TerraformVariable, TerraformVariableValidationConfig

        from ..identity.ci_roles import CREDENTIALS, CREDENTIALS_VARIABLE, ci_identity

        ident = ci_identity(self.settings.env)
        if ident is None or ident.plan_subject is None or self.node.try_find_child(CREDENTIALS_VARIABLE) is not None:
            return
        allowed = ", ".join(f'"{c}"' for c in CREDENTIALS)
        variable = TerraformVariable(
            self,
            CREDENTIALS_VARIABLE,
            type="string",
            default=CREDENTIALS[0],
            description="deploy: assume the access role (apply); plan: assume the read-only member plan role (CI plan jobs).",
            validation=[
                TerraformVariableValidationConfig(
                    condition=f"${{contains([{allowed}], var.{CREDENTIALS_VARIABLE})}}",
                    error_message=f"lz_credentials must be one of {allowed}.",
                )
            ],
        )
        variable.override_logical_id(CREDENTIALS_VARIABLE)

    def add_import(self, address: str, import_id: str) -> None:
        """Adopt an existing resource: an `import` block in imports.tf (HCL: checkov's terraform_json parser
        cannot read import blocks in cdk.tf.json, so they stay out of it)."""
        self.imports.append((address, import_id))

    def forget(self, address: str) -> None:
        """A `removed` block (destroy = false) for a resource that moved to another stack: a deployment made before
        the move drops it from this stack's state instead of destroying it. In removed.tf (HCL), like the import
        blocks: checkov's terraform_json parser skips a whole cdk.tf.json that has a `removed` block."""
        self.removed.append(address)

    def ensure_backend_exists(self) -> TerraformBackend:
        backend = known_backend(self)  # speed/backend_lookup.py: cdktf's own search is quadratic
        return backend if backend is not None else super().ensure_backend_exists()

    def _provider_props(self, region: str, alias: Optional[str]) -> AwsProviderProps:
        return AwsProviderProps(
            region=region,
            alias=alias,
            role_arn=self._role_arn,
            allowed_account_ids=self._allowed_account_ids,
            default_tags=self.settings.default_tags,
            overrides=self.settings.target.provider_overrides,
        )

    def provider_for(self, region: str) -> AwsProvider:
        """The provider for `region` (the default provider for the home region)."""
        if region not in self._regional:
            self._regional[region] = aws_provider(self, f"aws_{region}", self._provider_props(region, alias=region))
        return self._regional[region]


IMPORTS_FILE = "imports.tf"
REMOVED_FILE = "removed.tf"


def write_imports(stack: LandingZoneStack, folder) -> None:
    """The stack's import blocks as `imports.tf` and its removed blocks as `removed.tf`, next to its cdk.tf.json
    (each file removed when there are none)."""
    imports = [f'import {{\n  to = {address}\n  id = "{import_id}"\n}}\n' for address, import_id in sorted(stack.imports)]
    header = "# Written by landing_zone: resources this stack adopts (HCL, since checkov cannot parse import blocks in JSON).\n"
    _write_blocks(folder / IMPORTS_FILE, header, imports)
    removed = [
        f"removed {{\n  from = {address}\n  lifecycle {{\n    destroy = false\n  }}\n}}\n" for address in sorted(stack.removed)
    ]
    header = "# Written by landing_zone: resources another stack now manages; forgotten here, not destroyed.\n"
    _write_blocks(folder / REMOVED_FILE, header, removed)


def _write_blocks(path, header: str, blocks: list[str]) -> None:
    if not blocks:
        path.unlink(missing_ok=True)
        return
    path.write_text(header + "\n".join(blocks), encoding="utf-8")
