"""The kinds of business fact a till records and sync carries: one definition for both sides.

The till core writes these into its outbox (``desktop.core.outbox``), sync puts them on the wire
unchanged (``Event.type`` is the value string) and the cloud's projector dispatches on them.
A :class:`~enum.StrEnum` member *is* its value string, so comparing or hashing a received
``type`` string against a member works without conversion, and the wire format stays the
plain dotted string. Values are part of the protocol: never rename one, only add.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["EventType"]


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
