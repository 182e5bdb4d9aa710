"""The reconciliation itself: backend orders against analytics transactions. Pure, no I/O.

Rules, chosen so every number can be re-derived by hand:

* Ids are compared as text. An id seen more than once on one side (two backend rows, or GA4's
  ``transactions`` > 1) is a *duplicate*; its value on that side is the sum of its occurrences,
  as GA4 itself sums a repeated transaction id.
* *missing*: backend ids absent from analytics; *extra*: analytics ids absent from the backend.
* *amount mismatch*: an id on both sides whose values differ (in minor units, exact).
* ``match_rate`` = backend ids found in analytics / backend ids, in percent, 2 decimals half-up
  (100 when the backend had nothing).
* Totals are the sums of every record each side returned.

Money stays integer minor units; :func:`wire_amount` makes the seed's JSON numbers at the very
end (see its docstring for why that is exact).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from cloud.integrations.orders import OrderRecord, currency_exponent

__all__ = ["Mismatch", "Reconciliation", "natural_key", "reconcile", "wire_amount"]

_CENT = Decimal("0.01")


def natural_key(order_id: str) -> tuple[int, int, str]:
    """Numeric ids in numeric order, then the rest as text."""
    return (0, int(order_id), "") if order_id.isdigit() else (1, 0, order_id)


def wire_amount(minor: int, exponent: int = 2) -> float:
    """An amount as the JSON number the seed shows (``15000.00`` → ``15000.0``).

    The only float in reconciliation, made at the wire edge: a decimal with at most 15
    significant digits round-trips exactly through an IEEE double's shortest repr, which is
    what JSON writes. Larger amounts are refused rather than silently rounded.
    """
    exact = Decimal(minor).scaleb(-exponent)
    as_float = float(exact)
    if Decimal(repr(as_float)) != exact:
        raise ValueError(f"amount {exact} is too large to send exactly as a JSON number")
    return as_float


@dataclass(frozen=True)
class Mismatch:
    order_id: str
    backend_minor: int
    analytics_minor: int

    @property
    def difference_minor(self) -> int:
        return self.backend_minor - self.analytics_minor


@dataclass
class Reconciliation:
    """Everything a job reports, in minor units; :meth:`as_result` renders the seed's shape."""

    start_date: date
    end_date: date
    currency: str
    backend_records: int
    analytics_records: int
    backend_total_minor: int
    analytics_total_minor: int
    backend_ids: int
    matched_ids: int
    missing_ids: list[str]
    extra_ids: list[str]
    mismatches: list[Mismatch]
    duplicates: list[tuple[str, str, int]]  # (order id, side, occurrences)
    warnings: list[str] = field(default_factory=list)

    @property
    def days_analyzed(self) -> int:
        return (self.end_date - self.start_date).days + 1

    @property
    def match_rate(self) -> Decimal:
        if self.backend_ids == 0:
            return Decimal(100).quantize(_CENT)
        rate = Decimal(self.matched_ids) * 100 / Decimal(self.backend_ids)
        return rate.quantize(_CENT, rounding=ROUND_HALF_UP)

    def as_result(self, *, retry_attempt: int = 0) -> dict[str, Any]:
        """The job result: the seed's fields first, then mismatches, duplicates and extras."""
        exp = currency_exponent(self.currency)

        def amt(minor: int) -> float:
            return wire_amount(minor, exp)

        return {
            "match_rate": float(self.match_rate),
            "total_backend_value": amt(self.backend_total_minor),
            "total_ga4_value": amt(self.analytics_total_minor),
            "missing_count": len(self.missing_ids),
            "missing_ids": list(self.missing_ids),
            "days_analyzed": self.days_analyzed,
            "date_range": {"start_date": self.start_date.isoformat(),
                           "end_date": self.end_date.isoformat()},
            "ga4_records": self.analytics_records,
            "backend_records": self.backend_records,
            "retry_attempt": retry_attempt,
            "currency": self.currency,
            "total_backend_minor": self.backend_total_minor,
            "total_ga4_minor": self.analytics_total_minor,
            "difference_value": amt(self.backend_total_minor - self.analytics_total_minor),
            "matched_count": self.matched_ids,
            "mismatch_count": len(self.mismatches),
            "amount_mismatches": [
                {"id": m.order_id, "backend_value": amt(m.backend_minor),
                 "ga4_value": amt(m.analytics_minor), "difference": amt(m.difference_minor),
                 "backend_minor": m.backend_minor, "ga4_minor": m.analytics_minor}
                for m in self.mismatches],
            "duplicate_count": len(self.duplicates),
            "duplicates": [{"id": i, "source": side, "count": n}
                           for i, side, n in self.duplicates],
            "extra_count": len(self.extra_ids),
            "extra_ids": list(self.extra_ids),
            "warnings": list(self.warnings),
        }


def _group(records: Iterable[OrderRecord]) -> tuple[dict[str, int], dict[str, int], int, int]:
    """Per id: summed minor units and occurrences; plus total minor and record count."""
    value: dict[str, int] = {}
    seen: dict[str, int] = {}
    total = count = 0
    for r in records:
        value[r.order_id] = value.get(r.order_id, 0) + r.amount_minor
        seen[r.order_id] = seen.get(r.order_id, 0) + max(r.occurrences, 1)
        total += r.amount_minor
        count += 1
    return value, seen, total, count


def _currency(records: list[OrderRecord]) -> set[str]:
    return {r.currency.upper() for r in records if r.currency}


def reconcile(backend: Iterable[OrderRecord], analytics: Iterable[OrderRecord], *,
              start_date: date, end_date: date) -> Reconciliation:
    """Compare the two sides over ``[start_date, end_date]``."""
    if end_date < start_date:
        raise ValueError("end_date is before start_date")
    back, ana = list(backend), list(analytics)
    b_val, b_seen, b_total, b_count = _group(back)
    a_val, a_seen, a_total, a_count = _group(ana)
    warnings = []
    b_cur, a_cur = _currency(back), _currency(ana)
    if len(b_cur) > 1 or len(a_cur) > 1 or (b_cur and a_cur and b_cur != a_cur):
        warnings.append(f"currencies differ (backend {sorted(b_cur)}, analytics {sorted(a_cur)});"
                        " amounts were compared as numbers")
    currency = sorted(b_cur or a_cur or {""})[0]
    missing = sorted((i for i in b_val if i not in a_val), key=natural_key)
    extra = sorted((i for i in a_val if i not in b_val), key=natural_key)
    matched = sum(1 for i in b_val if i in a_val)
    differ = sorted((i for i in b_val if i in a_val and b_val[i] != a_val[i]), key=natural_key)
    mismatches = [Mismatch(i, b_val[i], a_val[i]) for i in differ]
    dups = [(i, "backend", n) for i, n in b_seen.items() if n > 1]
    dups += [(i, "ga4", n) for i, n in a_seen.items() if n > 1]
    dups.sort(key=lambda d: (natural_key(d[0]), d[1]))
    return Reconciliation(
        start_date=start_date, end_date=end_date, currency=currency,
        backend_records=b_count, analytics_records=a_count,
        backend_total_minor=b_total, analytics_total_minor=a_total,
        backend_ids=len(b_val), matched_ids=matched,
        missing_ids=missing, extra_ids=extra, mismatches=mismatches, duplicates=dups,
        warnings=warnings,
    )
