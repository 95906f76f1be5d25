"""Names of the landing zone's own resources, in one place.

The mandatory guardrails protect these resources by name (SCP `Resource`
patterns), and the logging and security constructs create them: both read
the names from here so they can never drift apart. Pure Python, no cdktf.

Scheme, for an organization named `acme`:
- trail `acme-organization-trail`; log bucket `acme-log-archive-<account id>`
  and its access-log bucket `acme-log-archive-access-<account id>` (both match
  the protected prefix `acme-log-archive-`); the web ACLs' log bucket
  `aws-waf-logs-acme-<account id>` (protected prefix `aws-waf-logs-acme-`);
- Config recorder `acme-config-recorder`, delivery channel
  `acme-config-delivery`, aggregator `acme-config-aggregator`;
- every other landing-zone resource (IAM roles, Lambda functions, SNS topics,
  EventBridge rules, CloudWatch log groups, Config rules) starts with
  `acme-lz-`; the security notification topic is `acme-lz-security-notifications`;
- KMS alias `alias/acme-lz-logs`;
- the deployment role keeps the name from `organization.deployment_role_name`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

# Tag that marks resources the landing zone manages; the mandatory Config
# guardrails deny changing it and deny changing resources that carry it.
MANAGED_TAG_KEY = "lz:managed-by"
MANAGED_TAG_VALUE = "landing-zone"


TRAIL_SUFFIX = "-organization-trail"
LOG_BUCKET_INFIX = "-log-archive-"
# The shape of any organization's central log bucket, for readers that know no
# environment (a plan reviewed without its manifest): <org>-log-archive-<account id>.
_LOG_BUCKET_NAME = re.compile(re.escape(LOG_BUCKET_INFIX) + r"\d{12}$")
# The web ACLs' log bucket in the log archive (AWS WAF requires the prefix): aws-waf-logs-<org>-<account id>.
_WAF_LOG_BUCKET_NAME = re.compile(r"^aws-waf-logs-[a-z0-9-]+-\d{12}$")


def is_log_bucket_name(name: str) -> bool:
    """Whether `name` has the shape of a landing zone's central log bucket (`LandingZoneNames.log_bucket`) or of
    its WAF log bucket (`waf_log_bucket_prefix` + the log archive's id): deleting either loses audit logs."""
    return bool(_LOG_BUCKET_NAME.search(name) or _WAF_LOG_BUCKET_NAME.match(name))


def is_trail_name(name: str) -> bool:
    """Whether `name` has the shape of a landing zone's organization trail (`LandingZoneNames.trail`)."""
    return name.endswith(TRAIL_SUFFIX)


def slug(text: str) -> str:
    """Lower-case letters, digits and single hyphens: safe in every AWS name we build."""
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return out or "x"


def bounded(name: str, limit: int) -> str:
    """`name` cut to `limit` characters with a short stable hash when it is too long."""
    if len(name) <= limit:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[: limit - 9].rstrip('-')}-{digest}"


_LAST_NAMES: dict[type, tuple[Any, "LandingZoneNames"]] = {}


