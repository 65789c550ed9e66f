"""Benchmarks of the classroom: `python -m benchmarks` (see README.md here)."""
