"""`make setup` compiles the virtualenv itself (landing_zone/speed/bytecode.py) on every core, instead of pip's
file-by-file compile: everything plain, the AWS provider's binding also for `python -O`."""

from __future__ import annotations

import importlib.util
import sysconfig
from pathlib import Path

from landing_zone.speed.bytecode import BINDING, compile_environment

ROOT = Path(__file__).resolve().parents[2]


def _write(path: Path, text: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _cached(source: Path, optimization: str | int = "") -> bool:
    return Path(importlib.util.cache_from_source(str(source), optimization=optimization)).is_file()


def _fake(tmp_path: Path) -> tuple[Path, Path]:
    site, package = tmp_path / "site", tmp_path / "pkg"
    for name in ("__init__.py", "_jsii/__init__.py", "vpc/__init__.py"):
        _write(site / BINDING / name, "X = 1\n")
    _write(site / "otherlib" / "mod.py", "Y = 2\n")
    _write(package / "__init__.py")
    _write(package / "sub" / "a.py", "Z = 3\n")
    return site, package


def test_everything_is_compiled_and_the_binding_also_for_python_O(tmp_path):
    site, package = _fake(tmp_path)
    assert compile_environment(site, package, workers=2)
    for name in ("__init__.py", "_jsii/__init__.py", "vpc/__init__.py"):
        assert _cached(site / BINDING / name) and _cached(site / BINDING / name, 1), name
    assert _cached(site / "otherlib" / "mod.py") and not _cached(site / "otherlib" / "mod.py", 1)
    assert _cached(package / "sub" / "a.py")


def test_a_module_that_does_not_compile_fails_the_step(tmp_path):
    site, package = _fake(tmp_path)
    _write(site / "otherlib" / "broken.py", "def (:\n")
    assert not compile_environment(site, package, workers=1)


def test_make_setup_left_plain_and_optimized_bytecode_of_the_whole_binding():
    """The virtualenv this suite runs in was made by `make setup`, which installs with `--no-compile`: the
    binding's package imports all its modules, and none of them may compile at run time (where
    PYTHONDONTWRITEBYTECODE is set, it would on every run)."""
    assert "--no-compile" in (ROOT / "Makefile").read_text(encoding="utf-8")
    binding = Path(sysconfig.get_path("purelib")) / BINDING
    sources = list(binding.rglob("*.py"))
    assert len(sources) > 2000
    missing = [str(s.relative_to(binding)) for s in sources if not (_cached(s) and _cached(s, 1))]
    assert not missing[:5], f"{len(missing)} module(s) without bytecode"
