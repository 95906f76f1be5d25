"""JSON Schema of environment files, generated from the models."""

from __future__ import annotations

from .models import Environment


def environment_schema() -> dict:
    schema = Environment.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "landing_zone environment file"
    return schema
