"""The Node.js runtime behind jsii (cdktf): settings every synthesizing process applies first."""

from __future__ import annotations

import os


def quiet_node_warnings() -> None:
    """Silence jsii's banner about this machine's Node.js version on every run.

    It fills the terminal on each synth and says nothing about the landing zone;
    set the variables yourself to see it again.
    """
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "14,16,18,20")
    os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
