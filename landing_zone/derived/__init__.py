"""Facts derived from a validated environment (pure Python, no cdktf)."""
