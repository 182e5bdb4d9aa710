"""Seed 003 daily and period reports over synced receipts.

A receipt belongs to the calendar day of its completion in its store's time zone
(``sales.business_date``, fixed when it is projected). Cash is what stayed in the drawer (cash
paid after change), card is card payments; other payment kinds count as "online". Amounts are
minor units, as in the seed's examples.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from cloud.models.sales import Sale, TillShift

__all__ = ["DayTotals", "ShiftDay", "daily", "period"]

_S, _SH = Sale.__table__, TillShift.__table__


@dataclass
class DayTotals:
    day: date
    total_sales: int = 0
    total_returns: int = 0
    receipts: int = 0
    returns: int = 0
    cash: int = 0
    card: int = 0
    online: int = 0


@dataclass
class ShiftDay:
    id: uuid.UUID
    opened_at: datetime
    closed_at: datetime | None
    receipts: int
    total_sales: int


@dataclass
class Daily:
    totals: DayTotals
    shifts: list[ShiftDay] = field(default_factory=list)


def _filters(tenant_id: uuid.UUID, store_id: uuid.UUID | None, till_id: uuid.UUID | None,
             first: date, last: date) -> list[object]:
    where: list[object] = [_S.c.tenant_id == tenant_id, _S.c.business_date >= first,
                           _S.c.business_date <= last]
    if store_id is not None:
        where.append(_S.c.store_id == store_id)
    if till_id is not None:
        where.append(_S.c.till_id == till_id)
    return where


def _sum_if(kind: str, column: object) -> object:
    return func.coalesce(func.sum(case((_S.c.kind == kind, column), else_=0)), 0)


def _count_if(kind: str) -> object:
    return func.coalesce(func.sum(case((_S.c.kind == kind, 1), else_=0)), 0)


def period(session: Session, *, tenant_id: uuid.UUID, first: date, last: date,
           store_id: uuid.UUID | None = None, till_id: uuid.UUID | None = None,
           ) -> list[DayTotals]:
    """One :class:`DayTotals` per calendar day from ``first`` to ``last`` inclusive."""
    rows = session.execute(
        select(_S.c.business_date, _sum_if("sale", _S.c.total), _sum_if("return", _S.c.total),
               _count_if("sale"), _count_if("return"), _sum_if("sale", _S.c.cash_amount),
               _sum_if("sale", _S.c.card_amount),
               _sum_if("sale", _S.c.payable - _S.c.cash_amount - _S.c.card_amount))
        .where(*_filters(tenant_id, store_id, till_id, first, last))
        .group_by(_S.c.business_date)).all()
    found = {r[0]: r for r in rows}
    out: list[DayTotals] = []
    day = first
    while day <= last:
        r = found.get(day)
        out.append(DayTotals(day, *(int(v) for v in r[1:])) if r else DayTotals(day))
        day += timedelta(days=1)
    return out


def daily(session: Session, *, tenant_id: uuid.UUID, day: date,
          store_id: uuid.UUID | None = None, till_id: uuid.UUID | None = None) -> Daily:
    """The day's totals and, per shift that issued receipts that day, its count and sales."""
    totals = period(session, tenant_id=tenant_id, first=day, last=day, store_id=store_id,
                    till_id=till_id)[0]
    per_shift = session.execute(
        select(_S.c.shift_id, _count_if("sale"), _sum_if("sale", _S.c.total),
               func.min(_S.c.opened_at))
        .where(*_filters(tenant_id, store_id, till_id, day, day))
        .group_by(_S.c.shift_id)).all()
    info = {}
    if per_shift:
        info = {r.id: r for r in session.execute(
            select(_SH.c.id, _SH.c.opened_at, _SH.c.closed_at)
            .where(_SH.c.tenant_id == tenant_id,
                   _SH.c.id.in_([r[0] for r in per_shift])))}
    shifts = []
    for shift_id, count, total, first_receipt in per_shift:
        row = info.get(shift_id)  # the shift's own events may still be on their way
        shifts.append(ShiftDay(shift_id, row.opened_at if row else _aware(first_receipt),
                               row.closed_at if row else None, int(count), int(total)))
    shifts.sort(key=lambda s: (s.opened_at, str(s.id)))
    return Daily(totals, shifts)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
