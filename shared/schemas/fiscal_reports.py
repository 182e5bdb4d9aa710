"""Seed 003's fiscal report shapes: ``GET /api/admin/fiscal/reports/daily|period``.

Why shared: the till answers them from its fiscal journal and the cloud from synced sales; one
set of models keeps the two answers the same JSON. Keys are camelCase on the wire (``from`` for
the period start), amounts integer minor units, days calendar days in the store's time zone.
The models carry comments rather than docstrings: a docstring would become a description in
both OpenAPI documents.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

__all__ = ["DailyReport", "DayLine", "DayShift", "PeriodReport"]


class _Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True,
                              serialize_by_alias=True)


# A shift that was open on the day, with its sales.
class DayShift(_Camel):
    id: str
    opened_at: datetime
    closed_at: datetime | None
    receipts_count: int
    total_sales: int


# One day's sales, returns and payments.
class DailyReport(_Camel):
    date: date
    total_sales: int
    total_returns: int
    receipts_count: int
    returns_count: int
    cash_payments: int
    card_payments: int
    online_payments: int
    shifts: list[DayShift]


# One day of a period report.
class DayLine(_Camel):
    date: date
    total_sales: int
    receipts_count: int


# Totals from ``from`` to ``to`` (inclusive) with one line per day.
class PeriodReport(_Camel):
    from_: date = Field(alias="from")
    to: date
    total_sales: int
    total_returns: int
    receipts_count: int
    returns_count: int
    daily_reports: list[DayLine]
