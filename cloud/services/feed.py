"""Append to and read the per-tenant change feed (see :mod:`cloud.models.feed` for the contract).

Writers call :func:`append` (or :func:`append_many`) with the session that makes the change, as
the last write before commit: the entry commits or rolls back with the change, and the tenant's
head row stays locked only briefly. Readers (the sync server) call :func:`read` with the last
cursor they handed out; since ``seq`` is handed out in commit order, a page never skips a row
that commits late.

Bootstrap: read :func:`head` in the same transaction as the snapshot (REPEATABLE READ on
PostgreSQL), stream the snapshot, then follow the feed from that cursor.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from cloud.db import insert_on_conflict
from cloud.models.base import utcnow
from cloud.models.feed import ChangeFeedEntry, FeedHead

__all__ = ["Cursor", "FeedEntry", "FeedPage", "InvalidCursor", "append", "append_many", "count",
           "head", "read"]

_T = ChangeFeedEntry.__table__
_H = FeedHead.__table__


class InvalidCursor(ValueError):
    """The feed cursor is not one this server handed out."""


@dataclass(frozen=True, order=True)
class Cursor:
    """Position after the last entry read: the tenant's ``seq``; ``Cursor(0)`` is the start."""

    seq: int = 0

    def encode(self) -> str:
        return str(self.seq)

    @classmethod
    def decode(cls, value: str | None) -> Cursor:
        if not value:
            return cls()
        if not value.isdigit():
            raise InvalidCursor(f"bad feed cursor {value!r}")
        return cls(int(value))


@dataclass(frozen=True)
class FeedEntry:
    cursor: Cursor
    entity_type: str
    entity_id: uuid.UUID
    op: str
    payload: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class FeedPage:
    entries: list[FeedEntry]
    cursor: Cursor  # pass back to read the next page (unchanged when the page is empty)
    has_more: bool


def append(session: Session, *, tenant_id: uuid.UUID, entity_type: str, entity_id: uuid.UUID,
           op: str, payload: Mapping[str, Any], at: datetime | None = None) -> None:
    """Record one change in the caller's transaction (``op`` is ``upsert`` or ``delete``)."""
    append_many(session, tenant_id=tenant_id,
                entries=[(entity_type, entity_id, op, payload)], at=at)


def _take(session: Session, tenant_id: uuid.UUID, n: int) -> int:
    """Reserve ``n`` sequence numbers; returns the last. Locks the head until commit."""
    session.execute(insert_on_conflict(session, _H, {"tenant_id": tenant_id, "seq": 0},
                                       index_elements=["tenant_id"]))
    return int(session.execute(update(_H).where(_H.c.tenant_id == tenant_id)
                               .values(seq=_H.c.seq + n).returning(_H.c.seq)).scalar_one())


def append_many(session: Session, *, tenant_id: uuid.UUID,
                entries: Iterable[tuple[str, uuid.UUID, str, Mapping[str, Any]]],
                at: datetime | None = None) -> int:
    """Record many changes with one head update and one insert; returns how many."""
    when = at or utcnow()
    items = list(entries)
    if not items:
        return 0
    for _et, _eid, op, _p in items:
        if op not in ("upsert", "delete"):
            raise ValueError(f"feed op must be upsert or delete, not {op!r}")
    last = _take(session, tenant_id, len(items))
    first = last - len(items) + 1
    session.execute(insert(_T), [
        {"tenant_id": tenant_id, "seq": first + i, "entity_type": et, "entity_id": eid,
         "op": op, "payload": dict(payload), "created_at": when}
        for i, (et, eid, op, payload) in enumerate(items)])
    return len(items)


def read(session: Session, *, tenant_id: uuid.UUID, after: Cursor, limit: int = 500,
         entity_types: Iterable[str] | None = None) -> FeedPage:
    """Entries after ``after`` in commit order, at most ``limit``."""
    stmt = (select(_T).where(_T.c.tenant_id == tenant_id, _T.c.seq > after.seq)
            .order_by(_T.c.seq).limit(limit + 1))
    if entity_types is not None:
        stmt = stmt.where(_T.c.entity_type.in_(list(entity_types)))
    rows = session.execute(stmt).all()
    more = len(rows) > limit
    entries = [FeedEntry(Cursor(r.seq), r.entity_type, r.entity_id, r.op, r.payload,
                         r.created_at) for r in rows[:limit]]
    return FeedPage(entries, entries[-1].cursor if entries else after, more)


def head(session: Session, *, tenant_id: uuid.UUID) -> Cursor:
    """The cursor of the newest committed entry (the start point after a snapshot)."""
    seq = session.scalar(select(func.max(_T.c.seq)).where(_T.c.tenant_id == tenant_id))
    return Cursor(int(seq or 0))


def count(session: Session, *, tenant_id: uuid.UUID) -> int:
    """How many entries the tenant's feed holds (tests and diagnostics)."""
    return session.scalar(select(func.count()).select_from(_T)
                          .where(_T.c.tenant_id == tenant_id)) or 0
