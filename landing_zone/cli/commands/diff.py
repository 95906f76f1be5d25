"""`lz diff BASE_ENV HEAD_ENV`: what a config change does, without terraform.

Accounts added, moved, replaced or removed; OU and stack changes; effective
guardrails per account; access (group -> permission set -> account). Exit 3,
with the reason at the top, when a danger rule fires (an account or OU
removed, an email change that replaces an account, a mandatory guardrail
lost) that is not allowed with `--allow RULE`; 2 when a file is invalid.
"""

from __future__ import annotations

import sys

from ...render import add_format_argument

NAME = "diff"
HELP = "Compare two environment files: accounts, OUs, guardrails per account and access (no terraform); exit 3 on danger."
ORDER = 61
BLOCKED = 3


def add_arguments(parser) -> None:
    parser.add_argument("base", metavar="BASE_ENV", help="environment file before the change (e.g. from the target branch)")
    parser.add_argument("head", metavar="HEAD_ENV", help="environment file after the change")
    add_format_argument(parser, default="markdown")
    parser.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="RULE",
        help="accept changes caught by this danger rule (repeatable; `lz plan-review --rules` lists them)",
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write the diff to FILE instead of stdout")


def run(args) -> int:
    from ...environment import load_environment
    from ...output_paths import check_output_file, write_output
    from ...review.danger import RULE_NAMES, unknown_rules
    from ...review.env_diff import diff_environments
    from ...review.render import render_diff

    allow = [name.strip() for value in args.allow for name in value.split(",") if name.strip()]
    unknown = unknown_rules(allow)
    if unknown:
        print(
            f"lz diff: unknown rule(s) for --allow: {', '.join(unknown)}; the rules are: {', '.join(RULE_NAMES)}", file=sys.stderr
        )
        return 2
    if args.output:
        check_output_file(args.output)  # before any work
    base = load_environment(args.base)  # ConfigError: problems printed by lz's main, exit 2
    head = load_environment(args.head)
    result = diff_environments(base, head, allow)
    text = render_diff(result, args.format)
    if args.output:
        write_output(args.output, text)  # OutputPathError: printed by lz's main, exit 2
    else:
        sys.stdout.write(text)
    print(result.summary_line(), file=sys.stderr)
    return BLOCKED if result.blocked else 0
