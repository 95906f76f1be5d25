"""CIS AWS Foundations Benchmark v3.0.0: the mapping as data, coverage per environment, `lz guardrails --cis`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from landing_zone.compliance import benchmark, coverage, render_coverage
from landing_zone.compliance.features import FEATURES
from landing_zone.environment import load_environment
from landing_zone.facts import Facts

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "environments" / "example.yaml"


@pytest.fixture(scope="module")
def env():
    return load_environment(EXAMPLE).env


def updated(model, **changes):
    return model.model_copy(update=changes)


def with_logging(env, **trail):
    return updated(env, logging=updated(env.logging, organization_trail=updated(env.logging.organization_trail, **trail)))


def with_security(env, **services):
    return updated(env, security_services=updated(env.security_services, **services))


def test_the_benchmark_lists_every_v3_recommendation_once():
    bench = benchmark()
    ids = [r.id for r in bench.recommendations]
    assert bench.version == "3.0.0" and len(ids) == len(set(ids)) == 62
    sections = {i.split(".")[0] for i in ids}
    assert sections == {"1", "2", "3", "4", "5"}
    assert sum(r.assessment == "automated" for r in bench.recommendations) == 35
    # 4.1-4.15 are manual in v3.0.0; 4.16 (Security Hub) is automated.
    assert [r.id for r in bench.recommendations if r.id.startswith("4.") and r.assessment == "automated"] == ["4.16"]


def test_every_mapped_feature_exists_and_is_exercised_by_the_example(env):
    used = {i.by for r in benchmark().recommendations for i in r.implemented_by}
    assert used <= set(FEATURES)
    assert set(FEATURES) - used == set(), "a feature nobody maps to"
    for name in used:
        on, hint = FEATURES[name](env)
        assert isinstance(on, bool) and (on or hint), name


def test_the_example_implements_what_it_configures(env):
    cov = coverage(Facts(env))
    status = {i.recommendation.id: i.status for i in cov.items}
    for rec in ("1.8", "1.9", "1.20", "2.1.1", "2.1.4", "2.2.1", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.8", "4.16", "5.6"):
        assert status[rec] == "implemented", rec
    assert status["3.9"] == "available"  # the example logs S3 write events only
    assert cov.implemented == sum(1 for i in cov.of("automated") if i.status == "implemented")
    assert cov.automatable + cov.manual == len(cov.items)
    enforced = {i.recommendation.id for i in cov.of("automated") if any(f.implementation.kind == "enforced" for f in i.active)}
    assert {"1.8", "2.2.1", "3.1", "3.3", "5.6"} <= enforced


def test_turning_on_read_events_implements_3_9(env):
    before = coverage(Facts(env))
    after = coverage(Facts(with_logging(env, s3_data_events="all")))
    assert after.implemented == before.implemented + 1
    assert next(i for i in after.items if i.recommendation.id == "3.9").status == "implemented"


def test_without_security_hub_its_detections_are_gone(env):
    off = with_security(env, security_hub=updated(env.security_services.security_hub, enabled=False))
    cov = coverage(Facts(off))
    status = {i.recommendation.id: i for i in cov.items}
    hub = [f for f in status["4.16"].findings if f.implementation.by == "security_hub"]
    assert hub and not hub[0].on and hub[0].hint == "set security_services.security_hub.enabled: true"
    assert status["1.12"].status == "available"  # only Security Hub's IAM.22 detects it
    assert cov.implemented < coverage(Facts(env)).implemented


def test_guardrails_that_reference_cis_count_only_when_enabled(env):
    cov = coverage(Facts(env))
    findings = [f for i in cov.items for f in i.findings if f.implementation.by.startswith("guardrail:")]
    assert findings, "the catalog references CIS recommendations"
    for f in findings:
        assert f.on == (f.hint == ""), f.implementation.by


def test_report_formats(env):
    cov = coverage(Facts(env))
    text = render_coverage(cov)
    assert f"implemented {cov.implemented} of {cov.automatable} automatable" in text.splitlines()[1]
    data = json.loads(render_coverage(cov, "json"))
    assert data["summary"]["implemented"] == cov.implemented and len(data["recommendations"]) == 62
    markdown = render_coverage(cov, "markdown")
    assert "| id | level | assessment | status |" in markdown


def test_lz_guardrails_cis_prints_coverage_without_importing_cdktf(env):
    code = (
        "import sys, runpy; sys.argv=['lz','guardrails','environments/example.yaml','--cis','--format','json'];"
        "from landing_zone.cli.main import main; rc = main(); "
        "assert 'cdktf' not in sys.modules, 'cdktf imported'; sys.exit(rc)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["implemented"] == coverage(Facts(env)).implemented


def test_every_enforced_entry_names_a_test_that_exists_and_mentions_what_it_proves():
    """`enforced` only where a test proves it (issue 28): each names file::function, the function exists
    in that file, and it is not a skipped test."""
    import ast

    checked = 0
    for rec in benchmark().recommendations:
        for impl in rec.implemented_by:
            if impl.kind != "enforced":
                assert not impl.test, (rec.id, "only enforced entries name a proving test")
                continue
            path, _, function = impl.test.partition("::")
            source = ROOT / path
            assert source.is_file() and path.startswith("tests/"), (rec.id, impl.test)
            tree = ast.parse(source.read_text(encoding="utf-8"))
            found = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function]
            assert found, (rec.id, f"{function} is not a test function of {path}")
            decorators = ast.unparse(found[0]).split("def ", 1)[0]
            assert "skip" not in decorators and "xfail" not in decorators, (rec.id, impl.test)
            checked += 1
    assert checked == 25  # 21, the default VPCs for 3.7, 5.1 and 5.4 (issue 28.4), the support role for 1.17 (28.2)


def test_an_enforced_entry_without_a_test_is_refused(monkeypatch):
    from landing_zone.compliance import cis

    text = (ROOT / "landing_zone" / "data" / "cis_aws_foundations_v3.yaml").read_text(encoding="utf-8")
    broken = text.replace(', test: "tests/logging/test_example_logging.py::test_organization_trail"}', "}", 1)
    assert broken != text

    monkeypatch.setattr(cis, "data_yaml", lambda _name: yaml.safe_load(broken))
    cis.benchmark.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"3\.1: an enforced entry names the test that proves it"):
            cis.benchmark()
    finally:
        cis.benchmark.cache_clear()


def test_the_trail_alarms_cover_4_1_to_4_15_and_only_while_on(env):
    monitoring = [f"4.{i}" for i in range(1, 16)]
    status = {i.recommendation.id: i for i in coverage(Facts(env)).items}
    for rec in monitoring:
        assert status[rec].status == "implemented", rec
        assert [(f.implementation.by, f.implementation.kind) for f in status[rec].active] == [("cis_alarms", "detected")]
    off = {i.recommendation.id: i for i in coverage(Facts(with_logging(env, cis_alarms=False))).items}
    for rec in monitoring:
        assert off[rec].status == "available", rec
        assert off[rec].findings[0].hint == "set logging.organization_trail.cis_alarms: true"
