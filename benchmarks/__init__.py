"""Speed at scale, measured: `python -m benchmarks` (see benchmarks/README.md)."""
