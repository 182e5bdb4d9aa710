"""Read side of what tills synced: sales and returns, shifts and their cash movements.

Every query is tenant-scoped (another tenant's receipt or shift is "not found"). Lists are newest
first; time bounds are inclusive and compare with the till's completion (receipts) or opening
(shifts) time.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from cloud.errors import NotFound
from cloud.models.sales import (
    Sale,
    SaleLine,
    SalePayment,
    TillCashMovement,
    TillFiscalResult,
    TillShift,
)
from cloud.schemas.common import OffsetPagination, PageParams
from cloud.services.pagination import paginate

__all__ = ["SaleRecord", "ShiftRecord", "get_sale", "get_shift", "list_sales", "list_shifts"]


@dataclass(frozen=True)
class SaleRecord:
    """A receipt with its lines, payments and fiscal result (``None`` until fiscalised)."""

    sale: Sale
    lines: Sequence[SaleLine]
    payments: Sequence[SalePayment]
    fiscal: TillFiscalResult | None


@dataclass(frozen=True)
class ShiftRecord:
    """A shift with its service cash movements and how many receipts it holds."""

    shift: TillShift
    cash_movements: Sequence[TillCashMovement]
    receipts: int


def _sales(tenant_id: uuid.UUID, kind: str | None, store_id: uuid.UUID | None,
           till_id: uuid.UUID | None, shift_id: uuid.UUID | None, start: datetime | None,
           end: datetime | None, number: str | None) -> Select[Any]:
    stmt = select(Sale).where(Sale.tenant_id == tenant_id)
    for col, value in ((Sale.kind, kind), (Sale.store_id, store_id), (Sale.till_id, till_id),
                       (Sale.shift_id, shift_id), (Sale.number, number)):
        if value is not None:
            stmt = stmt.where(col == value)
    if start is not None:
        stmt = stmt.where(Sale.completed_at >= start)
    if end is not None:
        stmt = stmt.where(Sale.completed_at <= end)
    return stmt.order_by(Sale.completed_at.desc(), Sale.id.desc())


def list_sales(*, session: Session, tenant_id: uuid.UUID, page: PageParams,
               kind: str | None = None, store_id: uuid.UUID | None = None,
               till_id: uuid.UUID | None = None, shift_id: uuid.UUID | None = None,
               start: datetime | None = None, end: datetime | None = None,
               number: str | None = None) -> tuple[list[Sale], OffsetPagination]:
    """One page of receipts (``kind`` "sale" or "return", or both), newest first."""
    stmt = _sales(tenant_id, kind, store_id, till_id, shift_id, start, end, number)
    return paginate(session, stmt, page)


def get_sale(*, session: Session, tenant_id: uuid.UUID, sale_id: uuid.UUID,
             kind: str | None = None) -> SaleRecord:
    """One receipt; "not found" when it is another tenant's or not of ``kind``."""
    sale = session.scalar(select(Sale).where(Sale.tenant_id == tenant_id, Sale.id == sale_id))
    if sale is None or (kind is not None and sale.kind != kind):
        raise NotFound("receipt not found")
    lines = session.scalars(select(SaleLine).where(SaleLine.sale_id == sale.id)
                            .order_by(SaleLine.line_no)).all()
    payments = session.scalars(select(SalePayment).where(SalePayment.sale_id == sale.id)
                               .order_by(SalePayment.id)).all()
    fiscal = session.scalar(select(TillFiscalResult).where(
        TillFiscalResult.tenant_id == tenant_id,
        TillFiscalResult.document_id == str(sale.id)))
    return SaleRecord(sale, lines, payments, fiscal)


def list_shifts(*, session: Session, tenant_id: uuid.UUID, page: PageParams,
                store_id: uuid.UUID | None = None, till_id: uuid.UUID | None = None,
                status: str | None = None, start: datetime | None = None,
                end: datetime | None = None) -> tuple[list[TillShift], OffsetPagination]:
    """One page of till shifts, newest opened first."""
    stmt = select(TillShift).where(TillShift.tenant_id == tenant_id)
    for col, value in ((TillShift.store_id, store_id), (TillShift.till_id, till_id),
                       (TillShift.status, status)):
        if value is not None:
            stmt = stmt.where(col == value)
    if start is not None:
        stmt = stmt.where(TillShift.opened_at >= start)
    if end is not None:
        stmt = stmt.where(TillShift.opened_at <= end)
    return paginate(session, stmt.order_by(TillShift.opened_at.desc()), page)


def get_shift(*, session: Session, tenant_id: uuid.UUID, shift_id: uuid.UUID) -> ShiftRecord:
    """A shift with its cash movements (in time order) and receipt count."""
    shift = session.scalar(select(TillShift).where(TillShift.tenant_id == tenant_id,
                                                   TillShift.id == shift_id))
    if shift is None:
        raise NotFound("shift not found")
    moves = session.scalars(select(TillCashMovement).where(
        TillCashMovement.tenant_id == tenant_id, TillCashMovement.shift_id == shift.id)
        .order_by(TillCashMovement.at)).all()
    receipts = session.scalar(select(func.count()).select_from(Sale).where(
        Sale.tenant_id == tenant_id, Sale.shift_id == shift.id)) or 0
    return ShiftRecord(shift, moves, receipts)
