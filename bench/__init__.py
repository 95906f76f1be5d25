"""Benchmarks of the landing zone (`make bench`); see BENCHMARKS.md."""
