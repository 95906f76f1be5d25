"""The `lz` command line."""
