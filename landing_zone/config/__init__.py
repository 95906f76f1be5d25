"""Environment files: strict YAML -> typed models -> cross-reference rules.

No cdktf here: validation stays well under a second.
"""
from .load import LoadedEnvironment, load_environment
from .models import Environment
from .problems import ConfigError, Location, Problem

__all__ = ["ConfigError", "Environment", "LoadedEnvironment", "Location", "Problem", "load_environment"]
