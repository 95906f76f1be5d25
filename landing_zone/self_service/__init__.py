"""Self-service catalog facts (no cdktf): blueprints in `modules/`, their artifacts, and what each account can launch."""
