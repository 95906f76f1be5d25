"""`lz plan-review PLAN_JSON_OR_DIR...`: what a pull request's terraform plans change.

Reads `terraform show -json` output of one or more stacks and prints a
summary a reviewer can read in a minute (markdown for a PR comment, text for
a log, or JSON), with a one-line summary on stderr for the CI log. Exit
status 3, with the reason at the top, when a danger rule fires that is not
allowed with `--allow RULE`; 2 when an input cannot be read.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ...render import add_format_argument

NAME = "plan-review"
HELP = "Summarize terraform plans per account, OU and guardrail; exit 3 on a dangerous change unless --allow RULE."
ORDER = 60

DEFAULT_MANIFEST = Path("cdktf.out") / "lz-manifest.json"
BLOCKED = 3


def add_arguments(parser) -> None:
    parser.add_argument(
        "plans",
        nargs="*",
        metavar="PLAN_JSON_OR_DIR",
        help="`terraform show -json` output: files, folders of them, or STACK=FILE",
    )
    parser.add_argument(
        "--manifest",
        metavar="FILE",
        help=f"review manifest written by `lz synth` (default: lz-manifest.json in a given folder, "
        f"else {DEFAULT_MANIFEST} when it exists)",
    )
    add_format_argument(parser, default="markdown")  # markdown: a pull-request comment, cut to 65,000 characters
    parser.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="RULE",
        help="accept changes caught by this danger rule (repeatable; see --rules)",
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write the review to FILE instead of stdout")
    parser.add_argument("--rules", action="store_true", help="list the danger rules and exit")


def _manifest(args):
    from ...review.manifest import MANIFEST_FILE, read_manifest

    if args.manifest:
        return read_manifest(args.manifest)
    for argument in args.plans:
        folder = Path(argument.partition("=")[2] if "=" in argument and not Path(argument).exists() else argument)
        if folder.is_dir() and (folder / MANIFEST_FILE).is_file():
            return read_manifest(folder / MANIFEST_FILE)
    if DEFAULT_MANIFEST.is_file():
        return read_manifest(DEFAULT_MANIFEST)
    return None


def print_rules() -> None:
    from ...render import text_table as table
    from ...review.danger import RULES

    print(table(["rule", "blocks a plan that touches"], [[r.name, r.protects] for r in RULES]))


def run(args) -> int:
    from ...output_paths import check_output_file, write_output
    from ...review.danger import RULE_NAMES, unknown_rules
    from ...review.manifest import ManifestError
    from ...review.plans import PlanError
    from ...review.render import render
    from ...review.review import review_plans

    if args.rules:
        print_rules()
        return 0
    if not args.plans:
        print("lz plan-review: give at least one plan JSON file or folder (see --help)", file=sys.stderr)
        return 2
    allow = [name.strip() for value in args.allow for name in value.split(",") if name.strip()]
    unknown = unknown_rules(allow)
    if unknown:
        print(
            f"lz plan-review: unknown rule(s) for --allow: {', '.join(unknown)}; the rules are: {', '.join(RULE_NAMES)}",
            file=sys.stderr,
        )
        return 2
    if args.output:
        check_output_file(args.output)  # before any work
    try:
        manifest = _manifest(args)
        review = review_plans(args.plans, manifest, allow)
    except (PlanError, ManifestError) as exc:
        print(f"lz plan-review: {exc}", file=sys.stderr)
        return 2
    text = render(review, args.format)
    if args.output:
        write_output(args.output, text)  # OutputPathError: printed by lz's main, exit 2
    else:
        sys.stdout.write(text)
    print(review.summary_line(), file=sys.stderr)
    return BLOCKED if review.blocked else 0
