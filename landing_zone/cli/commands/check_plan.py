"""`lz check-plan PLAN_JSON --env ENV --account NAME`: a workload's plan against the guardrails of its account.

Exit 3 with the control, the resource address and the reason when the plan
would violate a guardrail; 2 when the plan or the environment cannot be read
(a file that is not a plan is refused as `lz plan-review` refuses it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from ...render import add_format_argument

NAME = "check-plan"
HELP = "Check a workload's `terraform show -json` plan against the guardrails reaching its account; exit 3 on a violation."
ORDER = 61


def add_arguments(parser) -> None:
    parser.add_argument("plan", metavar="PLAN_JSON", help="`terraform show -json PLANFILE` output")
    parser.add_argument("--env", required=True, metavar="ENV_FILE", help="environment file, e.g. environments/example.yaml")
    parser.add_argument("--account", required=True, metavar="NAME", help="the account the plan deploys into")
    parser.add_argument("--region", metavar="REGION", help="region of the calls (default: the plan's provider, else home)")
    parser.add_argument("--principal", metavar="ARN", help="who applies the plan (default: a workload role in the account)")
    add_format_argument(parser)


def run(args) -> int:
    from ...compliance.plan_check import BLOCKED, CheckPlanError, check_plan, render_check
    from ...environment import load_environment
    from ...review.plan_input import PlanError, read_plan_json
    from ...review.plan_input import check_plan as check_plan_shape

    try:
        data = read_plan_json(Path(args.plan))
        check_plan_shape(data, Path(args.plan))
    except PlanError as exc:
        print(f"lz check-plan: {exc}", file=sys.stderr)
        return 2
    facts = load_environment(args.env).facts
    try:
        result = check_plan(facts, args.account, data, region=args.region, principal=args.principal)
    except CheckPlanError as exc:
        print(f"lz check-plan: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(render_check(result, args.format).rstrip("\n") + "\n")
    print(result.summary_line(), file=sys.stderr)
    return BLOCKED if result.blocked else 0
