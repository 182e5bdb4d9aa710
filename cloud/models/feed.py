"""The per-tenant change feed that tills pull: every catalog/price/store change, in commit order.

Cursor contract (for the sync server; implemented in :mod:`cloud.services.feed`):

* A row is written in the same transaction as the change it describes, so it exists iff the
  change committed.
* Order is ``(txid, id)``. On PostgreSQL ``txid`` is the writing transaction's id
  (``pg_current_xact_id()``), filled by the column default; ``id`` is a sequence. On SQLite
  ``txid`` is 0 and ``id`` alone orders, because SQLite has one writer at a time and so assigns
  ids in commit order.
* A reader only returns rows whose ``txid`` is below the oldest transaction still running
  (``pg_snapshot_xmin(pg_current_snapshot())``). Every transaction below that horizon has
  finished, so no row can appear later *behind* a cursor already handed out: a transaction that
  took a low id but commits late is simply not read until it has committed.
* A cursor is the last ``(txid, id)`` returned; resume with ``(txid, id) > cursor``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from cloud.models.base import Base, TenantMixin, UTCDateTime, utcnow

__all__ = ["ChangeFeedEntry", "FeedOp"]

FeedOp = str  # "upsert" | "delete"


class ChangeFeedEntry(TenantMixin, Base):
    __tablename__ = "change_feed"
    __audit__ = False

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True)
    txid: Mapped[int] = mapped_column(BigInteger, server_default="0")
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    op: Mapped[str] = mapped_column(String(8))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_change_feed_tenant_order", "tenant_id", "txid", "id"),
        Index("ix_change_feed_entity", "tenant_id", "entity_type", "entity_id"),
        {"sqlite_autoincrement": True},
    )
