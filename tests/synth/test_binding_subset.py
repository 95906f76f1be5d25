"""speed/binding_subset: the AWS provider binding is loaded without the submodules the synth does not import, and
the synthesized output is the same."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COUNT = "sum(1 for m in sys.modules if m.startswith('cdktf_cdktf_provider_aws.'))"


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    environ = {**os.environ, **env}
    environ.pop("LZ_AWS_ENDPOINT", None)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=600)


def _loaded_of(setup: str, modules: tuple[str, ...]) -> str:
    """Which of `modules` a fresh process has in sys.modules after running `setup`, as the sorted list it prints."""
    code = f"import os, sys\n{setup}print(sorted(m for m in {modules!r} if m in sys.modules))\nsys.stdout.flush(); os._exit(0)\n"
    run = _run(code)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout.split("\n")[-2]


def _modules_loaded(**env: str) -> int:
    code = (
        "import os, sys\n"
        "from landing_zone.node_runtime import prepare_node_runtime\n"
        "prepare_node_runtime()\n"
        "import landing_zone.app.build\n"
        f"print({COUNT})\n"
        "sys.stdout.flush(); os._exit(0)\n"
    )
    run = _run(code, **env)
    assert run.returncode == 0, run.stderr[-2000:]
    return int(run.stdout.split()[-1])


def test_the_synth_loads_only_the_binding_modules_it_imports():
    subset, whole = _modules_loaded(), _modules_loaded(LZ_SPEED_OFF="binding_subset")
    assert subset < 600 < 2000 < whole  # about 250 of the package's 2,135 submodules (and their own submodules)


def test_the_trick_leaves_an_imported_binding_alone():
    code = (
        "import os, sys\n"
        "import cdktf_cdktf_provider_aws\n"
        "from landing_zone.speed import binding_subset\n"
        f"print(binding_subset.apply(), {COUNT} > 2000)\n"
        "sys.stdout.flush(); os._exit(0)\n"
    )
    run = _run(code)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split()[-2:] == ["False", "True"]


@pytest.mark.synth
def test_a_synth_through_the_subset_writes_the_same_bytes(synth_out, tmp_path_factory):
    """`lz synth` (its main, in a fresh process, with the trick on) writes what the session's synth wrote; the
    speed-switch test proves the same for every trick off."""
    out = tmp_path_factory.mktemp("subset")  # same depth as synth_out's folder: same relative state paths
    code = (
        "import os, sys\n"
        "from landing_zone.cli.main import main\n"
        f"code = main(['synth', 'environments/example.yaml', '--out', {str(out)!r}])\n"
        f"print('modules', {COUNT})\n"
        "sys.stdout.flush(); os._exit(code)\n"
    )
    run = _run(code)
    assert run.returncode == 0, run.stderr[-2000:]
    assert int(run.stdout.split()[-1]) < 600
    mine = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*.json"))}
    theirs = {p.relative_to(synth_out.dir): p.read_bytes() for p in sorted(synth_out.dir.rglob("*.json"))}
    assert sorted(mine) == sorted(theirs)
    assert [name for name in mine if mine[name] != theirs[name]] == []


def test_a_synth_worker_unpickles_its_call_without_loading_cdktf():
    """A spawned worker unpickles its function and arguments before it runs: neither may import cdktf (which would
    load the binding whole before the worker's `prepare_node_runtime`)."""
    setup = (
        "import pickle\n"
        "from pathlib import Path\n"
        "from landing_zone.deploy_target import AWS\n"
        "from landing_zone.synth_worker import synth_part\n"
        "call = pickle.dumps((synth_part, 'env.yaml', {'out_dir': Path('o'), 'project_dir': Path('.'), 'target': AWS,"
        " 'allow_destroy': False}, ('management',)))\n"
        "pickle.loads(call)\n"
    )
    assert _loaded_of(setup, ("cdktf", "jsii", "cdktf_cdktf_provider_aws", "landing_zone.app")) == "[]"


@pytest.mark.synth
def test_the_fields_a_worker_gets_are_of_pure_modules(synth_out):
    import dataclasses

    from landing_zone.app import AppOptions
    from landing_zone.app.build import _fields

    fields = _fields(AppOptions(out_dir=synth_out.dir))
    assert set(fields) == {f.name for f in dataclasses.fields(AppOptions)}
    assert {type(value).__module__ for value in fields.values()} <= {"pathlib", "builtins", "landing_zone.deploy_target"}


def test_the_app_package_imports_no_cdktf_until_a_stack_is_built():
    """`landing_zone.app` (options, synthesis) is pure Python: a synth copies, keys and patches while cdktf loads in
    the background (app/binding_preload.py), and one that builds nothing never loads it."""
    setup = "import landing_zone.app, landing_zone.app.binding_preload\nfrom landing_zone.app import AppOptions, synthesize\n"
    modules = ("cdktf", "jsii", "constructs", "cdktf_cdktf_provider_aws", "landing_zone.app.build")
    assert _loaded_of(setup, modules) == "[]"
