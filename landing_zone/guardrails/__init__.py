"""Guardrails: the control catalog, what is enabled where, SCP packing within the quotas, the simulator and the reports (pure Python)."""