@dataclass(frozen=True)
class LandingZoneNames:
    """Every name and name pattern of the landing zone's own resources."""

    org: str
    deployment_role_name: str = "LandingZoneDeployment"
    access_role_name: str = "OrganizationAccountAccessRole"
    factory_access_role_name: str | None = None
    """The access role of vended accounts when the account factory names its own (their stacks assume it)."""
    deploy_role_names: tuple[str, ...] = ()
    """The account factory's CI/CD deploy roles (`baseline.deploy_role.role_name`), protected like the access roles."""

    @classmethod
    def of(cls, env) -> "LandingZoneNames":
        """The names for an `Environment` (config model).

        The last answer is kept for the same (frozen) environment object: the
        guardrails ask once per control, and each answer reads every factory
        request (about 0.1 s of `lz validate` at 1,000 accounts).
        """
        last = _LAST_NAMES.get(cls)
        if last is not None and last[0] is env:
            return last[1]
        names = cls._of(env)
        _LAST_NAMES[cls] = (env, names)
        return names

    @classmethod
    def _of(cls, env) -> "LandingZoneNames":
        org = env.organization
        factory = getattr(env, "account_factory", None)
        factory_role = factory.defaults.access_role_name if factory is not None else None
        deploy_roles: tuple[str, ...] = ()
        if factory is not None:
            blocks = [factory.defaults.baseline, *(r.baseline for r in factory.requests)]
            deploy_roles = tuple(sorted({b.deploy_role.role_name for b in blocks if b.deploy_role is not None}))
        return cls(slug(org.name), org.deployment_role_name, org.access_role_name, factory_role, deploy_roles)

    # --- names -------------------------------------------------------------
    @property
    def prefix(self) -> str:
        """Prefix of roles, functions, topics, event rules, log groups and Config rules."""
        return f"{self.org}-lz-"

    @property
    def trail(self) -> str:
        return f"{self.org}{TRAIL_SUFFIX}"

    @property
    def log_bucket_prefix(self) -> str:
        """Prefix shared by the central log bucket and its access-log bucket."""
        return f"{self.org}{LOG_BUCKET_INFIX}"

    def log_bucket(self, account_id: str) -> str:
        return f"{self.log_bucket_prefix}{account_id}"

    def access_log_bucket(self, account_id: str) -> str:
        return f"{self.log_bucket_prefix}access-{account_id}"

    def replica_log_bucket(self, account_id: str) -> str:
        """The log bucket's optional replica in a second region (same protected prefix)."""
        return f"{self.log_bucket_prefix}replica-{account_id}"

    def replica_access_log_bucket(self, account_id: str) -> str:
        return f"{self.log_bucket_prefix}replica-access-{account_id}"

    def athena_results_bucket(self, account_id: str) -> str:
        """Athena's query results over the log archive (`logging.athena`), in the audit account."""
        return f"{self.prefix}athena-{account_id}"

    def athena_access_log_bucket(self, account_id: str) -> str:
        return f"{self.prefix}athena-access-{account_id}"

    @property
    def athena_workgroup(self) -> str:
        return f"{self.prefix}logs"

    @property
    def glue_database(self) -> str:
        """Glue database names allow lower-case letters, digits and `_` only."""
        return f"{self.prefix}logs".replace("-", "_")

    @property
    def config_recorder(self) -> str:
        return f"{self.org}-config-recorder"

    @property
    def config_delivery_channel(self) -> str:
        return f"{self.org}-config-delivery"

    @property
    def config_aggregator(self) -> str:
        return f"{self.org}-config-aggregator"

    @property
    def kms_alias(self) -> str:
        return f"alias/{self.prefix}logs"

    @property
    def security_topic(self) -> str:
        return f"{self.prefix}security-notifications"

    @property
    def trail_log_group(self) -> str:
        return f"{self.prefix}cloudtrail"

    def kms_key_alias(self, purpose: str) -> str:
        """Alias of one of the landing zone's other KMS keys (trail log group, notifications)."""
        return f"alias/{self.prefix}{slug(purpose)}"

    @property
    def access_analyzer(self) -> str:
        return f"{self.prefix}organization"

    def role(self, purpose: str) -> str:
        """An IAM role of the landing zone (64 characters at most)."""
        return bounded(f"{self.prefix}{slug(purpose)}", 64)

    def function(self, purpose: str) -> str:
        """A Lambda function of the landing zone (64 characters at most)."""
        return bounded(f"{self.prefix}{slug(purpose)}", 64)

    def event_rule(self, purpose: str) -> str:
        return bounded(f"{self.prefix}{slug(purpose)}", 64)

    def config_rule(self, control_id: str) -> str:
        """An (organization) Config rule for a guardrail (64 characters at most)."""
        return bounded(f"{self.prefix}{slug(control_id)}", 64)

    def scp(self, target: str, index: int) -> str:
        """The n-th guardrail SCP of a target (128 characters at most)."""
        return bounded(f"{self.prefix}guardrails-{slug(target)}-{index}", 128)

    # --- ARN patterns the mandatory guardrails protect ---------------------
    @property
    def exempt_principal_arns(self) -> list[str]:
        """The only principals the guardrails let change protected resources (issue 24.6).

        The access role is what every member-account stack assumes (as
        AWSControlTowerExecution is for Control Tower), so it must be exempt or
        the landing zone would deny its own baseline in member accounts; so must
        the account factory's access role when it names another one for vended
        accounts. The deployment role is not: it runs only in the management
        account, where SCPs never apply, so an exemption would only serve a role
        of that name in a member account. Each access role admits only the
        deployment role (identity/trust.py), and adopting an account replaces
        its access role's trust, so the exempt name cannot be claimed there.
        """
        roles = dict.fromkeys(r for r in (self.access_role_name, self.factory_access_role_name) if r)
        return [f"arn:aws:iam::*:role/{role}" for role in roles]

    @property
    def protected_role_names(self) -> list[str]:
        """Role names member accounts may not create or change: the deployment role's, the access roles' and the
        account factory's deploy roles' (issue 24.3: a member admin must not re-trust or widen a deploy role)."""
        names = (self.deployment_role_name, self.access_role_name, self.factory_access_role_name, *self.deploy_role_names)
        return list(dict.fromkeys(r for r in names if r))

    @property
    def role_arns(self) -> list[str]:
        return [f"arn:aws:iam::*:role/{self.prefix}*", *(f"arn:aws:iam::*:role/{r}" for r in self.protected_role_names)]

    @property
    def trail_arns(self) -> list[str]:
        return [f"arn:aws:cloudtrail:*:*:trail/{self.trail}"]

    @property
    def waf_log_bucket_prefix(self) -> str:
        """Prefix of the web ACLs' log bucket in the log archive (AWS WAF requires `aws-waf-logs-`)."""
        return f"aws-waf-logs-{self.org}-"

    @property
    def log_bucket_arns(self) -> list[str]:
        return [f"arn:aws:s3:::{self.log_bucket_prefix}*", f"arn:aws:s3:::{self.waf_log_bucket_prefix}*"]

    @property
    def log_group_arns(self) -> list[str]:
        return [f"arn:aws:logs:*:*:log-group:{self.prefix}*"]

    @property
    def event_rule_arns(self) -> list[str]:
        return [f"arn:aws:events:*:*:rule/{self.prefix}*"]

    @property
    def function_arns(self) -> list[str]:
        return [f"arn:aws:lambda:*:*:function:{self.prefix}*"]

    @property
    def topic_arns(self) -> list[str]:
        return [f"arn:aws:sns:*:*:{self.prefix}*"]

    @property
    def security_topic_arns(self) -> list[str]:
        return [f"arn:aws:sns:*:*:{self.security_topic}"]

    def template_values(self) -> dict[str, object]:
        """Values the guardrail catalog's `${...}` placeholders refer to."""
        return {
            "org": self.org,
            "exempt_principal_arns": self.exempt_principal_arns,
            "role_arns": self.role_arns,
            "trail_arns": self.trail_arns,
            "log_bucket_arns": self.log_bucket_arns,
            "log_group_arns": self.log_group_arns,
            "event_rule_arns": self.event_rule_arns,
            "function_arns": self.function_arns,
            "topic_arns": self.topic_arns,
            "security_topic_arns": self.security_topic_arns,
            "managed_tag_key": MANAGED_TAG_KEY,
            "managed_tag_value": MANAGED_TAG_VALUE,
            "config_aggregator": self.config_aggregator,
        }
