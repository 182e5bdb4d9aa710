"""Append to and read the per-tenant change feed (see :mod:`cloud.models.feed` for the contract).

Writers call :func:`append` (or :func:`append_many`) with the session that makes the change, so
the entry commits or rolls back with it. Readers (the sync server) call :func:`read` with the
last cursor they handed out; a page never contains a row of a transaction that is still
running, and never skips a row that commits late under a lower id.

Bootstrap: take :func:`head` *before* streaming the snapshot, in the same transaction as the
snapshot's reads (REPEATABLE READ on PostgreSQL), then follow the feed from it; an entry the
snapshot already reflects may be delivered again, which is harmless because entries are
idempotent upserts and tombstones.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, insert, literal, or_, select, text
from sqlalchemy.orm import Session

from cloud.models.base import utcnow
from cloud.models.feed import ChangeFeedEntry

__all__ = ["Cursor", "FeedEntry", "FeedPage", "InvalidCursor", "append", "append_many", "count",
           "head", "read"]

_T = ChangeFeedEntry.__table__
_PG_TXID = "pg_current_xact_id()::text::bigint"
_PG_HORIZON = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint"


class InvalidCursor(ValueError):
    """The feed cursor is not one this server handed out."""


@dataclass(frozen=True, order=True)
class Cursor:
    """Position after the last entry read: ``(txid, id)``; ``Cursor(0, 0)`` is the start."""

    txid: int = 0
    id: int = 0

    def encode(self) -> str:
        return f"{self.txid}.{self.id}"

    @classmethod
    def decode(cls, value: str | None) -> Cursor:
        if not value:
            return cls()
        try:
            tx, _, i = value.partition(".")
            cur = cls(int(tx), int(i))
        except ValueError:
            raise InvalidCursor(f"bad feed cursor {value!r}") from None
        if cur.txid < 0 or cur.id < 0:
            raise InvalidCursor(f"bad feed cursor {value!r}")
        return cur


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


def _is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def append(session: Session, *, tenant_id: uuid.UUID, entity_type: str, entity_id: uuid.UUID,
           op: str, payload: Mapping[str, Any], at: datetime | None = None) -> None:
    """Record one change in the caller's transaction (``op`` is ``upsert`` or ``delete``)."""
    append_many(session, tenant_id=tenant_id,
                entries=[(entity_type, entity_id, op, payload)], at=at)


def append_many(session: Session, *, tenant_id: uuid.UUID,
                entries: Iterable[tuple[str, uuid.UUID, str, Mapping[str, Any]]],
                at: datetime | None = None) -> int:
    """Record many changes with one statement; returns how many."""
    when = at or utcnow()
    rows = [{"tenant_id": tenant_id, "entity_type": et, "entity_id": eid, "op": op,
             "payload": dict(payload), "created_at": when}
            for et, eid, op, payload in entries]
    if not rows:
        return 0
    for op in {r["op"] for r in rows}:
        if op not in ("upsert", "delete"):
            raise ValueError(f"feed op must be upsert or delete, not {op!r}")
    txid: Any = text(_PG_TXID) if _is_pg(session) else literal(0)
    session.execute(insert(_T).values(txid=txid), rows)
    return len(rows)


def _after(cur: Cursor) -> ColumnElement[bool]:
    return or_(_T.c.txid > cur.txid, and_(_T.c.txid == cur.txid, _T.c.id > cur.id))


def read(session: Session, *, tenant_id: uuid.UUID, after: Cursor, limit: int = 500,
         entity_types: Iterable[str] | None = None) -> FeedPage:
    """Entries after ``after`` in commit-safe order, at most ``limit``."""
    stmt = (select(_T).where(_T.c.tenant_id == tenant_id, _after(after))
            .order_by(_T.c.txid, _T.c.id).limit(limit + 1))
    if _is_pg(session):
        stmt = stmt.where(_T.c.txid < text(_PG_HORIZON))
    if entity_types is not None:
        stmt = stmt.where(_T.c.entity_type.in_(list(entity_types)))
    rows = session.execute(stmt).all()
    more = len(rows) > limit
    entries = [FeedEntry(Cursor(r.txid, r.id), r.entity_type, r.entity_id, r.op, r.payload,
                         r.created_at) for r in rows[:limit]]
    return FeedPage(entries, entries[-1].cursor if entries else after, more)


def head(session: Session, *, tenant_id: uuid.UUID) -> Cursor:
    """The cursor of the newest entry a reader may see now (start point after a snapshot)."""
    stmt = (select(_T.c.txid, _T.c.id).where(_T.c.tenant_id == tenant_id)
            .order_by(_T.c.txid.desc(), _T.c.id.desc()).limit(1))
    if _is_pg(session):
        stmt = stmt.where(_T.c.txid < text(_PG_HORIZON))
    row = session.execute(stmt).first()
    return Cursor(row.txid, row.id) if row else Cursor()


def count(session: Session, *, tenant_id: uuid.UUID) -> int:
    """How many entries the tenant's feed holds (tests and diagnostics)."""
    return session.scalar(select(func.count()).select_from(_T)
                          .where(_T.c.tenant_id == tenant_id)) or 0
