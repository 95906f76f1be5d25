"""The checkov gate (`lz scan`): runs checkov offline on synthesized stacks with the
landing zone's custom checks (landing_zone/checks) and summarizes the result.

Nothing here imports checkov: it runs as a subprocess so its import cost (seconds)
stays out of the CLI.
"""
