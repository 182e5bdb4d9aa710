"""Job states and the clock every queue decision reads."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol

from cloud.clock import ManualClock as _BaseManualClock
from cloud.clock import SystemClock

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
    """Anything with ``now()`` returning an aware UTC datetime (``cloud.clock.Clock`` is one)."""

    def now(self) -> datetime: ...


class ManualClock(_BaseManualClock):
    """The cloud's manual clock, plus :meth:`set` (jump to an instant, forwards or back)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        super().__init__(start.astimezone(UTC))

    def set(self, when: datetime) -> None:
        self.advance((when - self.now()).total_seconds())
