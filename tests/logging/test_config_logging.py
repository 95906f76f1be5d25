"""The `logging:` and `security_services:` sections: defaults, derived regions, schema."""

from __future__ import annotations

import json
from pathlib import Path

from landing_zone.config.models import Logging, SecurityServices
from landing_zone.environment import load_environment

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "tests" / "config" / "fixtures" / "good"


def test_omitted_sections_default_to_everything_on():
    env = load_environment(GOOD / "minimal.yaml").env
    assert env.logging == Logging() and env.security_services == SecurityServices()
    assert env.logging.config.enabled and env.logging.config.aggregator
    assert env.logging.organization_trail.cloudwatch_logs_retention_days == 365
    assert env.security_services.delegated_administrator is None
    services = env.security_services
    assert services.guardduty.enabled and services.security_hub.enabled and services.access_analyzer.enabled
    assert services.security_hub.standards == ["aws-foundational-security-best-practices", "cis-aws-foundations-benchmark-v3.0.0"]


def test_config_regions_follow_the_governed_order_and_switch_off_together():
    governed = ["eu-west-1", "eu-central-1", "us-east-1"]
    assert Logging().config_regions(governed) == governed
    subset = Logging.model_validate({"config": {"regions": ["us-east-1", "eu-west-1"]}})
    assert subset.config_regions(governed) == ["eu-west-1", "us-east-1"]
    off = Logging.model_validate({"config": {"enabled": False}})
    assert off.config_regions(governed) == []


def test_the_example_sets_both_sections():
    env = load_environment(ROOT / "environments" / "example.yaml").env
    assert env.logging.log_bucket.object_lock is not None
    assert env.security_services.notifications.emails


def test_the_schema_documents_both_sections():
    schema = json.loads((ROOT / "environments" / "schema.json").read_text())
    props = schema["properties"]
    assert {"logging", "security_services"} <= set(props)
    defs = schema["$defs"]
    assert "retention_days" in defs["LogBucket"]["properties"]
    assert defs["Notifications"]["properties"]["severity_threshold"]["enum"] == ["LOW", "MEDIUM", "HIGH", "CRITICAL"]
