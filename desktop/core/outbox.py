"""Outbox events: every business fact, written in the same transaction as the fact itself.

Each event has a UUIDv7 ``event_id`` and a gap-free per-till ``seq``; the sync client sends them
in ``seq`` order and marks them acknowledged up to the highest contiguous ``seq`` the cloud holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

__all__ = ["EventType", "OutboxEvent", "OutboxStats"]


class EventType(StrEnum):
    """Types of business facts (the payload shape is documented per type in the core docs)."""

    SALE_COMPLETED = "sale.completed"
    RETURN_COMPLETED = "return.completed"
    SALE_CANCELLED = "sale.cancelled"
    LINE_VOIDED = "line.voided"
    PRICE_OVERRIDDEN = "price.overridden"
    SHIFT_OPENED = "shift.opened"
    SHIFT_CLOSED = "shift.closed"
    CASH_DEPOSITED = "cash.deposited"
    CASH_WITHDRAWN = "cash.withdrawn"
    FISCAL_RECORDED = "fiscal.recorded"
    USER_CREATED = "user.created"
    USER_LOCKED = "user.locked"
    SETTINGS_CHANGED = "settings.changed"


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
