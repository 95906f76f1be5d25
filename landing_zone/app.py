"""The cdktf App of one environment: every stack, in deploy order.

    loaded = load_environment("environments/example.yaml")
    app = build_app(loaded, AppOptions(out_dir=Path("cdktf.out")))
    app.synth()          # cdktf.out/stacks/<stack>/cdk.tf.json + manifest.json

Imports cdktf (slow); only synthesizing code imports this module.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional

from cdktf import App

from .config import LoadedEnvironment
from .local_aws.endpoints import ENV_VAR as ENDPOINT_VAR, check_local_url
from .stacks.audit import AuditStack
from .stacks.base import LandingZoneStack
from .stacks.layout import stack_plans
from .stacks.log_archive import LogArchiveStack
from .stacks.management import ManagementStack
from .stacks.settings import StackSettings

ALLOW_DESTROY_VAR = "LZ_ALLOW_DESTROY"
DEFAULT_OUT = "cdktf.out"


@dataclass(frozen=True, kw_only=True)
class AppOptions:
    """Where to synthesize and which deploy target; the defaults are production-safe."""

    out_dir: Path = Path(DEFAULT_OUT)
    """Synth output folder (default cdktf.out)."""
    project_dir: Path = field(default_factory=Path.cwd)
    """Folder local state paths are relative to (default: the current folder, where cdktf.json is)."""
    local_endpoint: Optional[str] = None
    """Send every AWS call to this local AWS API, http://127.0.0.1:PORT (default: real AWS)."""
    allow_destroy: bool = False
    """Lift prevent_destroy on the organization, OUs and accounts (default false; for local test runs)."""

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None, **overrides) -> "AppOptions":
        """Options from the environment: CDKTF_OUTDIR (set by the cdktf CLI), LZ_AWS_ENDPOINT, LZ_ALLOW_DESTROY=1."""
        environ = os.environ if environ is None else environ
        endpoint = environ.get(ENDPOINT_VAR, "").strip() or None
        values = dict(
            out_dir=Path(environ.get("CDKTF_OUTDIR") or DEFAULT_OUT),
            local_endpoint=check_local_url(endpoint) if endpoint else None,
            allow_destroy=environ.get(ALLOW_DESTROY_VAR, "") == "1",
        )
        values.update(overrides)
        return cls(**values)


class LandingZoneApp(App):
    """The App with its stacks: `management`, `log_archive`, `audit`; `stacks` in deploy order."""

    def __init__(self, loaded: LoadedEnvironment, options: AppOptions) -> None:
        # No stack traces in the output: they hold local paths and break byte-identical synths.
        super().__init__(outdir=str(options.out_dir), stack_traces=False)
        self.loaded = loaded
        self.options = options
        settings = StackSettings(
            env=loaded.env,
            env_name=loaded.name,
            project_dir=Path(options.project_dir),
            out_dir=Path(options.out_dir),
            local_endpoint=options.local_endpoint,
            allow_destroy=options.allow_destroy,
        )
        self.management = ManagementStack(self, settings)
        self.log_archive = LogArchiveStack(self, settings, management=self.management)
        self.audit = AuditStack(self, settings, management=self.management)
        self.stacks: list[LandingZoneStack] = [self.management, self.log_archive, self.audit]
        planned = [plan.name for plan in stack_plans(loaded.env)]
        built = [stack.stack_name for stack in self.stacks]
        if built != planned:  # stacks.layout is what runners read without cdktf: keep it true
            raise AssertionError(f"stacks built {built} differ from stacks.layout {planned}")

    def deploy_order(self) -> list[str]:
        return [stack.stack_name for stack in self.stacks]


def build_app(loaded: LoadedEnvironment, options: AppOptions | None = None) -> LandingZoneApp:
    """The app for one validated environment (nothing is written until `.synth()`)."""
    return LandingZoneApp(loaded, options or AppOptions())
