"""bench/compliance.py prepares its data and runs each measurement (small sizes here; `make bench` runs the real ones)."""

from __future__ import annotations

from bench import compliance


def test_prepare_and_run_each_measurement_small(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(compliance, "OBSERVATIONS", 2_000)
    monkeypatch.setattr(compliance, "PLAN_RESOURCES", 25)
    env = str(compliance.EXAMPLE)
    assert compliance.main(["prepare", str(tmp_path), "--env", env]) == 0
    assert compliance.main(["status", env, str(tmp_path / "pages.json")]) == 0
    assert compliance.main(["history", str(tmp_path / "compliance.sqlite")]) == 0
    assert compliance.main(["check-plan", env, str(tmp_path / "plan-500.json")]) == 0
    out = capsys.readouterr().out
    assert "11 accounts, 21 controls" in out
    assert "one account's history: 182 observations" in out
    assert "lz check-plan: 5 violation(s) in account payments-prod" in out  # the five buckets have no versioning
