"""`lz cdktf-env`: the shell exports `cdktf deploy` (or plain terraform) needs here.

`lz deploy` sets these for its own terraform runs; the cdktf CLI runs
terraform itself, so a platform engineer sets them in the shell:

    eval "$(.venv/bin/lz cdktf-env)"                          # offline: the provider mirror
    eval "$(.venv/bin/lz cdktf-env --endpoint http://127.0.0.1:PORT)"   # and a local AWS API

- `TF_CLI_CONFIG_FILE`: a terraform CLI configuration that installs hashicorp
  providers only from the mirror named by LZ_TF_PROVIDER_MIRROR, or found on
  this machine (landing_zone/terraform/find_mirror.py); with no mirror nothing
  is exported and terraform uses the registry (or `TF_PLUGIN_CACHE_DIR`, one
  plugin cache for every stack).
- `LZ_PYTHON`: the Python (this one, with landing_zone) that the account
  baseline's default-VPC step runs as a terraform local-exec.
- `GOGC`, `GOMEMLIMIT`: less garbage collection in terraform and the provider
  (a third less CPU per stack; landing_zone/terraform/cli_config.py), unless set.
- With `--endpoint`: LZ_AWS_ENDPOINT (main.py points every provider at it),
  dummy credentials, the proxy S3 Control needs and terraform's parallelism,
  exactly what `lz deploy --local` gives its terraform runs.
"""

from __future__ import annotations

import os
import shlex
import sys

NAME = "cdktf-env"
HELP = "Print the shell exports for `cdktf deploy` / terraform: the offline provider mirror, and a local AWS API with --endpoint."
ORDER = 42

# What terraform_env()/client_env() set that a shell must carry into the cdktf CLI's terraform runs.
_TERRAFORM_KEYS = ("TF_CLI_CONFIG_FILE", "TF_PLUGIN_CACHE_DIR", "LZ_TF_PROVIDER_MIRROR", "LZ_PYTHON", "GOGC", "GOMEMLIMIT")
_LOCAL_KEYS = (
    "LZ_AWS_ENDPOINT",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_DEFAULT_REGION",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG_FILE",
    "HTTP_PROXY",
    "http_proxy",
    "NO_PROXY",
    "no_proxy",
    "TF_CLI_ARGS_apply",
    "TF_CLI_ARGS_plan",
    "TF_CLI_ARGS_destroy",
)


def add_arguments(parser) -> None:
    parser.add_argument(
        "--endpoint",
        default=None,
        help="also point cdktf deploy at this local AWS API, http://127.0.0.1:PORT (a moto server, e.g. from `make demo KEEP=1`)",
    )


def exports(environ: dict, endpoint: str | None = None) -> tuple[list[str], list[str]]:
    """(export lines, notes for stderr) for `environ` (a copy is changed, never `environ` itself)."""
    from ...terraform.cli_config import MIRROR_VAR, terraform_env
    from ...terraform.find_mirror import find_mirror

    env = dict(environ)
    notes = []
    if not env.get(MIRROR_VAR, "").strip():
        found = find_mirror()
        if found is not None:
            env[MIRROR_VAR] = str(found)
    env = terraform_env(env)
    if env.get(MIRROR_VAR, "").strip():
        notes.append(f"terraform installs hashicorp providers from the mirror {env[MIRROR_VAR]} (offline)")
        env.setdefault("CHECKPOINT_DISABLE", "1")  # no version check against checkpoint-api.hashicorp.com
    else:
        notes.append("no provider mirror (LZ_TF_PROVIDER_MIRROR unset, none found): terraform uses the registry")
    keys = [*_TERRAFORM_KEYS, "CHECKPOINT_DISABLE"]
    unset: list[str] = []
    if endpoint is not None:
        from ...local_aws.server import CREDENTIAL_VARS, client_env

        env = client_env(endpoint, env)
        keys += _LOCAL_KEYS
        unset = [name for name in CREDENTIAL_VARS if name in environ and name not in env]
        notes.append(f"terraform and the providers talk only to the local AWS API at {env['LZ_AWS_ENDPOINT']}")
    lines = [f"export {key}={shlex.quote(env[key])}" for key in keys if env.get(key) and env.get(key) != environ.get(key)]
    lines += [f"unset {name}" for name in unset]
    return lines, notes


def run(args) -> int:
    from ...terraform.cli_config import MirrorError

    try:
        lines, notes = exports(dict(os.environ), args.endpoint)
    except (MirrorError, ValueError) as exc:  # a mirror that is not one; an endpoint that is not local
        print(f"lz cdktf-env: {exc}", file=sys.stderr)
        return 2
    for note in notes:
        print(f"# {note}", file=sys.stderr)
    print("\n".join(lines))
    return 0
