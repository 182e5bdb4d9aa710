"""VAT engine lines/s vs a plain ``Decimal`` loop doing the same per-line arithmetic."""

from __future__ import annotations

import random
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from bench._harness import timed
from shared.tax import compute_line, rate_for


def run(size: int) -> tuple[dict[str, object], dict[str, float]]:
    rng = random.Random(7)
    day = date(2026, 1, 15)
    groups = ["standard", "reduced", "zero"]
    lines = [(rng.randint(1, 500_000), rng.randint(1, 12), rng.choice(groups))
             for _ in range(size)]

    def engine() -> None:
        for price, qty, group in lines:
            compute_line(price, qty, country="RO", vat_group=group, at=day)

    rates = {g: rate_for("RO", g, day) for g in groups}
    one = Decimal(1)

    def baseline() -> None:
        # The same arithmetic with no validation, no dated lookup and no exact fractions.
        for price, qty, group in lines:
            r = rates[group]
            gross = (Decimal(price) * qty).quantize(one, ROUND_HALF_UP)
            vat = (gross * r / (100 + r)).quantize(one, ROUND_HALF_UP)
            _ = gross - vat

    t_engine = min(timed(engine) for _ in range(3))
    t_base = min(timed(baseline) for _ in range(3))
    return (
        {"lines": size, "country": "RO", "groups": groups},
        {
            "engine_lines_per_s": size / t_engine,
            "baseline_lines_per_s": size / t_base,
            "ratio_engine_vs_decimal": t_engine / t_base,
        },
    )
