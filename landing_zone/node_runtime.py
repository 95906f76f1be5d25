"""The Node.js runtime behind jsii (cdktf): settings every synthesizing process applies before cdktf loads, and
how it loads the AWS provider binding."""

from __future__ import annotations

import os

from .speed import binding_subset, token_traces


def prepare_node_runtime(load: bool = True) -> None:
    """Silence jsii's banner about this machine's Node.js version, preload speed/token_traces.js, and register
    the AWS provider binding without its submodules (speed/binding_subset.py).

    The banner fills the terminal on each synth and says nothing about the
    landing zone; set the variables yourself to see it again. Both settings
    reach the node processes, and any worker process, through the environment.
    """
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "14,16,18,20")
    os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
    token_traces.apply()
    if load:  # else the caller loads the binding itself (speed/binding_preload.py)
        binding_subset.apply()
