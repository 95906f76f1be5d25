"""`lz init [PATH]`: write the smallest valid environment file, then validate it."""

from __future__ import annotations

from pathlib import Path

NAME = "init"
HELP = "Write the smallest valid environment file (default environments/minimal.yaml), then validate it."
ORDER = 5


def add_arguments(parser) -> None:
    parser.add_argument("path", nargs="?", default="environments/minimal.yaml", help="file to write (never overwritten)")
    parser.add_argument("--name", default="acme", help="organization short name (default acme)")
    parser.add_argument(
        "--email-domain", default="acme-corp.io", help="mail domain of the accounts' root emails (default acme-corp.io)"
    )
    parser.add_argument("--region", default="eu-west-1", help="home region (default eu-west-1)")
    parser.add_argument(
        "--schema",
        default="environments/schema.json",
        help="JSON Schema the editor completes from (default environments/schema.json)",
    )


def run(args) -> int:
    from ...config.starter import refuse_existing, schema_reference, starter_environment
    from ...environment import load_environment
    from ...output_paths import check_output_file, write_output

    path = Path(args.path)
    check_output_file(path, make_parents=True, what="environment file")
    refuse_existing(path)
    text = starter_environment(path, args.name, args.email_domain, args.region, schema_reference(path, Path(args.schema)))
    write_output(path, text, make_parents=True, what="environment file")
    loaded = load_environment(path)
    print(f"wrote {path}: organization {loaded.env.organization.name!r}, {len(loaded.env.accounts)} member accounts, valid")
    print(f"next: edit the emails, then `lz validate {path}` and `lz synth {path}`")
    return 0
