"""Tillbridge's tests. A package so that ``tests.support`` is importable by name, from tests,
benchmarks and child processes run from the project root (no ``sys.path`` edits).

The folders below stay plain directories (no ``__init__``): pytest imports their modules by
file name, and ``pythonpath = ["."]`` keeps ``tests/unit/cloud`` from shadowing ``cloud``.
"""
