"""One module per `lz` subcommand.

Each module defines NAME, HELP, add_arguments(parser) and run(args) -> int,
and imports anything heavy (cdktf, checkov) inside run() so that `lz
validate` never pays for it.
"""
