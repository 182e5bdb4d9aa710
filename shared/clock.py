"""Time as a dependency: code asks a clock for "now", so tests and emulators move time instead
of sleeping (a 24 h fiscal shift, a 36 h offline limit, a retry backoff, a schedule's fire time).

One protocol and two clocks, used by the till, its fiscal devices and the cloud alike::

    Clock (Protocol: now() -> aware UTC datetime)
    ├── SystemClock   the machine's wall clock
    └── ManualClock   stands still until advance()/set(); thread-safe, so a worker thread and
                      an emulator can share one

Every datetime a clock returns is timezone-aware UTC; naive datetimes are refused at the door
(``utc``), because a naive timestamp in a journal or a queue cannot be ordered reliably.
Reading the time is the only I/O here.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol

__all__ = ["DEFAULT_START", "Clock", "ManualClock", "SystemClock", "utc"]

DEFAULT_START = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)
"""Where a ManualClock starts when not told: a fixed instant, so a test never depends on today."""


class Clock(Protocol):
    """Anything that tells the current time as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The machine's wall clock in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to (tests, simulations, emulators, benchmarks)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = utc(start) if start is not None else DEFAULT_START
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta | float | None = None, **kwargs: float) -> datetime:
        """Move forward by ``delta`` (a timedelta, or seconds) or by ``timedelta(**kwargs)``."""
        if delta is None:
            step = timedelta(**kwargs)
        elif isinstance(delta, timedelta):
            step = delta + timedelta(**kwargs)
        else:
            step = timedelta(seconds=delta, **kwargs)
        with self._lock:
            self._now += step
            return self._now

    def set(self, when: datetime) -> None:
        """Jump to ``when``, forwards or back."""
        when = utc(when)
        with self._lock:
            self._now = when


def utc(when: datetime) -> datetime:
    """Refuse naive datetimes; convert aware ones to UTC."""
    if when.tzinfo is None:
        raise ValueError("naive datetime: pass an aware timestamp")
    return when.astimezone(UTC)
