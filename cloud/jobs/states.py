"""Job states, and the tenant that owns platform jobs."""

from __future__ import annotations

import uuid
from enum import StrEnum

__all__ = ["SYSTEM_TENANT", "JobState"]

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
