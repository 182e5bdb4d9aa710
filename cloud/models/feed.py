"""The per-tenant change feed that tills pull: every catalog/price/store change, in commit order.

Cursor contract (for the sync server; implemented in :mod:`cloud.services.feed`):

* A row is written in the same transaction as the change it describes, so it exists iff the
  change committed.
* Each tenant's rows carry ``seq`` = 1, 2, 3 … with no gaps, taken from the tenant's row in
  ``change_feed_heads`` with ``UPDATE … SET seq = seq + n RETURNING seq``. That row stays
  locked until the writing transaction ends, so a second writer of the same tenant waits:
  ``seq`` order *is* commit order, and a rolled-back writer gives its numbers back.
* Therefore a reader can never see ``seq = k + 1`` before ``seq = k``: reading
  ``seq > cursor ORDER BY seq`` never skips a row that commits late. A cursor is the last
  ``seq`` returned (one integer per tenant); no snapshot horizon is needed, and activity of
  other tenants or other databases on the server never delays a tenant's feed.
* Writers take the head lock last (just before commit) so it is held briefly and always after
  any row locks of the change itself (no lock-order cycles between writers).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from cloud.models.base import Base, TenantMixin, UTCDateTime, utcnow

__all__ = ["ChangeFeedEntry", "FeedHead", "FeedOp"]

FeedOp = str  # "upsert" | "delete"


class FeedHead(TenantMixin, Base):
    """The last ``seq`` handed out for a tenant; its row lock orders the tenant's writers."""

    __tablename__ = "change_feed_heads"
    __audit__ = False

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)


class ChangeFeedEntry(TenantMixin, Base):
    __tablename__ = "change_feed"
    __audit__ = False

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    op: Mapped[str] = mapped_column(String(8))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("tenant_id", "seq"),
        Index("ix_change_feed_entity", "tenant_id", "entity_type", "entity_id"),
        {"sqlite_autoincrement": True},
    )
