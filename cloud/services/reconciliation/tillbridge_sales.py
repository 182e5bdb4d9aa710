"""The repository behind the Tillbridge-sales connector: completed till receipts in the cloud.

Tills push their sales through sync (``/api/v1/sync/push``); the cloud projects them into the
``sales`` table (``cloud.services.sales.projector``). A reconciliation backend order is one
receipt of kind ``sale`` (returns are not orders), identified by its human number
(``<store>-<till>-<shift>-<seq>``, what a shop would send to analytics) or its UUID, for its
``total`` in minor units, dated by ``completed_at``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cloud.integrations.orders import OrderRecord
from cloud.integrations.tillbridge import SalesReader
from cloud.models.sales import Sale

__all__ = ["read_sales", "reader_for"]


def read_sales(session: Session, *, tenant_id: uuid.UUID, store_ids: list[uuid.UUID],
               start: datetime, end: datetime,
               match_field: Literal["number", "id"] = "number") -> list[OrderRecord]:
    """Sales of ``store_ids`` with ``start <= completed_at < end``, as order records."""
    key = Sale.number if match_field == "number" else Sale.id
    rows = session.execute(
        select(key.label("key"), Sale.total, Sale.currency, Sale.completed_at)
        .where(Sale.tenant_id == tenant_id, Sale.store_id.in_(store_ids), Sale.kind == "sale",
               Sale.completed_at >= start, Sale.completed_at < end)
        .order_by(Sale.completed_at, Sale.id)).all()
    return [OrderRecord(order_id=str(r.key), amount_minor=int(r.total), currency=r.currency,
                        created_at=r.completed_at) for r in rows]


def reader_for(sessions: sessionmaker[Session]) -> SalesReader:
    """A :class:`SalesReader` that opens its own short read-only session."""

    def read(*, tenant_id: uuid.UUID, store_ids: list[uuid.UUID], start: datetime,
             end: datetime, match_field: Literal["number", "id"] = "number",
             ) -> list[OrderRecord]:
        with sessions() as session:
            return read_sales(session, tenant_id=tenant_id, store_ids=store_ids,
                              start=start, end=end, match_field=match_field)

    return read
