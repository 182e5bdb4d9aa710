"""Fire-time maths across DST changes (pure functions, no clock)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cloud.jobs.fire_times import (
    InvalidRecurrence,
    Recurrence,
    fires_between,
    last_fire_at_or_before,
    next_fire_after,
)
from cloud.jobs.schedule_runner import RecurrenceTrigger

BUCHAREST_03 = Recurrence("daily", time(3, 0), "Europe/Bucharest")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_daily_0300_bucharest_across_spring_forward() -> None:
    # EET (UTC+2) until 2026-03-29 01:00 UTC, EEST (UTC+3) after.
    fires = fires_between(BUCHAREST_03, utc(2026, 3, 27), utc(2026, 3, 31))
    assert fires == [
        utc(2026, 3, 27, 1), utc(2026, 3, 28, 1),
        utc(2026, 3, 29, 1),  # 03:00 does not exist that night: 04:00 EEST, same instant
        utc(2026, 3, 30, 0), utc(2026, 3, 31, 0),
    ]


def test_daily_0300_bucharest_across_fall_back_fires_once() -> None:
    fires = fires_between(BUCHAREST_03, utc(2026, 10, 22, 12), utc(2026, 10, 27))
    assert fires == [utc(2026, 10, 23, 0), utc(2026, 10, 24, 0),
                     utc(2026, 10, 25, 0),  # first of the two 03:00s
                     utc(2026, 10, 26, 1)]


def test_hourly_fires_every_real_hour_through_both_changes() -> None:
    rec = Recurrence("hourly", time(0, 15), "Europe/Bucharest")
    for start in (utc(2026, 3, 28, 20), utc(2026, 10, 24, 20)):
        fires = fires_between(rec, start, start + timedelta(hours=10))
        assert len(fires) == 10
        assert all(b - a == timedelta(hours=1) for a, b in itertools.pairwise(fires))
        assert all(f.minute == 15 for f in fires)


def test_half_hour_zone_keeps_local_minute() -> None:
    rec = Recurrence("hourly", time(0, 15), "Asia/Kolkata")  # UTC+5:30
    assert next_fire_after(rec, utc(2026, 1, 1, 0, 0)) == utc(2026, 1, 1, 0, 45)


def test_weekly_monday_kyiv() -> None:
    rec = Recurrence("weekly", time(9, 0), "Europe/Kyiv", weekday=0)
    fires = fires_between(rec, utc(2026, 3, 20), utc(2026, 4, 7))
    assert fires == [utc(2026, 3, 23, 7), utc(2026, 3, 30, 6), utc(2026, 4, 6, 6)]
    assert all(f.astimezone(rec.tz).weekday() == 0 for f in fires)


def test_last_fire_at_or_before_includes_the_instant() -> None:
    assert last_fire_at_or_before(BUCHAREST_03, utc(2026, 3, 30, 0)) == utc(2026, 3, 30, 0)
    assert last_fire_at_or_before(BUCHAREST_03, utc(2026, 3, 29, 23)) == utc(2026, 3, 29, 1)


def test_apscheduler_trigger_uses_the_same_maths() -> None:
    trigger = RecurrenceTrigger(BUCHAREST_03)
    first = trigger.get_next_fire_time(None, utc(2026, 3, 29, 1))
    assert first == utc(2026, 3, 29, 1)  # "now" exactly at a fire counts
    assert trigger.get_next_fire_time(first, utc(2026, 3, 29, 1)) == utc(2026, 3, 30, 0)


def test_invalid_settings_are_refused() -> None:
    with pytest.raises(InvalidRecurrence):
        Recurrence("daily", time(3), "Mars/Olympus")
    with pytest.raises(InvalidRecurrence):
        Recurrence("weekly", time(3), "UTC")
    with pytest.raises(InvalidRecurrence):
        Recurrence("monthly", time(3), "UTC")  # type: ignore[arg-type]


ZONES = ["Europe/Bucharest", "Europe/Kyiv", "America/New_York", "Australia/Lord_Howe",
         "Asia/Kolkata", "UTC"]


@given(
    zone=st.sampled_from(ZONES),
    freq=st.sampled_from(["hourly", "daily", "weekly"]),
    hour=st.integers(0, 23), minute=st.integers(0, 59), weekday=st.integers(0, 6),
    start=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1),
                       timezones=st.just(UTC)),
)
def test_properties(zone: str, freq: str, hour: int, minute: int, weekday: int,
                    start: datetime) -> None:
    rec = Recurrence(freq, time(hour, minute), zone,  # type: ignore[arg-type]
                     weekday if freq == "weekly" else None)
    nxt = next_fire_after(rec, start)
    assert nxt > start
    assert last_fire_at_or_before(rec, nxt) == nxt
    assert last_fire_at_or_before(rec, nxt - timedelta(microseconds=1)) <= start
    period = {"hourly": timedelta(hours=1), "daily": timedelta(days=1),
              "weekly": timedelta(days=7)}[freq]
    # Never more than a period (plus a DST gap) between fires.
    assert nxt - start <= period + timedelta(hours=2)
    if freq != "hourly":
        local = nxt.astimezone(rec.tz)
        if (local.hour, local.minute) != (hour, minute):  # only when that wall time is skipped
            wall = datetime.combine(local.date(), time(hour, minute), tzinfo=rec.tz)
            assert wall.astimezone(UTC).astimezone(rec.tz).time() != time(hour, minute)
        else:  # a repeated wall time fires at its first occurrence
            assert local.fold == 0
