"""Centralized logging constructs: log archive, organization trail, AWS Config.

Names load on first use (importing cdktf is slow); `policies` is pure Python.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "LogArchive": "log_archive",
    "LogArchiveProps": "log_archive",
    "LogReplica": "log_replica",
    "LogReplicaProps": "log_replica",
    "SecureBucket": "secure_bucket",
    "SecureBucketProps": "secure_bucket",
    "OrganizationTrail": "organization_trail",
    "OrganizationTrailProps": "organization_trail",
    "ConfigRecording": "config_recording",
    "ConfigRecordingProps": "config_recording",
    "ConfigAggregator": "config_aggregator",
    "ConfigAggregatorProps": "config_aggregator",
    "LogWriters": "policies",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
