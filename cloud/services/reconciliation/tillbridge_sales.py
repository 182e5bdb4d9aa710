"""The repository behind the Tillbridge-sales connector (read) and its counterpart (write).

Gap, on purpose: the sync service will own the cloud's sales tables (projected from till
events). Until it exists, sales land in ``recon_synced_sales`` through :func:`record_sales`,
and :func:`read_sales` reads them. When sync's tables exist, only :func:`read_sales` changes
(a ``SELECT`` over them with the same signature) and :func:`record_sales` goes away.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cloud.integrations.orders import OrderRecord
from cloud.integrations.tillbridge import SalesReader
from cloud.models.reconciliation import SyncedSale
from cloud.models.sales import Sale

__all__ = ["SaleRow", "read_sales", "reader_for", "record_sales"]


@dataclass(frozen=True)
class SaleRow:
    """One till sale: its receipt id, total in minor units, currency and UTC time."""

    store_id: uuid.UUID
    sale_id: str
    total_minor: int
    currency: str
    sold_at: datetime


def record_sales(session: Session, *, tenant_id: uuid.UUID, rows: Iterable[SaleRow]) -> int:
    """Store sales (idempotent per (store, sale id): a re-sent sale is ignored)."""
    pending: dict[tuple[uuid.UUID, str], SaleRow] = {}
    for row in rows:
        if isinstance(row.total_minor, bool) or not isinstance(row.total_minor, int):
            raise TypeError("total_minor must be an int number of minor units")
        pending.setdefault((row.store_id, row.sale_id), row)
    for store_id in {k[0] for k in pending}:
        ids = [sale_id for (sid, sale_id) in pending if sid == store_id]
        for i in range(0, len(ids), 500):
            known = session.scalars(select(SyncedSale.sale_id).where(
                SyncedSale.tenant_id == tenant_id, SyncedSale.store_id == store_id,
                SyncedSale.sale_id.in_(ids[i:i + 500])))
            for sale_id in known:
                pending.pop((store_id, sale_id), None)
    session.add_all(SyncedSale(tenant_id=tenant_id, store_id=r.store_id, sale_id=r.sale_id,
                               total_minor=r.total_minor, currency=r.currency,
                               sold_at=r.sold_at) for r in pending.values())
    session.flush()
    return len(pending)


def read_sales(session: Session, *, tenant_id: uuid.UUID, store_ids: list[uuid.UUID],
               start: datetime, end: datetime) -> list[OrderRecord]:
    """Sales of ``store_ids`` with ``start <= sold_at < end``, as order records.

    The source is the sync engine's projection (``sales``, kind ``sale``: receipt id, total
    after discounts, completion time); rows recorded in ``recon_synced_sales`` are added for
    receipts the projection does not hold.
    """
    synced = session.execute(
        select(Sale.id, Sale.total, Sale.currency, Sale.completed_at)
        .where(Sale.tenant_id == tenant_id, Sale.store_id.in_(store_ids), Sale.kind == "sale",
               Sale.completed_at >= start, Sale.completed_at < end)).all()
    records = {str(r.id): OrderRecord(order_id=str(r.id), amount_minor=int(r.total),
                                      currency=r.currency, created_at=r.completed_at)
               for r in synced}
    rows = session.execute(
        select(SyncedSale.sale_id, SyncedSale.total_minor, SyncedSale.currency,
               SyncedSale.sold_at)
        .where(SyncedSale.tenant_id == tenant_id, SyncedSale.store_id.in_(store_ids),
               SyncedSale.sold_at >= start, SyncedSale.sold_at < end)
        .order_by(SyncedSale.sold_at, SyncedSale.sale_id)).all()
    for r in rows:
        records.setdefault(r.sale_id, OrderRecord(order_id=r.sale_id,
                                                  amount_minor=int(r.total_minor),
                                                  currency=r.currency, created_at=r.sold_at))
    return sorted(records.values(), key=lambda o: (o.created_at or start, o.order_id))


def reader_for(sessions: sessionmaker[Session]) -> SalesReader:
    """A :class:`SalesReader` that opens its own short read-only session."""

    def read(*, tenant_id: uuid.UUID, store_ids: list[uuid.UUID], start: datetime,
             end: datetime) -> list[OrderRecord]:
        with sessions() as session:
            return read_sales(session, tenant_id=tenant_id, store_ids=store_ids,
                              start=start, end=end)

    return read
