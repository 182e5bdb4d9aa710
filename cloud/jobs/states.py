"""Job states and the clock every queue decision reads."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Protocol

__all__ = ["SYSTEM_TENANT", "Clock", "JobState", "ManualClock", "SystemClock"]

# Jobs that belong to no tenant (platform maintenance), and queue pauses that apply to all.
SYSTEM_TENANT = uuid.UUID(int=0)


class JobState(StrEnum):
    """Where a job stands. ``delayed`` and ``waiting`` are pending; the last three are final."""

    WAITING = "waiting"
    """Ready to run as soon as a worker is free."""
    DELAYED = "delayed"
    """Pending with ``run_at`` in the future (scheduled, or backing off before a retry)."""
    ACTIVE = "active"
    """Claimed by a worker, whose lease runs until ``locked_until``."""
    COMPLETED = "completed"
    """The handler returned; never run again."""
    FAILED = "failed"
    """The handler raised a permanent error (or the task is unknown); not retried."""
    DEAD = "dead"
    """Retries exhausted: the dead-letter queue, from which an operator replays."""


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """Wall-clock UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when told to (tests, simulations)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, when: datetime) -> None:
        with self._lock:
            self._now = when.astimezone(UTC)

    def advance(self, seconds: float = 0, **kwargs: float) -> datetime:
        with self._lock:
            self._now += timedelta(seconds=seconds, **kwargs)
            return self._now
