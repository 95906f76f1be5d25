"""The OU tree, built from OU paths such as `Workloads/Prod`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.organizations_organizational_unit import OrganizationsOrganizationalUnit
from constructs import Construct

from .ids import logical_id
from .organization import Organization


@dataclass(frozen=True, kw_only=True)
class OuSpec:
    """One OU by its path from the root."""

    path: str
    """Path from the root, parts separated by '/'; its parent must be in the same tree."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags on the OU (default none; the provider's default tags still apply)."""


@dataclass(frozen=True, kw_only=True)
class OrganizationalUnitsProps:
    organization: Organization
    """The organization whose root the top-level OUs hang from."""
    units: tuple[OuSpec, ...] = ()
    """Every OU of the tree, in any order (default none)."""
    prevent_destroy: bool = True
    """Refuse to destroy an OU (default true: removing an OU from the config fails the plan instead)."""


class OrganizationalUnits(Construct):
    """One `aws_organizations_organizational_unit` per path, each under its parent.

    `ou_id(path)` is the id of the OU at `path`; `paths` lists them parent first.
    """

    def __init__(self, scope: Construct, id: str, props: OrganizationalUnitsProps) -> None:
        super().__init__(scope, id)
        self.props = props
        self._units: dict[str, OrganizationsOrganizationalUnit] = {}
        known = {spec.path for spec in props.units}
        # Parents first (fewer parts first); config order within a depth.
        for spec in sorted(props.units, key=lambda s: s.path.count("/")):
            parent, _, name = spec.path.rpartition("/")
            if parent and parent not in known:
                raise ValueError(f"OU {spec.path!r}: parent {parent!r} is not in the tree")
            unit = OrganizationsOrganizationalUnit(
                self,
                spec.path,
                name=name,
                parent_id=self._units[parent].id if parent else props.organization.root_id,
                tags=dict(sorted(spec.tags.items())) or None,
                lifecycle=TerraformResourceLifecycle(prevent_destroy=props.prevent_destroy),
            )
            unit.override_logical_id(logical_id("ou", spec.path))
            self._units[spec.path] = unit

    @property
    def paths(self) -> list[str]:
        return list(self._units)

    def ou_id(self, path: str) -> str:
        """Id of the OU at `path` (a token resolved at apply time)."""
        return self.unit(path).id

    def ou_arn(self, path: str) -> str:
        return self.unit(path).arn

    def unit(self, path: str) -> OrganizationsOrganizationalUnit:
        try:
            return self._units[path]
        except KeyError:
            raise KeyError(f"no OU {path!r} in the tree (known: {', '.join(self._units) or 'none'})") from None
