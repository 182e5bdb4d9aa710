"""Outbox events: every business fact, written in the same transaction as the fact itself.

Each event has a UUIDv7 ``event_id`` and a gap-free per-till ``seq``; the sync client sends them
in ``seq`` order and marks them acknowledged up to the highest contiguous ``seq`` the cloud holds.
The event types are :class:`shared.events.EventType` (one definition for the till and sync).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["OutboxEvent", "OutboxStats"]


@dataclass(frozen=True)
class OutboxEvent:
    """One journal entry waiting for (or already acknowledged by) the cloud."""

    seq: int
    event_id: str
    type: str
    aggregate_id: str
    payload: dict[str, Any]
    created_at: datetime
    acked: bool = False


@dataclass(frozen=True)
class OutboxStats:
    """Where the outbox stands."""

    last_seq: int
    acked_through: int
    pending: int
