"""Benchmarks: each writes bench/results/<name>.json with a same-run baseline."""
