"""Issue 23 B.2: what `lz deploy` prints per stack, fed the runner's events with a fake clock."""

from __future__ import annotations

from landing_zone.deploy.stack_progress import StackProgress
from landing_zone.terraform.runner import Event

APPLIED = "Apply complete! Resources: 2 added, 0 changed, 0 destroyed."


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _apply(lines: StackProgress, clock: Clock, stack: str = "management", seconds: float = 5.0) -> None:
    """init, then an apply that creates two resources, `seconds` apart, with terraform's own lines."""
    lines(Event(stack, "init", "start"))
    lines(Event(stack, "init", "line", "Terraform has been successfully initialized!"))
    lines(Event(stack, "init", "done", seconds=1.5))
    lines(Event(stack, "apply", "start"))
    for address in ("aws_organizations_organization.organization", "aws_organizations_policy.scp"):
        lines(Event(stack, "apply", "line", f"{address}: Creating..."))
        clock.now += seconds
        lines(Event(stack, "apply", "line", f"{address}: Creation complete after 1s [id=x]"))
        lines(Event(stack, "apply", "resource", address, verb="created"))
    lines(Event(stack, "apply", "done", seconds=2 * seconds, summary=APPLIED))


def test_by_default_one_line_per_stack_with_what_terraform_did_and_the_times():
    said: list[str] = []
    clock = Clock()
    lines = StackProgress(said.append, clock=clock)
    _apply(lines, clock)
    assert said == []  # nothing per command or per resource
    lines.stack_done("management", {"init": 1.5, "apply": 10.0})
    assert said == ["[management] deployed in 11.5 s (init 1.5 s, apply 10.0 s): 2 added, 0 changed, 0 destroyed"]


def test_a_destroy_says_destroyed():
    said: list[str] = []
    lines = StackProgress(said.append, clock=Clock())
    lines(Event("network", "destroy", "start"))
    lines(Event("network", "destroy", "done", seconds=3.0, summary="Destroy complete! Resources: 7 destroyed."))
    lines.stack_done("network", {"destroy": 3.0}, destroy=True)
    assert said == ["[network] destroyed in 3.0 s (destroy 3.0 s): 7 destroyed"]


def test_a_long_apply_has_a_heartbeat_saying_what_it_waits_on():
    said: list[str] = []
    clock = Clock()
    lines = StackProgress(said.append, clock=clock, heartbeat=20.0)
    lines(Event("log-archive", "apply", "start"))
    clock.now += 20.0
    lines.tick()
    assert said == ["[log-archive] still applying after 20 s: planning (the provider loads, the state is read)"]
    said.clear()
    lines(Event("log-archive", "apply", "line", "aws_kms_key.log: Creating..."))
    lines(Event("log-archive", "apply", "resource", "aws_kms_key.log", verb="created"))
    lines(Event("log-archive", "apply", "still", "aws_s3_bucket_lifecycle_configuration.log"))
    clock.now += 19.0
    lines.tick()
    assert said == []  # not yet
    clock.now += 2.0
    lines.tick()
    assert said == [
        "[log-archive] still applying after 41 s: 1 resource(s) done, waiting on aws_s3_bucket_lifecycle_configuration.log"
    ]
    lines.tick()
    assert len(said) == 1  # once per period
    clock.now += 20.0
    lines.tick()
    assert said[-1].startswith("[log-archive] still applying after 61 s")
    lines(Event("log-archive", "apply", "done", seconds=61.0, summary=APPLIED))
    clock.now += 60.0
    lines.tick()
    assert len(said) == 2  # a stack that is done has no heartbeat


def test_with_v_a_line_per_command_and_per_resource():
    said: list[str] = []
    clock = Clock()
    lines = StackProgress(said.append, verbosity=1, clock=clock)
    _apply(lines, clock)
    lines.stack_done("management", {"init": 1.5, "apply": 10.0})
    assert said == [
        "[management] terraform init ...",
        "[management] terraform init done in 1.5 s",
        "[management] terraform apply ...",
        "[management]     1 created aws_organizations_organization.organization",
        "[management]     2 created aws_organizations_policy.scp",
        f"[management] terraform apply done in 10.0 s: {APPLIED}",
    ]


def test_with_vv_terraforms_own_output_and_no_heartbeat():
    said: list[str] = []
    clock = Clock()
    lines = StackProgress(said.append, verbosity=2, clock=clock, heartbeat=1.0)
    _apply(lines, clock)
    assert "[management]   Terraform has been successfully initialized!" in said
    assert "[management]   aws_organizations_policy.scp: Creation complete after 1s [id=x]" in said
    assert not any(" created " in line for line in said)
    lines(Event("audit", "apply", "start"))
    clock.now += 30.0
    before = len(said)
    lines.tick()
    assert len(said) == before


def test_a_stack_that_failed_has_no_heartbeat():
    said: list[str] = []
    clock = Clock()
    lines = StackProgress(said.append, clock=clock, heartbeat=5.0)
    lines(Event("audit", "apply", "start"))
    lines.forget("audit")  # terraform failed: no done event
    clock.now += 60.0
    lines.tick()
    assert said == []
