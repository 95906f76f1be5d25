"""Short read-only commands run without the cyclic garbage collector (speed/gc_pause.py)."""

from __future__ import annotations

import gc

import pytest

from landing_zone.cli.main import _command_names
from landing_zone.speed.gc_pause import SHORT_COMMANDS, pause_gc


@pytest.fixture(autouse=True)
def _collector_back_on():
    yield
    gc.enable()


def test_every_short_command_exists():
    assert SHORT_COMMANDS <= {stem.replace("_", "-") for stem in _command_names()}


@pytest.mark.parametrize("command", sorted(SHORT_COMMANDS))
def test_a_short_command_turns_the_collector_off(command, monkeypatch):
    monkeypatch.delenv("LZ_SPEED_OFF", raising=False)
    assert pause_gc(["lz", command, "environments/example.yaml"])
    assert not gc.isenabled()


@pytest.mark.parametrize("argv", [["lz"], ["lz", "deploy"], ["lz", "synth"], ["lz", "dashboard"], ["lz", "--version"]])
def test_long_running_commands_keep_it(argv, monkeypatch):
    monkeypatch.delenv("LZ_SPEED_OFF", raising=False)
    assert not pause_gc(argv)
    assert gc.isenabled()


def test_the_switch_keeps_it_on(monkeypatch):
    monkeypatch.setenv("LZ_SPEED_OFF", "gc_pause")
    assert not pause_gc(["lz", "validate"])
    assert gc.isenabled()
