"""Every benchmark, by name, with its module and default size."""

from __future__ import annotations

from bench._harness import register

register("money_tax", "bench.money_tax", 200_000)
