"""The one clock: the till, its fiscal devices and the cloud all read time through it."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest

from shared.clock import DEFAULT_START, Clock, ManualClock, SystemClock, utc


def test_system_clock_tells_aware_utc() -> None:
    clock: Clock = SystemClock()
    before = datetime.now(UTC)
    assert before <= clock.now() <= datetime.now(UTC)
    assert clock.now().tzinfo is UTC


def test_manual_clock_stands_still_until_moved() -> None:
    clock = ManualClock()
    assert clock.now() == clock.now() == DEFAULT_START
    assert clock.advance(timedelta(minutes=1)) == DEFAULT_START + timedelta(minutes=1)
    assert clock.advance(30) == DEFAULT_START + timedelta(minutes=1, seconds=30)  # seconds
    assert clock.advance(hours=2) == DEFAULT_START + timedelta(hours=2, minutes=1, seconds=30)
    clock.set(DEFAULT_START - timedelta(days=1))  # back in time too
    assert clock.now() == DEFAULT_START - timedelta(days=1)


def test_manual_clock_keeps_utc_and_refuses_naive_times() -> None:
    kyiv = timezone(timedelta(hours=2))
    clock = ManualClock(datetime(2026, 3, 2, 10, 0, tzinfo=kyiv))
    assert clock.now() == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert clock.now().tzinfo is UTC
    with pytest.raises(ValueError):
        ManualClock(datetime(2026, 3, 2, 8, 0))
    with pytest.raises(ValueError):
        clock.set(datetime(2026, 3, 2, 8, 0))
    with pytest.raises(ValueError):
        utc(datetime(2026, 3, 2, 8, 0))


def test_manual_clock_is_shared_safely_between_threads() -> None:
    clock = ManualClock()

    def tick() -> None:
        for _ in range(1000):
            clock.advance(1)

    threads = [threading.Thread(target=tick) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert clock.now() == DEFAULT_START + timedelta(seconds=4000)
