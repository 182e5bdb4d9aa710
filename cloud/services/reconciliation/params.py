"""How a job configuration (seed 002 "Job Configuration", :class:`JobParams`) becomes a date
range.

``days`` 1–365 (default 30) counts back from ``end_date`` (default today, in the client's
reporting zone = UTC); an explicit ``start_date`` wins over ``days``. Dates must be written
``YYYY-MM-DD``; a range longer than 366 days, reversed, or starting in the future is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from cloud.schemas.reconciliation import MAX_RANGE_DAYS, JobParams

__all__ = ["DateRange", "resolve_range"]


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def resolve_range(params: JobParams, today: date) -> DateRange:
    """The inclusive range a job covers; ``ValueError`` when it cannot be valid today."""
    end = params.end_date or today
    try:
        start = params.start_date or (end - timedelta(days=params.days - 1))
    except OverflowError:
        raise ValueError("the date range starts before year 1") from None
    if start > today:
        raise ValueError("start_date is in the future")
    if end < start:
        raise ValueError("end_date is before start_date")
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise ValueError(f"a date range is at most {MAX_RANGE_DAYS} days")
    return DateRange(start, end)
