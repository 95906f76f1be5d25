"""`lz schema`: write the JSON Schema of environment files for editors."""

from __future__ import annotations

import json

NAME = "schema"
HELP = "Write the JSON Schema of environment files (default environments/schema.json)."
ORDER = 90

DEFAULT_OUT = "environments/schema.json"


def render() -> str:
    from ...config.schema import environment_schema

    return json.dumps(environment_schema(), indent=2, sort_keys=True) + "\n"


def add_arguments(parser) -> None:
    parser.add_argument("--out", default=DEFAULT_OUT, help=f"where to write it (default {DEFAULT_OUT}); '-' for stdout")


def run(args) -> int:
    text = render()
    if args.out == "-":
        print(text, end="")
    else:
        from ...output_paths import write_output

        write_output(args.out, text, make_parents=True, what="schema")
        print(f"wrote {args.out}")
    return 0
