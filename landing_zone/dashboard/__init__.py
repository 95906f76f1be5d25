"""The dashboard: one static HTML site of the whole landing zone (`lz dashboard`). No cdktf."""
