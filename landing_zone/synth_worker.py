"""A parallel synth's worker process (app.build._parallel): its entry point, in a module that imports nothing of cdktf.

A spawned worker unpickles its function and arguments before it runs anything: were they app's, the unpickling
would import cdktf and the AWS binding whole, before `prepare_node_runtime` could load the binding without its
other submodules (speed/binding_subset.py: 6-7 s and about 450 MB in each worker). So the function is here and
the options travel as plain fields.
"""

from __future__ import annotations

from typing import Any


def synth_part(env_file: str, options: dict[str, Any], group: tuple[str, ...]) -> dict[str, float]:
    """In a worker process: `app.build._build_part` of the environment file (a worker loads it again) with the
    AppOptions `options` (its fields)."""
    from .app import binding_preload
    from .node_runtime import prepare_node_runtime

    prepare_node_runtime(load=False)
    binding = binding_preload.start()  # cdktf loads on the other core while this one loads the environment again
    from .app.options import AppOptions
    from .environment import load_environment

    loaded = load_environment(env_file)
    binding.wait()
    from .app.build import _build_part

    return _build_part(loaded, AppOptions(**options), group)
