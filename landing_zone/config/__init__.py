"""Environment files: strict YAML -> typed models (shape only).

Imports nothing above itself: the cross-reference rules, which need the
derived facts, run in landing_zone/environment.py (`load_environment`).
No cdktf here: validation stays well under a second.
"""

from .load import ShapedEnvironment, read_environment
from .models import Environment
from .problems import ConfigError, Location, Problem

__all__ = ["ConfigError", "Environment", "Location", "Problem", "ShapedEnvironment", "read_environment"]
