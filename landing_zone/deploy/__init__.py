"""Deploying synthesized stacks with terraform: to AWS, or to a local AWS API for tests."""

from .orchestrator import Deploy, DeployError, DeployOptions, synthesize_local

__all__ = ["Deploy", "DeployError", "DeployOptions", "synthesize_local"]
