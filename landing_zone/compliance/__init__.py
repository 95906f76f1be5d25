"""Compliance mappings (CIS AWS Foundations Benchmark v3.0.0) and coverage. Pure Python, no cdktf."""

from .cis import Benchmark, Coverage, Recommendation, benchmark, coverage
from .report import render_coverage

__all__ = ["Benchmark", "Coverage", "Recommendation", "benchmark", "coverage", "render_coverage"]
