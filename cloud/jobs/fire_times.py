"""When a schedule fires: pure functions of (recurrence, instant), correct across DST.

Why not APScheduler's ``CronTrigger``: on a fall-back night it fires a 03:00 schedule twice and
then keeps returning a time in the past. The rules here:

* Wall-clock times are in the schedule's IANA zone (``zoneinfo``); results are UTC.
* A time that does not exist (spring forward, e.g. 03:00 in Europe/Bucharest on the last
  Sunday of March) fires at the same offset as before the gap, i.e. shifted forward by the gap
  (03:00 EET = 04:00 EEST = 01:00 UTC): the run happens that day, as late as the gap forces.
* A time that exists twice (fall back) fires once, at its first occurrence (``fold=0``).
* Hourly schedules fire every real hour at the given minute and second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cloud.jobs.errors import InvalidJob

__all__ = ["Frequency", "InvalidRecurrence", "Recurrence", "fires_between",
           "last_fire_at_or_before", "next_fire_after"]

Frequency = Literal["hourly", "daily", "weekly"]


class InvalidRecurrence(InvalidJob):
    """Schedule settings are invalid."""


@dataclass(frozen=True)
class Recurrence:
    """``frequency`` at ``time_of_day`` in ``timezone`` (``weekday`` 0 = Monday, weekly only)."""

    frequency: Frequency
    time_of_day: time
    timezone: str = "UTC"
    weekday: int | None = None

    def __post_init__(self) -> None:
        if self.frequency not in ("hourly", "daily", "weekly"):
            raise InvalidRecurrence("frequency must be hourly, daily or weekly",
                                    field="frequency")
        if self.frequency == "weekly" and (self.weekday is None or not 0 <= self.weekday <= 6):
            raise InvalidRecurrence("weekly schedules need a weekday 0-6", field="weekday")
        if self.time_of_day.tzinfo is not None:
            raise InvalidRecurrence("time_of_day is wall-clock time", field="time_of_day")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidRecurrence(f"unknown IANA timezone {self.timezone!r}",
                                    field="timezone") from exc

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("recurrence maths needs aware datetimes")
    return at.astimezone(UTC)


def _on_day(rec: Recurrence, day: date) -> datetime:
    wall = datetime.combine(day, rec.time_of_day.replace(microsecond=0), tzinfo=rec.tz)
    return wall.replace(fold=0).astimezone(UTC)


def _candidates(rec: Recurrence, at: datetime) -> list[datetime]:
    """Every fire instant within a couple of periods of ``at`` (sorted, unique)."""
    out: set[datetime] = set()
    if rec.frequency == "hourly":
        hour = at.replace(minute=0, second=0, microsecond=0)
        for k in range(-3, 4):
            local = (hour + timedelta(hours=k)).astimezone(rec.tz)
            wall = local.replace(minute=rec.time_of_day.minute, second=rec.time_of_day.second,
                                 microsecond=0)
            out.add(wall.astimezone(UTC))
        return sorted(out)
    today = at.astimezone(rec.tz).date()
    span = 2 if rec.frequency == "daily" else 8
    for k in range(-span, span + 1):
        day = today + timedelta(days=k)
        if rec.frequency == "weekly" and day.weekday() != rec.weekday:
            continue
        out.add(_on_day(rec, day))
    return sorted(out)


def next_fire_after(rec: Recurrence, after: datetime) -> datetime:
    """The first fire instant strictly after ``after`` (UTC)."""
    after = _aware(after)
    for fire in _candidates(rec, after):
        if fire > after:
            return fire
    raise AssertionError("no fire found in the search window")  # pragma: no cover


def last_fire_at_or_before(rec: Recurrence, at: datetime) -> datetime:
    """The latest fire instant not after ``at`` (UTC)."""
    at = _aware(at)
    earlier = [f for f in _candidates(rec, at) if f <= at]
    if not earlier:  # pragma: no cover - the window always reaches back a full period
        raise AssertionError("no fire found in the search window")
    return earlier[-1]


def fires_between(rec: Recurrence, start: datetime, end: datetime) -> list[datetime]:
    """Fire instants in ``(start, end]``, oldest first."""
    out: list[datetime] = []
    cursor = _aware(start)
    end = _aware(end)
    while True:
        cursor = next_fire_after(rec, cursor)
        if cursor > end:
            return out
        out.append(cursor)
