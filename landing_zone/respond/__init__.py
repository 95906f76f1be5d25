"""Incident response: the runbooks shipped as SSM Automation documents, which control each one fixes,
and `lz respond` (start a runbook in one account as its responder, wait, report each step)."""
