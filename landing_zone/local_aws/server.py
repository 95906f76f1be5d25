"""A moto server on 127.0.0.1: the local AWS API that stacks deploy to.

`LocalAws.start()` runs moto's server in a child process on a free loopback
port, waits until it answers and remembers the child's pid; `stop()` ends
exactly that process and nothing else. Only 127.0.0.1 is ever a target.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from .endpoints import DUMMY_CREDENTIALS, ENV_VAR, check_local_url

HOST = "127.0.0.1"
REGION = "us-east-1"
# moto accepts any credentials; these dummies keep real ones out of reach.
# Environment variables that must not leak into a local run: with them the
# provider and boto3 would pick a real profile, token or endpoint (the last one
# makes the SDK skip the local profile's endpoint_url and call AWS itself).
CREDENTIAL_VARS = (
    "AWS_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_DEFAULT_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
)


class LocalAwsError(RuntimeError):
    """The local AWS API could not be started or reached (message for people)."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


LOCAL_PARALLELISM = 64
"""terraform -parallelism against the local API (see client_env): the example's 36 organization Config rules and
61 Identity Center assignments each wait out their fixed delay in one round (at 32 it took two: +30 s and +10 s)."""


def client_env(url: str, base: dict | None = None) -> dict:
    """Environment for terraform and boto3 talking to the local API at `url`.

    Dummy credentials, a region, no real profile, and HTTP_PROXY at the server:
    S3 Control requests go to <account id>.127.0.0.1, which only the proxy
    route reaches (loopback hosts themselves bypass the proxy).
    """
    url = check_local_url(url)
    env = dict(os.environ if base is None else base)
    for name in CREDENTIAL_VARS:
        env.pop(name, None)
    env.update(DUMMY_CREDENTIALS)
    env.setdefault("AWS_DEFAULT_REGION", REGION)
    env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    env["AWS_CONFIG_FILE"] = os.devnull
    env["HTTP_PROXY"] = env["http_proxy"] = url
    env["NO_PROXY"] = env["no_proxy"] = "localhost,127.0.0.1"
    env[ENV_VAR] = url
    # The provider waits a fixed delay after creating or deleting some resources
    # (30 s per organization Config rule, 10 s per Identity Center assignment),
    # meant for AWS's eventual consistency; against the local API those waits
    # are idle time, so let terraform overlap many more of them than its 10.
    for command in ("apply", "plan", "destroy"):
        env.setdefault(f"TF_CLI_ARGS_{command}", f"-parallelism={LOCAL_PARALLELISM}")
    return env


def _get(url: str, timeout: float = 2.0) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback only)
        return response.read()


def is_up(url: str) -> bool:
    """True when a moto server answers at `url`.

    Asks for moto's dashboard page: cheap at any size (data.json dumps every
    resource of every account and takes seconds once an org is deployed).
    """
    try:
        return b"moto-api" in _get(check_local_url(url) + "/moto-api/")
    except (OSError, ValueError):
        return False


def reset(url: str) -> None:
    """Forget every resource (much faster than a destroy between tests)."""
    request = urllib.request.Request(check_local_url(url) + "/moto-api/reset", method="POST", data=b"")
    with urllib.request.urlopen(request, timeout=30):  # noqa: S310 (loopback only)
        pass


@dataclass
class LocalAws:
    """One moto server child process on 127.0.0.1."""

    port: int = 0
    log_file: Path | None = None
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self, timeout: float = 60.0) -> "LocalAws":
        try:
            import moto.server  # noqa: F401  (only to give a clear error when missing)
        except ImportError:
            raise LocalAwsError("the local AWS API needs moto: pip install 'moto[server]'") from None
        self.port = self.port or free_port()
        env = dict(os.environ)
        # AWS managed policy ARNs (arn:aws:iam::aws:policy/...) must resolve.
        env["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
        env["MOTO_PORT"] = str(self.port)
        env.update(DUMMY_CREDENTIALS)
        log = open(self.log_file, "ab") if self.log_file else subprocess.DEVNULL
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "landing_zone.local_aws.moto_app", "--host", HOST, "--port", str(self.port)],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        finally:
            if not isinstance(log, int):  # a file we opened, not subprocess.DEVNULL
                log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                where = f" (see {self.log_file})" if self.log_file else ""
                raise LocalAwsError(f"moto server on port {self.port} exited with code {self.process.returncode}{where}")
            if is_up(self.url):
                return self
            time.sleep(0.2)
        self.stop()
        raise LocalAwsError(f"moto server on {self.url} did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        """End the server this object started (by its pid) and nothing else."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def __enter__(self) -> "LocalAws":
        return self.start() if self.process is None else self

    def __exit__(self, *exc) -> None:
        self.stop()


MANAGED_POLICY_PROBE = "arn:aws:iam::aws:policy/ReadOnlyAccess"


def managed_policies_loaded(url: str) -> bool:
    """True when the server at `url` resolves AWS managed policy ARNs, which the stacks attach.

    A moto server knows them only when started with MOTO_IAM_LOAD_MANAGED_POLICIES=true
    (`LocalAws.start` sets it; a server reused through LZ_AWS_ENDPOINT may lack it).
    """
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    env = client_env(url)
    client = boto3.client(
        "iam",
        endpoint_url=check_local_url(url),
        region_name=REGION,
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )
    try:
        client.get_policy(PolicyArn=MANAGED_POLICY_PROBE)
        return True
    except ClientError:
        return False
    except BotoCoreError:
        return True  # not answering is reported elsewhere (is_up); this only checks the setting
