"""Job configuration (seed 002 "Job Configuration") and how it becomes a date range.

``days`` 1–365 (default 30) counts back from ``end_date`` (default today, in the client's
reporting zone = UTC); an explicit ``start_date`` wins over ``days``. Dates must be written
``YYYY-MM-DD``; a range longer than 366 days, reversed, or starting in the future is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["MAX_RANGE_DAYS", "DateRange", "JobParams", "resolve_range"]

MAX_RANGE_DAYS = 366
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class JobParams(BaseModel):
    """What a trigger (or a schedule's ``config``) may say about a run."""

    model_config = ConfigDict(extra="forbid")

    days: int = Field(default=30, ge=1, le=365, description="days to fetch (1-365)")
    start_date: date | None = Field(default=None, description="YYYY-MM-DD; wins over days")
    end_date: date | None = Field(default=None, description="YYYY-MM-DD; default today")
    max_retries: int = Field(default=3, ge=0, le=5, description="automatic retries (0-5)")

    @field_validator("start_date", "end_date", mode="before")
    @classmethod
    def _iso(cls, value: Any) -> Any:
        if value is None or isinstance(value, date):
            return value
        if not isinstance(value, str) or not _ISO.match(value):
            raise ValueError("dates must be written YYYY-MM-DD")
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{value} is not a calendar date") from exc

    @model_validator(mode="after")
    def _order(self) -> JobParams:
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                raise ValueError("end_date is before start_date")
            if (self.end_date - self.start_date).days + 1 > MAX_RANGE_DAYS:
                raise ValueError(f"a date range is at most {MAX_RANGE_DAYS} days")
        return self


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
