"""Benchmarks that print figures: `python -m analysis.bench import|dedup [--json]`."""
