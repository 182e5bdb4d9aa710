"""Clocks: the system's, and a manual one so tests and emulators control time (24 h, 36 h)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

__all__ = ["Clock", "ManualClock", "system_clock"]

Clock = Callable[[], datetime]
"""A callable returning an aware UTC timestamp."""


def system_clock() -> datetime:
    return datetime.now(UTC)


class ManualClock:
    """Stands still until told to move; thread-safe, so emulators can share it."""

    def __init__(self, start: datetime | None = None) -> None:
        start = start or datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta | None = None, **kw: float) -> datetime:
        with self._lock:
            self._now += delta if delta is not None else timedelta(**kw)
            return self._now

    def set(self, when: datetime) -> None:
        with self._lock:
            self._now = when
